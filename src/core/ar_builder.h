// Builds our Authentication-Results (RFC 8601) from the Evidence of one message:
// auth (RFC 8601 §2.7.4), spf (§2.7.2), dkim (§2.7.1), dmarc (RFC 9989 §7? /
// RFC 8601 registry). Pure.
#pragma once
#include <string_view>

#include "core/auth_results.h"
#include "core/evidence.h"

namespace alignd {

AuthResults build_auth_results(const Evidence& ev, std::string_view authserv_id);

}  // namespace alignd
