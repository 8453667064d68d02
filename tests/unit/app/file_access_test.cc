// read_access_problem: could the daemon's user read a key that root can?
// (issue 10 item 9: keys made by root in a 0700 directory are not.)
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "app/file_access.h"

using namespace alignd;

TEST_CASE("read_access_problem walks the directories and the file's mode") {
  if (::geteuid() != 0) {
    WARN("skipped: needs root to chown test files");
    return;
  }
  const uid_t daemon = 4242;
  const gid_t group = 4242;
  std::string base = "/tmp/alignd-access-" + std::to_string(::getpid());
  std::filesystem::create_directories(base + "/keys");
  std::string dir = base + "/keys", key = dir + "/k.key";
  std::ofstream(key) << "x";
  ::chmod(base.c_str(), 0755);

  struct Case {
    mode_t dir_mode;
    gid_t dir_gid;
    mode_t key_mode;
    gid_t key_gid;
    const char* problem;
  };
  const Case cases[] = {
      {0700, 0, 0600, 0, "keys is root:root mode 0700 (no search permission)"},  // keygen's old way
      {0750, group, 0600, 0, "k.key is root:root mode 0600 (no read permission)"},
      {0750, group, 0640, group, ""},  // keygen's way now: group alignd
      {0750, 0, 0640, group, "no search permission"},
      {0711, 0, 0604, 0, ""},
  };
  for (const auto& c : cases) {
    INFO(c.dir_mode << " " << c.key_mode);
    REQUIRE(::chown(dir.c_str(), 0, c.dir_gid) == 0);
    REQUIRE(::chmod(dir.c_str(), c.dir_mode) == 0);
    REQUIRE(::chown(key.c_str(), 0, c.key_gid) == 0);
    REQUIRE(::chmod(key.c_str(), c.key_mode) == 0);
    std::string p = read_access_problem(key, daemon, {group});
    if (*c.problem == 0)
      CHECK(p.empty());
    else
      CHECK_THAT(p, Catch::Contains(c.problem));
  }
  CHECK(read_access_problem(key, 0, {0}).empty());  // root reads anything
  CHECK_THAT(read_access_problem(base + "/missing", daemon, {group}),
             Catch::Contains("No such file"));
  std::filesystem::remove_all(base);
}
