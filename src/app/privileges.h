// Dropping root after the milter socket is open.
#pragma once
#include <string>

namespace alignd {

// Switches to `user` (and its groups) when running as root. "" = stay.
// Throws std::runtime_error when the user does not exist or the switch fails.
void drop_privileges(const std::string& user);

}  // namespace alignd
