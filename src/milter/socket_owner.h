// Who should own the milter's unix socket, and whether a chown is needed at
// all. Pure: names are resolved by the caller (callbacks.cc). Under the shipped
// systemd unit the socket is born with the right group (Group=alignd), so no
// chown happens — chown is in @privileged, which the unit's filter blocks.
#pragma once
#include <sys/types.h>

#include <optional>

namespace alignd {

struct SocketChown {
  bool needed = false;
  uid_t uid = static_cast<uid_t>(-1);  // -1: leave as is (chown(2) semantics)
  gid_t gid = static_cast<gid_t>(-1);
};

// want_*: the configured owner/group (nullopt = leave). cur_*: what the socket has.
SocketChown plan_socket_chown(uid_t cur_uid, gid_t cur_gid, std::optional<uid_t> want_uid,
                              std::optional<gid_t> want_gid);

}  // namespace alignd
