// SpfChecker: builds a libspf2 request per identity, fetches the first record itself
// (no localhost "free ride", no type 99), runs SPF_record_interpret over the
// SpfDnsAdapter and maps the response to an SpfResult. Received-SPF formatting.
#include "auth/spf_checker.h"

#include <cctype>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "auth/spf_dns_adapter.h"
#include "auth/spf_libspf2.h"
#include "auth/spf_record_lookup.h"
#include "auth/spf_syntax.h"
#include "core/log.h"
#include "core/text.h"

namespace alignd {

namespace {

// libspf2 prints info/warnings to stdout/stderr by default: route them to our log
// (stdout belongs to `alignd eval --json`). Errors (assertions) keep the default.
void quiet_log(const char* file, int line, const char* msg) {
  log_debug(std::string("libspf2: ") + (msg ? msg : "") + " (" + (file ? file : "?") + ":" +
            std::to_string(line) + ")");
}

void install_log_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    SPF_warning_handler = quiet_log;
    SPF_info_handler = quiet_log;
    SPF_debug_handler = quiet_log;
  });
}

struct ServerFree {
  void operator()(SPF_server_t* s) const { SPF_server_free(s); }
};
struct RequestFree {
  void operator()(SPF_request_t* r) const { SPF_request_free(r); }
};
struct ResponseFree {
  void operator()(SPF_response_t* r) const { SPF_response_free(r); }
};
struct RecordFree {
  void operator()(SPF_record_t* r) const { SPF_record_free(r); }
};

Outcome outcome_of(SPF_result_t r) {
  switch (r) {
    case SPF_RESULT_PASS: return Outcome::Pass;
    case SPF_RESULT_FAIL: return Outcome::Fail;
    case SPF_RESULT_SOFTFAIL: return Outcome::SoftFail;
    case SPF_RESULT_NEUTRAL: return Outcome::Neutral;
    case SPF_RESULT_NONE: return Outcome::None;
    case SPF_RESULT_TEMPERROR: return Outcome::TempError;
    case SPF_RESULT_PERMERROR: return Outcome::PermError;
    case SPF_RESULT_INVALID: break;
  }
  return Outcome::PermError;  // "cannot happen": libspf2 never finished
}

// The first error message libspf2 recorded, else its text for the error code.
std::string error_text(SPF_response_t* resp) {
  for (int i = 0; i < SPF_response_messages(resp); ++i) {
    SPF_error_t* e = SPF_response_message(resp, i);
    if (e && SPF_error_errorp(e) && SPF_error_message(e)) return SPF_error_message(e);
  }
  return SPF_strerror(SPF_response_errcode(resp));
}

std::string_view domain_of(std::string_view sender) {
  auto at = sender.rfind('@');
  return at == std::string_view::npos ? sender : sender.substr(at + 1);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// libspf2 URL-escapes upper-case macros (§7.3) with lower-case hex; RFC 3986 §2.1
// and the RFC 7208 test suite use upper case.
void upper_url_escapes(std::string& s) {
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    if (s[i] != '%' || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2])))
      continue;
    s[i + 1] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[i + 1])));
    s[i + 2] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[i + 2])));
  }
}

}  // namespace

bool spf_checkable_domain(std::string_view d) {
  if (!d.empty() && d.back() == '.') d.remove_suffix(1);
  if (d.empty() || d.size() > 253 || d.front() == '[') return false;
  auto labels = split(d, '.');
  if (labels.size() < 2) return false;
  for (auto l : labels) {
    if (l.empty() || l.size() > 63) return false;
    for (unsigned char c : l)
      if (c <= 0x20 || c == 0x7f) return false;
  }
  return !all_digits(labels.back());  // "192.0.2.1" is an address, not a name
}

struct SpfChecker::Impl {
  Impl(Resolver& dns, std::string receiver) : adapter(dns), receiver(std::move(receiver)) {
    install_log_handlers();
    server.reset(SPF_server_new_dns(adapter.server(), 0));
    if (!server) throw std::runtime_error("libspf2: cannot create an SPF server");
    if (!this->receiver.empty()) SPF_server_set_rec_dom(server.get(), this->receiver.c_str());
    // No default explanation: only a domain's own exp= text is reported (§6.2).
    SPF_response_t* resp = nullptr;
    SPF_server_set_explanation(server.get(), "", &resp);
    if (resp) SPF_response_free(resp);
  }

  // check_host(<ip>, <domain of sender>, <sender>) (RFC 7208 §4).
  SpfResult check(std::string_view ip, std::string_view helo, const std::string& sender,
                  std::string identity);

