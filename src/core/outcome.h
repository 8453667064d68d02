// Result categories shared by SPF, DKIM and DMARC (RFC 8601 §2.7 result values).
// Pure values; no I/O.
#pragma once
#include <optional>
#include <string_view>

namespace alignd {

// RFC 7208 §2.6 (SPF), RFC 8601 §2.7.1 (DKIM), RFC 9989 §4.8 (DMARC) results.
// Not every value is legal for every method: SoftFail is SPF only,
// Policy is DKIM only (RFC 8601 §2.7.1).
enum class Outcome { None, Pass, Fail, SoftFail, Neutral, TempError, PermError, Policy };

std::string_view to_string(Outcome o);
std::optional<Outcome> parse_outcome(std::string_view s);

}  // namespace alignd
