// read_access_problem, user_groups: see file_access.h.
#include "app/file_access.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace alignd {
namespace {

std::string name_of(uid_t u) {
  passwd* pw = getpwuid(u);
  return pw ? pw->pw_name : std::to_string(u);
}
std::string group_of(gid_t g) {
  group* gr = getgrgid(g);
  return gr ? gr->gr_name : std::to_string(g);
}

// The permission bits (r=4, w=2, x=1) that apply to uid/gids.
unsigned applicable(const struct stat& st, uid_t uid, const std::vector<gid_t>& gids) {
  if (st.st_uid == uid) return (st.st_mode >> 6) & 7;
  if (std::find(gids.begin(), gids.end(), st.st_gid) != gids.end()) return (st.st_mode >> 3) & 7;
  return st.st_mode & 7;
}

std::string describe(const std::string& p, const struct stat& st, const char* missing) {
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return p + " is " + name_of(st.st_uid) + ":" + group_of(st.st_gid) + " mode " + mode + " (" +
         missing + ")";
}

}  // namespace

std::string read_access_problem(const std::string& path, uid_t uid,
                                const std::vector<gid_t>& gids) {
  if (uid == 0) return "";
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  if (ec) return ec.message();
  std::filesystem::path dir;
  for (auto it = abs.begin(); it != abs.end(); ++it) {
    dir /= *it;
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return dir.string() + ": " + std::strerror(errno);
    bool last = std::next(it) == abs.end();
    if (!last && !(applicable(st, uid, gids) & 1)) return describe(dir, st, "no search permission");
    if (last && !(applicable(st, uid, gids) & 4)) return describe(dir, st, "no read permission");
  }
  return "";
}

std::vector<gid_t> user_groups(const std::string& user, gid_t primary) {
  std::vector<gid_t> g(64);
  int n = static_cast<int>(g.size());
  if (getgrouplist(user.c_str(), primary, g.data(), &n) < 0) {
    g.resize(static_cast<size_t>(n));
    if (getgrouplist(user.c_str(), primary, g.data(), &n) < 0) return {primary};
  }
  g.resize(static_cast<size_t>(n));
  return g;
}

}  // namespace alignd
