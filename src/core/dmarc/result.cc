// Names of DMARC result values.
#include "core/dmarc/result.h"

namespace alignd {

std::string_view to_string(RequestedPolicy p) {
  switch (p) {
    case RequestedPolicy::None: return "none";
    case RequestedPolicy::Quarantine: return "quarantine";
    case RequestedPolicy::Reject: return "reject";
  }
  return "none";
}

}  // namespace alignd