  SpfDnsAdapter adapter;
  std::string receiver;
  std::unique_ptr<SPF_server_t, ServerFree> server;
};

SpfResult SpfChecker::Impl::check(std::string_view ip, std::string_view helo,
                                  const std::string& sender, std::string identity) {
  SpfResult r;
  r.checked = true;
  r.identity = std::move(identity);
  r.domain = std::string(domain_of(sender));
  if (!spf_checkable_domain(r.domain)) {  // §4.3: malformed domain -> none
    r.result = Outcome::None;
    r.reason = "not a checkable domain name: \"" + r.domain + "\" (RFC 7208 §4.3)";
    return r;
  }

  std::unique_ptr<SPF_request_t, RequestFree> req(SPF_request_new(server.get()));
  std::string ip_text(trim(ip));
  if (ip_text.size() > 2 && ip_text.front() == '[' && ip_text.back() == ']')
    ip_text = ip_text.substr(1, ip_text.size() - 2);
  if (istarts_with(ip_text, "IPv6:")) ip_text = ip_text.substr(5);
  in_addr a4{};
  in6_addr a6{};
  if (inet_pton(AF_INET, ip_text.c_str(), &a4) == 1) {
    SPF_request_set_ipv4(req.get(), a4);
  } else if (inet_pton(AF_INET6, ip_text.c_str(), &a6) == 1) {
    if (IN6_IS_ADDR_V4MAPPED(&a6)) {  // §5: an IPv4-mapped client is an IPv4 client
      std::memcpy(&a4, &a6.s6_addr[12], 4);
      SPF_request_set_ipv4(req.get(), a4);
    } else {
      SPF_request_set_ipv6(req.get(), a6);
    }
  } else {
    r.result = Outcome::PermError;
    r.reason = "invalid client IP address \"" + std::string(ip) + "\"";
    return r;
  }
  // %{h} needs a HELO; without one (possible with `alignd eval`) it expands to
  // "unknown", like %{p} without a validated name (§7.3), instead of an error.
  std::string helo_text = helo.empty() ? std::string("unknown") : std::string(helo);
  SPF_request_set_helo_dom(req.get(), helo_text.c_str());
  SPF_request_set_env_from(req.get(), sender.c_str());
  req->cur_dom = req->env_from_dp;

  adapter.begin_check();
  SpfRecordLookup rec = lookup_spf_record(adapter.resolver(), r.domain);
  switch (rec.status) {
    case SpfRecordStatus::None:
      r.result = Outcome::None;
      r.reason = rec.error;
      return r;
    case SpfRecordStatus::TempError:
      r.result = Outcome::TempError;
      r.reason = rec.error;
      return r;
    case SpfRecordStatus::PermError:
      r.result = Outcome::PermError;
      r.reason = rec.error;
      return r;
    case SpfRecordStatus::Found: break;
  }

  SpfSyntax syntax = check_spf_record(rec.text, req->client_ver == AF_INET6);
  if (!syntax.ok) {
    r.result = Outcome::PermError;
    r.reason = "SPF record at " + r.domain + ": " + syntax.error;
    return r;
  }
  adapter.note_inexact(syntax.inexact);

  std::unique_ptr<SPF_response_t, ResponseFree> resp(SPF_response_new(req.get()));
  SPF_record_t* raw = nullptr;
  if (SPF_record_compile(server.get(), resp.get(), &raw, syntax.rewritten.c_str()) !=
      SPF_E_SUCCESS) {
    if (raw) SPF_record_free(raw);
    r.result = Outcome::PermError;
    r.reason = "invalid SPF record at " + r.domain + ": " + error_text(resp.get());
    return r;
  }
  std::unique_ptr<SPF_record_t, RecordFree> record(raw);
  resp->spf_record_exp = record.get();
  SPF_record_interpret(record.get(), req.get(), resp.get(), 0);

  if (const auto& limit = adapter.limit_error()) {  // a §4.6.4 limit stopped libspf2
    r.result = Outcome::PermError;
    r.reason = *limit;
    return r;
  }
  r.result = outcome_of(SPF_response_result(resp.get()));
  switch (r.result) {
    case Outcome::TempError:
    case Outcome::PermError: r.reason = error_text(resp.get()); break;
    default: {
      const char* c = SPF_response_get_header_comment(resp.get());
      std::string_view comment = c ? c : "";
      if (auto colon = comment.find(": "); colon != std::string_view::npos)
        comment.remove_prefix(colon + 2);  // drop libspf2's "receiver: " prefix
      r.reason = std::string(comment);
    }
  }
  if (r.result == Outcome::Fail) {
    const char* e = SPF_response_get_explanation(resp.get());
    if (e) r.explanation = e;
    if (adapter.exp_upper_macro()) upper_url_escapes(r.explanation);
  }
  return r;
}

