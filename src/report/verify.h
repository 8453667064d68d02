// RFC 9990 §4 external destination verification: before mail to a rua
// destination outside the policy domain's organizational domain, look up
// <policy-domain>._report._dmarc.<destination-host> TXT and require v=DMARC1.
// A rua= there may redirect to mailboxes on the same host.
#pragma once
#include <string>
#include <vector>

#include "core/report/destination.h"
#include "dns/resolver.h"

namespace alignd {

// False when the destination host is at or below `org_domain` (or the policy
// domain when the organizational domain is unknown): no check needed.
bool is_external_destination(const std::string& policy_domain, const std::string& org_domain,
                             const ReportDestination& d);

struct Verification {
  enum class Result { Authorized, Refused, TempFail };
  Result result = Result::Refused;
  // Authorized: where to send (the destination itself, or the override's URIs).
  std::vector<ReportDestination> send_to;
  std::string reason;  // why refused / temp-failed, for logs
};

Verification verify_external_destination(Resolver& dns, const std::string& policy_domain,
                                         const ReportDestination& d);

}  // namespace alignd
