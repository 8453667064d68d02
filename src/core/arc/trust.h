// Local trust in an Authenticated Received Chain (RFC 8617 §7.2.1: a receiver MAY,
// as a matter of local policy, accept the assessments of sealers it trusts; §9.4:
// every other sealer is suspect). Pure: fills ArcResult's trust fields from the
// validated chain, the configured [arc] trusted_sealers and the author domain.
//
// trusted_pass holds only when (1) the chain validates, (2) the newest ARC-Seal is
// by a trusted sealer, and (3) some instance i recorded dmarc=pass with header.from
// = the author domain in its ARC-Authentication-Results, while every ARC-Seal from i
// to the newest is by a trusted sealer. An untrusted sealer anywhere above i breaks
// it: that sealer could have written the AAR's claims or replaced the message.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/arc/result.h"

namespace alignd {

// Exact domain match, case-insensitive, a trailing dot ignored.
bool is_trusted_sealer(std::string_view domain, const std::vector<std::string>& trusted);

void apply_arc_trust(ArcResult& r, const std::vector<std::string>& trusted_sealers,
                     std::string_view author_domain);

// What the trusted sealers recorded for `method` ("dmarc", "spf", "dkim") in the
// AARs of instances trusted_from..N, oldest first; empty when there is no trusted
// suffix. A dmarc= result counts only when its header.from is `author_domain`.
std::vector<std::string> trusted_aar_results(const ArcResult& r, std::string_view method,
                                             std::string_view author_domain);

}  // namespace alignd
