// The published DMARC policy as aggregate reports describe it (RFC 9990
// §3.1.1.5): the record's tags via the DMARC record parser, with its problems
// collected for <error> (§3.1.5).
#pragma once
#include <string_view>

#include "core/report/evaluation.h"

namespace alignd {

// `discovery` is DmarcResult::discovery ("tree-walk" | "psl").
PublishedPolicy read_published_policy(std::string_view record, std::string_view discovery);

}  // namespace alignd
