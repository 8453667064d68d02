// RFC 9990 §4 steps 1–9.
#include "report/verify.h"

#include "core/dmarc/record.h"
#include "core/text.h"

namespace alignd {

bool is_external_destination(const std::string& policy_domain, const std::string& org_domain,
                             const ReportDestination& d) {
  const std::string& base = org_domain.empty() ? policy_domain : org_domain;
  return !domain_at_or_below(d.domain, base);
}

Verification verify_external_destination(Resolver& dns, const std::string& policy_domain,
                                         const ReportDestination& d) {
  Verification v;
  // Steps 1–3: <policy-domain>._report._dmarc.<destination host>
  std::string name = normalize_domain(policy_domain) + "._report._dmarc." + d.domain;
  if (name.size() > 253) {  // step 4
    v.reason = name + " exceeds DNS name limits";
    return v;
  }
  DnsAnswer a = dns.query(name, RrType::TXT);  // step 5
  if (a.status == DnsStatus::TempFail) {
    v.result = Verification::Result::TempFail;
    v.reason = "TXT " + name + ": " + (a.error.empty() ? "temporary DNS failure" : a.error);
    return v;
  }
  if (a.status != DnsStatus::Ok) {
    v.reason = "TXT " + name + ": " + std::string(to_string(a.status));
    return v;
  }
  // Steps 6–8: at least one record that starts with v=DMARC1.
  for (const auto& txt : a.records) {
    DmarcParse p = parse_dmarc_record(txt);
    if (!p.ok()) continue;
    v.result = Verification::Result::Authorized;
    // Step 9: a rua= here replaces the destination, but only towards the same host;
    // a different host voids both (RFC 9990 §4, after the steps).
    Destinations over = mailto_destinations(p.record.rua);
    for (const auto& o : over.mailto) {
      if (o.domain != d.domain) {
        v.result = Verification::Result::Refused;
        v.send_to.clear();
        v.reason = "override rua " + o.uri + " points to another host";
        return v;
      }
      v.send_to.push_back(o);
    }
    if (v.send_to.empty()) v.send_to.push_back(d);
    return v;
  }
  v.reason = "TXT " + name + ": no v=DMARC1 record";
  return v;
}

}  // namespace alignd
