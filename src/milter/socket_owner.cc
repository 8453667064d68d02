// plan_socket_chown: see socket_owner.h.
#include "milter/socket_owner.h"

namespace alignd {

SocketChown plan_socket_chown(uid_t cur_uid, gid_t cur_gid, std::optional<uid_t> want_uid,
                              std::optional<gid_t> want_gid) {
  SocketChown p;
  if (want_uid && *want_uid != cur_uid) p.uid = *want_uid;
  if (want_gid && *want_gid != cur_gid) p.gid = *want_gid;
  p.needed = p.uid != static_cast<uid_t>(-1) || p.gid != static_cast<gid_t>(-1);
  return p;
}

}  // namespace alignd
