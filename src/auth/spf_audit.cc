// SPF audit by walking the include/redirect tree; see spf_audit.h.
#include "auth/spf_audit.h"

#include <set>

#include "auth/spf_record_lookup.h"
#include "auth/spf_syntax.h"
#include "core/text.h"

namespace alignd {

namespace {

struct Walker {
  const DnsLookup& dns;
  SpfAudit& out;
  std::set<std::string> seen;

  void add(Severity s, std::string m) { out.findings.push_back({"spf", s, std::move(m)}); }

  // The SPF record at `domain` (RFC 7208 §4.5), with findings for what is wrong.
  std::string fetch(const std::string& domain, bool top) {
    DnsAnswer a = dns(domain, RrType::TXT);
    if (a.status == DnsStatus::TempFail) {
      add(Severity::Error, "TXT " + domain + ": temporary DNS failure (" + a.error + ")");
      return "";
    }
    std::vector<std::string> spf;
    for (const auto& t : a.records)
      if (is_spf1_record(t)) spf.push_back(t);
    if (spf.size() > 1) {
      add(Severity::Error, domain + " publishes " + std::to_string(spf.size()) +
                               " SPF records: a permerror (RFC 7208 §4.5)");
      return "";
    }
    if (spf.empty()) {
      if (!top) ++out.void_lookups;  // §4.6.4: a lookup with no answer
      add(top ? Severity::Warning : Severity::Error,
          top ? "no SPF record at " + domain
              : "included " + domain + " has no SPF record: a permerror (RFC 7208 §5.2)");
      return "";
    }
    return spf[0];
  }

  bool has_macro(std::string_view s) { return s.find('%') != std::string_view::npos; }

  // a / mx without a macro: one query each; an empty answer is a void lookup.
  void probe(const std::string& name, RrType t) {
    DnsAnswer a = dns(name, t);
    if (a.status == DnsStatus::NxDomain || a.status == DnsStatus::NoData || a.records.empty())
      ++out.void_lookups;
  }

  void walk(const std::string& domain, bool top, int depth) {
    if (depth > 10 || !seen.insert(domain).second) {
      if (depth > 10)
        add(Severity::Error, "include/redirect nesting too deep at " + domain);
      else
        add(Severity::Error, domain + " is included twice (a loop or a duplicate)");
      return;
    }
    std::string rec = fetch(domain, top);
    if (rec.empty()) return;
    if (top) out.record = rec;
    SpfSyntax syn = check_spf_record(rec, false);
    if (!syn.ok) {
      add(Severity::Error, (top ? "" : "included " + domain + ": ") + "syntax: " + syn.error);
      return;
    }
    bool has_all = false;
    std::string redirect;
    for (auto term : split(rec, ' ')) {
      term = trim(term);
      if (term.empty() || istarts_with(term, "v=spf1")) continue;
      std::string t = to_lower(term);
      char q = t[0];
      if (q == '+' || q == '-' || q == '~' || q == '?') t.erase(0, 1);
      auto arg = [&](size_t n) {
        return t.size() > n ? std::string(term.substr(term.size() - (t.size() - n))) : "";
      };
      if (t == "all") {
        has_all = true;
        if (top && (q == '+' || q == 'a'))
          add(Severity::Error,
              "\"" + std::string(term) + "\" lets every host on the Internet send as " + domain);
        else if (top && q == '?')
          add(Severity::Warning, "\"?all\": hosts not listed get neutral, as if no record");
      } else if (t.rfind("include:", 0) == 0) {
        ++out.dns_terms;
        std::string target = normalize_domain(arg(8));
        if (!has_macro(target)) walk(target, false, depth + 1);
      } else if (t.rfind("redirect=", 0) == 0) {
        redirect = normalize_domain(arg(9));
      } else if (t == "a" || t.rfind("a:", 0) == 0 || t.rfind("a/", 0) == 0) {
        ++out.dns_terms;
        std::string n = t.rfind("a:", 0) == 0 ? arg(2) : domain;
        n = n.substr(0, n.find('/'));
        if (!has_macro(n)) probe(normalize_domain(n), RrType::A);
      } else if (t == "mx" || t.rfind("mx:", 0) == 0 || t.rfind("mx/", 0) == 0) {
        ++out.dns_terms;
        std::string n = t.rfind("mx:", 0) == 0 ? arg(3) : domain;
        n = n.substr(0, n.find('/'));
        if (!has_macro(n)) probe(normalize_domain(n), RrType::MX);
      } else if (t == "ptr" || t.rfind("ptr:", 0) == 0) {
        ++out.dns_terms;
        if (top)
          add(Severity::Warning, "\"ptr\" is slow and unreliable: do not use it (RFC 7208 §5.5)");
      } else if (t.rfind("exists:", 0) == 0) {
        ++out.dns_terms;
      }
    }
    if (!redirect.empty()) {
      ++out.dns_terms;
      if (!has_all && !has_macro(redirect)) walk(redirect, false, depth + 1);
    } else if (top && !has_all) {
      add(Severity::Warning,
          "no \"all\" and no redirect=: hosts not listed get neutral; end the "
          "record with -all or ~all (RFC 7208 §5.1)");
    }
  }
};

}  // namespace

SpfAudit audit_spf(std::string_view domain, const DnsLookup& dns) {
  SpfAudit out;
  Walker w{dns, out, {}};
  std::string d = normalize_domain(domain);
  w.walk(d, true, 0);
  if (out.record.empty()) return out;
  out.findings.insert(out.findings.begin(),
                      {"spf", Severity::Ok, "record at " + d + ": " + out.record});
  // RFC 7208 §4.6.4: at most 10 DNS-querying terms, at most 2 void lookups.
  out.findings.push_back(
      {"spf", out.dns_terms > 10 ? Severity::Error : Severity::Ok,
       std::to_string(out.dns_terms) +
           " DNS-querying terms with includes expanded (limit 10, RFC 7208 §4.6.4)"});
  out.findings.push_back(
      {"spf", out.void_lookups > 2 ? Severity::Error : Severity::Ok,
       std::to_string(out.void_lookups) + " void lookups (limit 2, RFC 7208 §4.6.4)"});
  return out;
}

}  // namespace alignd
