// plan_socket_chown: chown only when the socket's owner or group differs from
// what is wanted (the shipped unit's seccomp filter blocks chown).
#include <catch2/catch.hpp>

#include "milter/socket_owner.h"

using namespace alignd;

TEST_CASE("socket chown happens only when something differs") {
  const uid_t kLeave = static_cast<uid_t>(-1);
  const gid_t kLeaveG = static_cast<gid_t>(-1);
  struct Case {
    uid_t cur_uid;
    gid_t cur_gid;
    std::optional<uid_t> want_uid;
    std::optional<gid_t> want_gid;
    bool needed;
    uid_t uid;
    gid_t gid;
  };
  const Case cases[] = {
      // under systemd User=alignd Group=alignd: born right, no chown
      {995, 995, std::nullopt, std::nullopt, false, kLeave, kLeaveG},
      {995, 995, std::nullopt, 995u, false, kLeave, kLeaveG},
      {995, 995, 995u, 995u, false, kLeave, kLeaveG},
      // root with milter.user = alignd: the socket goes to alignd:alignd
      {0, 0, 995u, 995u, true, 995, 995},
      // a group that differs: only the group changes
      {995, 995, std::nullopt, 105u, true, kLeave, 105},
      {0, 995, 995u, std::nullopt, true, 995, kLeaveG},
  };
  for (const auto& c : cases) {
    SocketChown p = plan_socket_chown(c.cur_uid, c.cur_gid, c.want_uid, c.want_gid);
    CHECK(p.needed == c.needed);
    CHECK(p.uid == c.uid);
    CHECK(p.gid == c.gid);
  }
}
