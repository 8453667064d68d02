// drop_privileges: initgroups + setgid + setuid, checked.
#include "app/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace alignd {

void drop_privileges(const std::string& user) {
  if (user.empty() || geteuid() != 0) return;
  passwd* pw = getpwnam(user.c_str());
  if (!pw) throw std::runtime_error("milter.user: no such user '" + user + "'");
  if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
      setuid(pw->pw_uid) != 0)
    throw std::runtime_error("cannot switch to user '" + user + "': " + std::strerror(errno));
  if (setuid(0) == 0) throw std::runtime_error("privileges could be regained after dropping them");
}

}  // namespace alignd
