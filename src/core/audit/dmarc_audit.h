// check-domain's view of a published DMARC record (RFC 9989 §4.7, §4.8): tags
// RFC 9989 removed (pct, rf, ri — Appendix C.5.2), a missing or invalid p=,
// what np=, sp=, psd= and t= mean for the domain, and the rua= URIs. Pure:
// the record is already fetched; the RFC 9990 §4 checks of external
// destinations need DNS and are the caller's (see external_rua_hosts).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/audit/finding.h"
#include "core/dmarc/record.h"

namespace alignd {

// `policy_domain`: where the record was found; `domain`: the one audited
// (a subdomain when the organizational domain's record applies).
Findings audit_dmarc_record(const DmarcRecord& r, std::string_view domain,
                            std::string_view policy_domain);

// mailto: rua hosts outside `org_domain`, which need the RFC 9990 §4
// "<policy-domain>._report._dmarc.<host>" authorization record.
std::vector<std::string> external_rua_hosts(const DmarcRecord& r, std::string_view org_domain);

}  // namespace alignd
