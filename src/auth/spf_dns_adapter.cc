// SpfDnsAdapter: libspf2 lookups answered by our Resolver, with the RFC 7208 §4.6.4
// limits counted here because libspf2 does not (see spf_dns_adapter.h).
#include "auth/spf_dns_adapter.h"

#include <cctype>
#include <cstdlib>
#include <cstring>

#include "auth/spf_record_lookup.h"
#include "auth/spf_syntax.h"
#include "core/text.h"

namespace alignd {

namespace {

std::optional<RrType> rr_type_of(ns_type t) {
  switch (t) {
    case ns_t_a: return RrType::A;
    case ns_t_aaaa: return RrType::AAAA;
    case ns_t_mx: return RrType::MX;
    case ns_t_ptr: return RrType::PTR;
    case ns_t_txt: return RrType::TXT;
    default: return std::nullopt;  // type 99 (SPF) is obsolete: RFC 7208 §3.1
  }
}

std::string strip_dot(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  return std::string(name);
}

// "10 mx.example.com." -> "mx.example.com"
std::string mx_exchange(std::string_view rdata) {
  auto sp = rdata.find(' ');
  return strip_dot(trim(sp == std::string_view::npos ? rdata : rdata.substr(sp + 1)));
}

SPF_dns_rr_t* new_rr(SPF_dns_server_t* s, const char* domain, ns_type type, int herrno) {
  SPF_dns_rr_t* rr = SPF_dns_rr_new_init(s, domain, type, 0, herrno);
  if (rr == nullptr) std::abort();  // out of memory; libspf2 cannot take NULL here
  return rr;
}

bool add_bytes(SPF_dns_rr_t* rr, const void* data, size_t len) {
  if (SPF_dns_rr_buf_realloc(rr, rr->num_rr, len) != SPF_E_SUCCESS) return false;
  std::memcpy(rr->rr[rr->num_rr], data, len);
  ++rr->num_rr;
  return true;
}

bool add_string(SPF_dns_rr_t* rr, const std::string& s) {
  if (s.find('\0') != std::string::npos) return true;  // cannot be a C string: skip it
  return add_bytes(rr, s.c_str(), s.size() + 1);
}

// Fills `rr` from our answer's text records (core/dns_types.h forms).
void fill(SPF_dns_rr_t* rr, RrType type, const std::vector<std::string>& records) {
  for (const auto& rec : records) {
    switch (type) {
      case RrType::A: {
        in_addr a{};
        if (inet_pton(AF_INET, rec.c_str(), &a) == 1) add_bytes(rr, &a, sizeof a);
        break;
      }
      case RrType::AAAA: {
        in6_addr a{};
        if (inet_pton(AF_INET6, rec.c_str(), &a) == 1) add_bytes(rr, &a, sizeof a);
        break;
      }
      case RrType::MX: add_string(rr, mx_exchange(rec)); break;
      case RrType::PTR: add_string(rr, strip_dot(rec)); break;
      case RrType::TXT: add_string(rr, rec); break;
      default: break;
    }
  }
}

}  // namespace

SpfDnsAdapter::SpfDnsAdapter(Resolver& dns, SpfLimits limits) : dns_(&dns), limits_(limits) {
  server_.destroy = nullptr;  // owned by this object, not by SPF_server_free
  server_.lookup = &SpfDnsAdapter::lookup_cb;
  server_.get_spf = &SpfDnsAdapter::get_spf_cb;
  server_.get_exp = nullptr;  // libspf2 fetches exp= text through lookup (TXT)
  server_.add_cache = nullptr;
  server_.layer_below = nullptr;
  server_.name = "alignd";
  server_.debug = 0;
  server_.hook = this;
}

void SpfDnsAdapter::begin_check() {
  terms_ = 0;
  void_lookups_ = 0;
  followups_.clear();
  followups_from_p_ = false;
  followups_from_ptr_ = false;
  limit_error_.reset();
  exp_upper_macro_ = false;
  inexact_ = false;
}

void SpfDnsAdapter::exceed(std::string why) {
  if (!limit_error_) limit_error_ = std::move(why);
}

bool SpfDnsAdapter::count_term(const std::string& what) {
  if (++terms_ <= limits_.max_terms) return true;
  exceed("more than " + std::to_string(limits_.max_terms) +
         " DNS-querying terms (RFC 7208 §4.6.4), at " + what);
  return false;
}

SPF_dns_rr_t* SpfDnsAdapter::lookup_cb(SPF_dns_server_t* s, const char* domain, ns_type type,
                                       int should_cache) {
  return static_cast<SpfDnsAdapter*>(s->hook)->lookup(domain ? domain : "", type, should_cache);
}

SPF_errcode_t SpfDnsAdapter::get_spf_cb(SPF_server_t* server, SPF_request_t* request,
                                        SPF_response_t* response, SPF_record_t** record) {
  auto* self = static_cast<SpfDnsAdapter*>(server->resolver->hook);
  return self->get_spf(server, request, response, record);
}

SPF_dns_rr_t* SpfDnsAdapter::lookup(const char* domain, ns_type type, bool should_cache) {
  auto rr_type = rr_type_of(type);
  if (!rr_type) return new_rr(&server_, domain, type, NO_DATA);
  if (limit_error_) return new_rr(&server_, domain, type, TRY_AGAIN);

  // Which term is this query part of? libspf2 asks in a fixed order: a term's
  // first query, then (for "mx", "ptr" and %{p}) the address of each name found.
  std::string name = normalize_domain(domain);
  while (name.size() > 253) {  // §7.3: drop labels from the left until it fits
    auto dot = name.find('.');
    name = dot == std::string::npos ? std::string() : name.substr(dot + 1);
  }
  bool address = *rr_type == RrType::A || *rr_type == RrType::AAAA;
  bool counts_void = *rr_type != RrType::TXT;
  bool ptr_name = false;  // the address lookup of a name a PTR answer gave
  if (*rr_type == RrType::TXT) {
    // exp= text (§6.2): evaluated after the result, not a term. Records are fetched
    // through get_spf, never here.
  } else if (address && !followups_.empty() && followups_.front() == name) {
    followups_.pop_front();
    counts_void = !followups_from_p_;
    ptr_name = followups_from_ptr_;
  } else if (*rr_type == RrType::PTR && !should_cache) {
    followups_.clear();  // %{p} (§7.3): part of the term whose macro needs it
    followups_from_p_ = true;
    counts_void = false;
  } else {
    followups_.clear();
    followups_from_p_ = false;
    if (!count_term(std::string(to_string(*rr_type)) + " " + name))
      return new_rr(&server_, domain, type, TRY_AGAIN);
  }

  DnsAnswer a = dns_->query(name.empty() ? "." : name, *rr_type);
  bool empty = a.status == DnsStatus::NxDomain || a.status == DnsStatus::NoData ||
               (a.status == DnsStatus::Ok && a.records.empty());
  if (empty && counts_void && ++void_lookups_ > limits_.max_void) {
    exceed("more than " + std::to_string(limits_.max_void) +
           " void DNS lookups (RFC 7208 §4.6.4), at " + std::string(to_string(*rr_type)) + " " +
           name);
    return new_rr(&server_, domain, type, TRY_AGAIN);
  }
  // §5.5 (and §7.3 for %{p}): "If a DNS error occurs while doing an A RR lookup, then
  // that domain name is skipped and the search continues" — a CNAME loop or SERVFAIL
  // at one PTR name is no answer for that name, not a temperror of the whole check.
  // Not a void lookup either (§4.6.4 counts NXDOMAIN and empty answers only).
  if (ptr_name && (a.status == DnsStatus::TempFail || a.status == DnsStatus::PermFail))
    return new_rr(&server_, domain, type, NO_DATA);
  switch (a.status) {
    case DnsStatus::NxDomain: return new_rr(&server_, domain, type, HOST_NOT_FOUND);
    case DnsStatus::NoData: return new_rr(&server_, domain, type, NO_DATA);
    case DnsStatus::TempFail:
    case DnsStatus::PermFail: return new_rr(&server_, domain, type, TRY_AGAIN);
    case DnsStatus::Ok: break;
  }
  if (empty) return new_rr(&server_, domain, type, NO_DATA);

  std::vector<std::string>& recs = a.records;
  if (*rr_type == RrType::MX && static_cast<int>(recs.size()) > limits_.max_mx) {
    exceed("more than " + std::to_string(limits_.max_mx) + " MX records at " + name +
           " (RFC 7208 §4.6.4)");
    return new_rr(&server_, domain, type, TRY_AGAIN);
  }
  if (*rr_type == RrType::PTR && static_cast<int>(recs.size()) > limits_.max_ptr)
    recs.resize(limits_.max_ptr);  // §4.6.4: "all records other than the first 10 MUST be ignored"
  if (*rr_type == RrType::TXT) {
    // §6.2: several records, or text that is not a valid macro-string, = no
    // explanation. libspf2 ends a macro-string at a space, so spaces become "%_".
    // Longer texts are dropped too: libspf2 1.2.10 overflows a stack buffer compiling
    // an exp= text of 43+ macro + literal pairs (215+ characters; found by
    // tests/fuzz/fuzz_spf_check.cc, tests/unit/auth/fuzz_regressions_test.cc).
    constexpr size_t kMaxExplanation = 200;
    if (recs.size() > 1 || !valid_macro_string(recs[0], true) || recs[0].empty() ||
        recs[0].size() > kMaxExplanation)
      return new_rr(&server_, domain, type, NO_DATA);
    std::string text;
    for (char c : recs[0]) text += c == ' ' ? std::string("%_") : std::string(1, c);
    recs[0] = text;
    exp_upper_macro_ = false;
    for (size_t i = 0; i + 2 < text.size(); ++i)
      if (text[i] == '%' && text[i + 1] == '{' &&
          std::isupper(static_cast<unsigned char>(text[i + 2])))
        exp_upper_macro_ = true;
  }

  SPF_dns_rr_t* rr = new_rr(&server_, domain, type, NETDB_SUCCESS);
  fill(rr, *rr_type, recs);
  if (rr->num_rr == 0) rr->herrno = NO_DATA;
  if (*rr_type == RrType::MX || *rr_type == RrType::PTR) {
    followups_from_ptr_ = *rr_type == RrType::PTR;
    for (int i = 0; i < rr->num_rr; ++i)
      followups_.push_back(
          normalize_domain(*rr_type == RrType::MX ? rr->rr[i]->mx : rr->rr[i]->ptr));
  }
  return rr;
}

SPF_errcode_t SpfDnsAdapter::get_spf(SPF_server_t* server, SPF_request_t* request,
                                     SPF_response_t* response, SPF_record_t** record) {
  // Called by libspf2 for "include:" and "redirect=" (the first record is fetched by
  // SpfChecker directly, so it is not counted as a term).
  *record = nullptr;
  followups_.clear();
  std::string domain = request->cur_dom ? request->cur_dom : "";
  if (limit_error_ || !count_term("include/redirect " + domain))
    return SPF_response_add_error(response, SPF_E_DNS_ERROR, "SPF limit exceeded");
  SpfRecordLookup r = lookup_spf_record(*dns_, domain);
  SpfSyntax syntax;
  if (r.status == SpfRecordStatus::Found) {
    syntax = check_spf_record(r.text, request->client_ver == AF_INET6);
    if (!syntax.ok)
      return SPF_response_add_error(response, SPF_E_SYNTAX, "SPF record at %s: %s", domain.c_str(),
                                    syntax.error.c_str());
    inexact_ |= syntax.inexact;
  }
  switch (r.status) {
    case SpfRecordStatus::TempError:
      return SPF_response_add_error(response, SPF_E_DNS_ERROR, "%s", r.error.c_str());
    case SpfRecordStatus::None:
      return SPF_response_add_error(response, SPF_E_NOT_SPF, "%s", r.error.c_str());
    case SpfRecordStatus::PermError:
      return SPF_response_add_error(response, SPF_E_MULTIPLE_RECORDS, "%s", r.error.c_str());
    case SpfRecordStatus::Found: break;
  }
  SPF_errcode_t err = SPF_record_compile(server, response, record, syntax.rewritten.c_str());
  if (err != SPF_E_SUCCESS) {
    if (*record) SPF_record_free(*record);
    *record = nullptr;
    return SPF_response_add_error(response, err, "invalid SPF record at %s", domain.c_str());
  }
  return SPF_E_SUCCESS;
}

}  // namespace alignd