SpfChecker::SpfChecker(Resolver& dns, std::string receiver)
    : impl_(std::make_unique<Impl>(dns, std::move(receiver))) {}

SpfChecker::~SpfChecker() = default;

void SpfChecker::set_resolver(Resolver& dns) {
  impl_->adapter.set_resolver(dns);
}

SpfResult SpfChecker::check_helo(std::string_view client_ip, std::string_view helo) {
  std::string h(trim(helo));
  if (!spf_checkable_domain(h)) {  // §2.3: address literal or not a FQDN -> none
    SpfResult r;
    r.checked = true;
    r.identity = h;
    r.result = Outcome::None;
    r.reason = "HELO is not a fully qualified domain name (RFC 7208 §2.3)";
    return r;
  }
  return impl_->check(client_ip, h, "postmaster@" + h, h);
}

SpfResult SpfChecker::check_mail_from(std::string_view client_ip, std::string_view helo,
                                      std::string_view mail_from) {
  std::string h(trim(helo));
  std::string sender(trim(mail_from));
  if (sender.size() >= 2 && sender.front() == '<' && sender.back() == '>')
    sender = sender.substr(1, sender.size() - 2);
  if (sender.empty())
    sender = "postmaster@" + h;  // §2.4: null sender
  else if (sender.front() == '@')
    sender = "postmaster" + sender;  // §4.3: no local-part
  else if (sender.find('@') == std::string::npos)
    sender = "postmaster@" + sender;
  return impl_->check(client_ip, h, sender, sender);
}

namespace {

bool is_atext(unsigned char c) {
  return c != 0 && (std::isalnum(c) || std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr);
}

// RFC 5322 dot-atom, else a quoted-string (RFC 7208 §9.1 key-value-pair).
std::string kv_value(std::string_view v) {
  bool atom = !v.empty() && v.front() != '.' && v.back() != '.';
  for (unsigned char c : v)
    if (!(is_atext(c) || c == '.')) atom = false;
  if (atom) return std::string(v);
  std::string out = "\"";
  for (unsigned char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
  }
  return out + "\"";
}

// A comment's text: parentheses and backslashes escaped, controls dropped.
std::string ctext(std::string_view v) {
  std::string out;
  for (unsigned char c : v) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
  }
  return out;
}

}  // namespace

std::string received_spf_value(const SpfResult& r, std::string_view client_ip,
                               std::string_view helo, std::string_view receiver) {
  bool helo_identity = r.identity.find('@') == std::string::npos;
  std::string ip(client_ip);
  std::string who = "domain of " + r.identity;
  std::string comment;
  switch (r.result) {
    case Outcome::Pass: comment = who + " designates " + ip + " as permitted sender"; break;
    case Outcome::Fail: comment = who + " does not designate " + ip + " as permitted sender"; break;
    case Outcome::SoftFail:
      comment = "transitioning " + who + " does not designate " + ip + " as permitted sender";
      break;
    case Outcome::Neutral: comment = ip + " is neither permitted nor denied by " + who; break;
    case Outcome::None: comment = who + " does not designate permitted sender hosts"; break;
    case Outcome::TempError:
      comment = "temporary error checking " + who + (r.reason.empty() ? "" : ": " + r.reason);
      break;
    case Outcome::PermError:
      comment = "permanent error in the SPF record of " + r.domain +
                (r.reason.empty() ? "" : ": " + r.reason);
      break;
    case Outcome::Policy: comment = r.reason; break;
  }
  std::string out(to_string(r.result));
  out += " (";
  if (!receiver.empty()) out += ctext(receiver) + ": ";
  out += ctext(comment) + ")";
  out += " client-ip=" + kv_value(ip) + ";";
  if (!helo_identity) out += " envelope-from=" + kv_value(r.identity) + ";";
  if (!helo.empty()) out += " helo=" + kv_value(helo) + ";";
  if (!receiver.empty()) out += " receiver=" + kv_value(receiver) + ";";
  if (r.result == Outcome::PermError && !r.reason.empty())
    out += " problem=" + kv_value(r.reason) + ";";
  out += std::string(" identity=") + (helo_identity ? "helo" : "mailfrom");
  return out;
}

}  // namespace alignd
