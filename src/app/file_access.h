// Whether another user could read a file: every directory above it searchable
// and the file readable, by its mode bits, owner and group. For `config check`
// and `serve` started as root, which read the keys as root but will re-read
// them on reload as [milter] user. ACLs and capabilities are not modelled.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace alignd {

// "" when uid (member of gids) may read path; else what stops it, e.g.
// "/etc/alignd/keys is root:root mode 0700 (no search permission)".
std::string read_access_problem(const std::string& path, uid_t uid, const std::vector<gid_t>& gids);

// The groups of a user (primary first), as initgroups() would give them.
std::vector<gid_t> user_groups(const std::string& user, gid_t primary);

}  // namespace alignd
