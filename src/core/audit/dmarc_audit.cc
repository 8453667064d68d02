// DMARC record audit; see dmarc_audit.h.
#include "core/audit/dmarc_audit.h"

#include <algorithm>
#include "core/report/destination.h"

#include "core/text.h"

namespace alignd {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::Ok: return "ok";
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "info";
}

namespace {

Finding f(Severity s, std::string m) {
  return {"dmarc", s, std::move(m)};
}

}  // namespace

Findings audit_dmarc_record(const DmarcRecord& r, std::string_view domain,
                            std::string_view policy_domain) {
  Findings out;
  const bool own = normalize_domain(domain) == normalize_domain(policy_domain);
  out.push_back(f(Severity::Ok, std::string(own ? "record" : "no record of its own; the record") +
                                    " at _dmarc." + std::string(policy_domain) + ": " + r.text));
  // RFC 9989 §4.7 p: required; §4.10.1 without a valid p= the record applies as
  // p=none only when rua= holds a valid URI.
  if (!r.p) {
    out.push_back(f(Severity::Error, r.p_invalid ? "p= has an invalid value (RFC 9989 §4.7)"
                                                 : "p= is missing (RFC 9989 §4.7 requires it)"));
  } else if (*r.p == RequestedPolicy::None) {
    out.push_back(
        f(Severity::Info, "p=none: monitoring only, receivers are asked not to act on failures"));
  } else {
    out.push_back(f(Severity::Ok, "p=" + std::string(to_string(*r.p))));
  }
  if (r.sp_invalid) out.push_back(f(Severity::Error, "sp= has an invalid value (RFC 9989 §4.7)"));
  if (r.np_invalid) out.push_back(f(Severity::Error, "np= has an invalid value (RFC 9989 §4.7)"));
  if (r.sp)
    out.push_back(f(Severity::Info, "sp=" + std::string(to_string(*r.sp)) + " for subdomains"));
  if (r.np)
    out.push_back(f(Severity::Info, "np=" + std::string(to_string(*r.np)) +
                                        " for non-existent subdomains (RFC 9989 §4.7)"));
  if (r.psd == PsdFlag::Yes)
    out.push_back(f(Severity::Info, "psd=y: published as a Public Suffix Domain's record"));
  if (r.testing)
    out.push_back(f(Severity::Warning,
                    "t=y: testing mode, receivers apply one level milder than p= (RFC 9989 §4.7)"));
  // RFC 9989 Appendix C.5.2: pct, rf and ri are gone.
  if (r.pct)
    out.push_back(f(Severity::Warning, "pct=" + std::to_string(*r.pct) +
                                           " was removed by RFC 9989 (Appendix C.5.2); use t=y "
                                           "for testing instead"));
  if (!r.rf.empty() && r.text.find("rf=") != std::string::npos)
    out.push_back(f(Severity::Warning, "rf= was removed by RFC 9989 (Appendix C.5.2)"));
  if (r.ri)
    out.push_back(f(Severity::Warning,
                    "ri= was removed by RFC 9989 (Appendix C.5.2): aggregate "
                    "reports cover UTC days (RFC 9990 §3.1.1.4)"));
  for (const auto& e : r.errors) out.push_back(f(Severity::Error, "syntax: " + e));
  for (const auto& t : r.unknown_tags)
    out.push_back(f(Severity::Warning, "unknown tag '" + t + "' (ignored, RFC 9989 §4.7)"));
  // rua (RFC 9989 §4.7, RFC 9990 §3): where aggregate reports go.
  if (r.rua.empty()) {
    out.push_back(f(Severity::Info, "no rua=: you receive no aggregate reports"));
  } else {
    Destinations d = mailto_destinations(r.rua);
    for (const auto& m : d.mailto) out.push_back(f(Severity::Ok, "rua destination " + m.address));
    for (const auto& e : d.errors) out.push_back(f(Severity::Error, "rua: " + e));
    for (const auto& u : r.rua)
      if (u.scheme != "mailto")
        out.push_back(
            f(Severity::Warning, "rua " + u.uri + ": only mailto: is used (RFC 9989 §4.7)"));
  }
  return out;
}

std::vector<std::string> external_rua_hosts(const DmarcRecord& r, std::string_view org_domain) {
  std::vector<std::string> out;
  for (const auto& m : mailto_destinations(r.rua).mailto)
    if (!domain_at_or_below(m.domain, org_domain) &&
        std::find(out.begin(), out.end(), m.domain) == out.end())
      out.push_back(m.domain);
  return out;
}

}  // namespace alignd
