// check-domain's SPF audit (RFC 7208): the record's syntax (spf_syntax.h), the
// DNS-querying terms counted across include: and redirect= against the limit
// of 10 (§4.6.4), void lookups against 2 (§4.6.4), "+all" and a missing "all"
// (§5.1). DNS is passed in; the client-independent parts only (macros that
// depend on the sender are not expanded: such terms are counted, not followed).
#pragma once
#include <string>
#include <string_view>

#include "core/audit/finding.h"
#include "core/dns_types.h"

namespace alignd {

struct SpfAudit {
  Findings findings;
  std::string record;    // the domain's own SPF record, "" if none
  int dns_terms = 0;     // include, a, mx, ptr, exists, redirect (expanded)
  int void_lookups = 0;  // lookups answering NXDOMAIN or no records
};

SpfAudit audit_spf(std::string_view domain, const DnsLookup& dns);

}  // namespace alignd
