// Names of DMARC result values.
#include "core/dmarc/result.h"

#include "core/text.h"

namespace alignd {

std::string_view to_string(RequestedPolicy p) {
  switch (p) {
    case RequestedPolicy::None: return "none";
    case RequestedPolicy::Quarantine: return "quarantine";
    case RequestedPolicy::Reject: return "reject";
  }
  return "none";
}

std::optional<RequestedPolicy> parse_requested_policy(std::string_view s) {
  if (iequals(s, "none")) return RequestedPolicy::None;
  if (iequals(s, "quarantine")) return RequestedPolicy::Quarantine;
  if (iequals(s, "reject")) return RequestedPolicy::Reject;
  return std::nullopt;
}

}  // namespace alignd
