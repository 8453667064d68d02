// Reads an ARC-Authentication-Results field (RFC 8617 §4.1.1): "i=N;" followed by
// an Authentication-Results payload (RFC 8601), of which we keep the authserv-id and
// the dmarc, spf and dkim results a policy may look at. Pure, lenient: results that
// do not parse are skipped (core/auth_results.h). Leaves out the instance rules
// (chain.h).
#pragma once
#include <optional>
#include <string_view>

#include "core/arc/result.h"

namespace alignd {

// The digits of the leading "i=" tag of an AAR value ("" if there is none), and
// the rest of the value after its ';' in `payload`.
std::string_view aar_instance_digits(std::string_view value, std::string_view* payload = nullptr);

ArcAarInfo parse_aar(std::string_view value);

}  // namespace alignd
