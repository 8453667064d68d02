// Runtime helpers.
#include "milter/runtime.h"

namespace alignd {

bool Runtime::is_trusted(std::string_view ip) const {
  for (const auto& n : trusted_networks)
    if (cidr_contains(n, ip)) return true;
  return false;
}

}  // namespace alignd
