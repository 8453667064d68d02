// Outcome <-> RFC 8601 result keyword.
#include "core/outcome.h"

#include "core/text.h"

namespace alignd {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::None: return "none";
    case Outcome::Pass: return "pass";
    case Outcome::Fail: return "fail";
    case Outcome::SoftFail: return "softfail";
    case Outcome::Neutral: return "neutral";
    case Outcome::TempError: return "temperror";
    case Outcome::PermError: return "permerror";
    case Outcome::Policy: return "policy";
  }
  return "none";
}

std::optional<Outcome> parse_outcome(std::string_view s) {
  for (auto o : {Outcome::None, Outcome::Pass, Outcome::Fail, Outcome::SoftFail, Outcome::Neutral,
                 Outcome::TempError, Outcome::PermError, Outcome::Policy}) {
    if (iequals(s, to_string(o))) return o;
  }
  return std::nullopt;
}

}  // namespace alignd
