// See json_out.h.
#include "app/json_out.h"

namespace alignd {

std::string dump_json(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace alignd
