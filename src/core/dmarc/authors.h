// DMARC for a message's whole RFC5322.From, however it is broken (RFC 9989
// §5.3.1, §11.5): one Author Domain is evaluated as usual; several (one From
// listing several domains, or several From fields) are each evaluated, up to a
// limit, and the strictest outcome applies; no usable domain at all is a
// permerror the policy can see. Pure: DNS is passed in, no enforcement here.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "core/address.h"
#include "core/dmarc/evaluate.h"

namespace alignd {

// RFC 9989 §11.5 "Limiting the number of Author Domains processed": the
// default of `dmarc.max_author_domains`.
constexpr size_t kDefaultMaxAuthorDomains = 5;

struct AuthorsDmarc {
  // What the policy engine and Authentication-Results see: the one domain's
  // result, or the strictest of several (strictest_dmarc()). A From without any
  // usable domain gives result=permerror with evaluated=false.
  DmarcResult combined;
  // Every evaluated author domain's own result, in From order (one entry for an
  // ordinary message): each is recorded for its domain's aggregate reports.
  std::vector<DmarcResult> each;
  // AuthorDomain::problem; "too-many-authors" instead of "multiple-addresses"
  // when one From field holds more distinct domains than the limit: the
  // evaluation is incomplete (§11.5) and the message counts as having a broken
  // From. Only the first max_domains domains are evaluated in every case.
  std::string from_problem;
};

AuthorsDmarc evaluate_dmarc_authors(const AuthorDomain& from, const DmarcInput& in,
                                    const DnsLookup& dns, const DmarcOptions& opts,
                                    size_t max_domains = kDefaultMaxAuthorDomains);

// RFC 9989 §11.5 "apply the most strict policy selected among the checks that
// fail", extended to the other results so that nothing a second domain adds can
// weaken the first: fail with reject > temperror (its policy is unknown and may
// be reject) > fail with quarantine > fail with none > permerror > none > pass.
// Among equals the first in From order. `results` must not be empty.
const DmarcResult& strictest_dmarc(const std::vector<DmarcResult>& results);

}  // namespace alignd
