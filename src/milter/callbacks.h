// The libmilter edge: registers the callbacks, opens the socket and runs the
// milter loop. Each callback is a one-line trampoline into Session.
#pragma once
#include <functional>
#include <string>

#include "milter/runtime.h"

namespace alignd {

struct MilterOptions {
  std::string socket;  // libmilter syntax: unix:PATH | inet:PORT@HOST | inet6:PORT@HOST
  int timeout_s = 300;
  std::string socket_owner, socket_group, socket_mode;
  std::string user;  // milter.user: when root, the socket's default owner and group
};

// Opens the socket (removing a stale unix socket, creating its directory,
// applying owner/group/mode; socket_owner.h). Throws std::runtime_error with the reason.
void milter_open(const MilterOptions& opts, RuntimeHolder& runtimes);
// Runs until SIGTERM/SIGINT (libmilter's own signal thread stops it), then
// waits for in-flight connections to finish. Returns 0 on a clean stop.
int milter_run();
// Connections currently being served (for drain and metrics).
int milter_active_sessions();

}  // namespace alignd
