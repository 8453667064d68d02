// libmilter callbacks: the only file that calls smfi_*. Each callback finds the
// connection's Session and forwards one event; end of message applies EomActions
// through MtaEdits (mta_edits.h) and replies. Any exception, and any header edit
// or quarantine the MTA refuses, becomes a temporary failure: never a crash,
// never a silent pass.
#include "milter/callbacks.h"

#include <arpa/inet.h>
#include <grp.h>
#include <libmilter/mfapi.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <thread>

#include "core/log.h"
#include "milter/mta_edits.h"
#include "milter/session.h"
#include "milter/socket_owner.h"

// libmilter's signal thread treats SIGHUP like SIGTERM (it stops the milter).
// SIGHUP must reload instead (INTERFACE.md), so libmilter's sigwait() is given
// the set without SIGHUP; our own reload thread waits for SIGHUP with
// sigwaitinfo(). This definition interposes the libc one for libmilter.
// SIGTERM is drained before libmilter hears it (milter_drain_before_stop).
namespace alignd {
void milter_drain_before_stop();
}
extern "C" int sigwait(const sigset_t* set, int* sig) {
  sigset_t s = *set;
  sigdelset(&s, SIGHUP);
  int r;
  do {
    r = sigwaitinfo(&s, nullptr);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return errno;
  if (r == SIGTERM) alignd::milter_drain_before_stop();
  *sig = r;
  return 0;
}

namespace alignd {
namespace {

RuntimeHolder* g_runtimes = nullptr;
std::atomic<int> g_active{0};
std::string g_unix_path;  // the listening unix socket, if any (milter_open)

struct Conn {
  explicit Conn(const RuntimeHolder& r) : session(r) { ++g_active; }
  ~Conn() { --g_active; }
  Session session;
  unsigned long proto = 0;  // negotiated protocol flags (SMFIP_*)
};

Conn* conn(SMFICTX* ctx) { return static_cast<Conn*>(smfi_getpriv(ctx)); }

Conn* ensure_conn(SMFICTX* ctx) {
  Conn* c = conn(ctx);
  if (!c) {
    c = new Conn(*g_runtimes);
    smfi_setpriv(ctx, c);
  }
  return c;
}

std::string macro(SMFICTX* ctx, const char* name) {
  const char* v = smfi_getsymval(ctx, const_cast<char*>(name));
  return v ? v : "";
}

// What to return for a stage whose reply we may skip (SMFIP_NR_*).
sfsistat go(SMFICTX* ctx, unsigned long nr_flag) {
  Conn* c = conn(ctx);
  return (c && (c->proto & nr_flag)) ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

std::string sanitize_reply_text(std::string_view t) {
  std::string out;
  for (char ch : t) {
    if (ch == '\r' || ch == '\n') continue;
    out += ch;
    if (ch == '%') out += '%';  // libmilter treats the text as a format for multi-line replies
  }
  return out;
}

sfsistat reply(SMFICTX* ctx, const StageReply& r, unsigned long nr_flag) {
  if (r.kind == StageReply::Continue) return go(ctx, nr_flag);
  if (!r.reply.code.empty()) {
    std::string text = sanitize_reply_text(r.reply.text);
    if (smfi_setreply(ctx, const_cast<char*>(r.reply.code.c_str()),
                      r.reply.xcode.empty() ? nullptr : const_cast<char*>(r.reply.xcode.c_str()),
                      const_cast<char*>(text.c_str())) != MI_SUCCESS)
      log_warning("the MTA refused the reply '" + r.reply.str() + "'; it sends its own " +
                  (r.kind == StageReply::Reject ? "5xx" : "4xx") + " text");
  }
  return r.kind == StageReply::Reject ? SMFIS_REJECT : SMFIS_TEMPFAIL;
}

// Header values we produce start with a space; without SMFIP_HDR_LEADSPC the MTA adds it.
std::string hdr_value(const Conn* c, const std::string& v) {
  if ((c->proto & SMFIP_HDR_LEADSPC) || v.empty() || v[0] != ' ') return v;
  return v.substr(1);
}

// MtaEdits over libmilter: each call reports MI_FAILURE as false (mta_edits.h).
class SmfiEdits final : public MtaEdits {
 public:
  SmfiEdits(SMFICTX* ctx, const Conn* c) : ctx_(ctx), c_(c) {}
  bool change_header(const std::string& name, int index, const std::string* value) override {
    std::string v = value ? hdr_value(c_, *value) : std::string();
    return smfi_chgheader(ctx_, const_cast<char*>(name.c_str()), index,
                          value ? const_cast<char*>(v.c_str()) : nullptr) == MI_SUCCESS;
  }
  bool insert_header(int index, const std::string& name, const std::string& value) override {
    std::string v = hdr_value(c_, value);
    return smfi_insheader(ctx_, index, const_cast<char*>(name.c_str()),
                          const_cast<char*>(v.c_str())) == MI_SUCCESS;
  }
  bool add_header(const std::string& name, const std::string& value) override {
    std::string v = hdr_value(c_, value);
    return smfi_addheader(ctx_, const_cast<char*>(name.c_str()), const_cast<char*>(v.c_str())) ==
           MI_SUCCESS;
  }
  bool quarantine(const std::string& reason) override {
    return smfi_quarantine(ctx_, const_cast<char*>(reason.c_str())) == MI_SUCCESS;
  }

 private:
  SMFICTX* ctx_;
  const Conn* c_;
};

template <typename F>
sfsistat guarded(SMFICTX* ctx, const char* stage, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    log_error(std::string("stage=") + stage + " internal error: " + e.what() +
              " (message deferred)");
  } catch (...) {
    log_error(std::string("stage=") + stage + " unknown internal error (message deferred)");
  }
  smfi_setreply(ctx, const_cast<char*>("451"), const_cast<char*>("4.3.0"),
                const_cast<char*>("Temporary authentication failure, try again later"));
  return SMFIS_TEMPFAIL;
}

sfsistat cb_negotiate(SMFICTX* ctx, unsigned long f0, unsigned long f1, unsigned long, unsigned long,
                      unsigned long* pf0, unsigned long* pf1, unsigned long* pf2,
                      unsigned long* pf3) {
  return guarded(ctx, "negotiate", [&] {
    Conn* c = ensure_conn(ctx);
    *pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE);
    // Ask for no replies where we never refuse: each round trip costs throughput.
    unsigned long want = SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_RCPT | SMFIP_NR_HDR |
                         SMFIP_NR_EOH | SMFIP_NR_BODY | SMFIP_NOUNKNOWN | SMFIP_NODATA |
                         SMFIP_HDR_LEADSPC;
    *pf1 = f1 & want;
    *pf2 = *pf3 = 0;
    c->proto = *pf1;
    return SMFIS_CONTINUE;
  });
}

std::string sockaddr_ip(const _SOCK_ADDR* sa) {
  if (!sa) return "";
  char buf[INET6_ADDRSTRLEN] = {0};
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

sfsistat cb_connect(SMFICTX* ctx, char* host, _SOCK_ADDR* addr) {
  return guarded(ctx, "connect", [&] {
    return reply(ctx, ensure_conn(ctx)->session.on_connect(host ? host : "", sockaddr_ip(addr)),
                 SMFIP_NR_CONN);
  });
}

sfsistat cb_helo(SMFICTX* ctx, char* helo) {
  return guarded(ctx, "helo", [&] {
    return reply(ctx, ensure_conn(ctx)->session.on_helo(helo ? helo : ""), SMFIP_NR_HELO);
  });
}

sfsistat cb_envfrom(SMFICTX* ctx, char** argv) {
  return guarded(ctx, "mail_from", [&] {
    return reply(ctx,
                 ensure_conn(ctx)->session.on_mail_from(argv && argv[0] ? argv[0] : "",
                                                        macro(ctx, "{auth_authen}"),
                                                        macro(ctx, "i")),
                 0);
  });
}

sfsistat cb_envrcpt(SMFICTX* ctx, char** argv) {
  return guarded(ctx, "rcpt", [&] {
    return reply(ctx, ensure_conn(ctx)->session.on_rcpt(argv && argv[0] ? argv[0] : ""),
                 SMFIP_NR_RCPT);
  });
}

sfsistat cb_header(SMFICTX* ctx, char* name, char* value) {
  return guarded(ctx, "header", [&] {
    return reply(ctx, ensure_conn(ctx)->session.on_header(name ? name : "", value ? value : ""),
                 SMFIP_NR_HDR);
  });
}

sfsistat cb_eoh(SMFICTX* ctx) {
  return guarded(ctx, "eoh",
                 [&] { return reply(ctx, ensure_conn(ctx)->session.on_eoh(), SMFIP_NR_EOH); });
}

sfsistat cb_body(SMFICTX* ctx, unsigned char* data, size_t len) {
  return guarded(ctx, "body", [&] {
    return reply(ctx,
                 ensure_conn(ctx)->session.on_body(
                     std::string_view(reinterpret_cast<const char*>(data), len)),
                 SMFIP_NR_BODY);
  });
}

sfsistat cb_eom(SMFICTX* ctx) {
  return guarded(ctx, "eom", [&] {
    Conn* c = ensure_conn(ctx);
    std::string queue = macro(ctx, "i");
    EomActions a = c->session.on_eom(queue);
    SmfiEdits mta(ctx, c);
    EomOutcome o = apply_eom_actions(a, mta);
    if (!o.failure.empty())
      log_error("stage=eom " + kv("queue", queue) + " the MTA refused " + o.failure +
                " (message deferred: " + o.reply.reply.str() + ")");
    return reply(ctx, o.reply, 0);
  });
}

sfsistat cb_abort(SMFICTX* ctx) {
  if (Conn* c = conn(ctx)) c->session.on_abort();
  return SMFIS_CONTINUE;
}

sfsistat cb_close(SMFICTX* ctx) {
  delete conn(ctx);
  smfi_setpriv(ctx, nullptr);
  return SMFIS_CONTINUE;
}

struct smfiDesc g_desc = {
    const_cast<char*>("alignd"),
    SMFI_VERSION,
    SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE,
    cb_connect,
    cb_helo,
    cb_envfrom,
    cb_envrcpt,
    cb_header,
    cb_eoh,
    cb_body,
    cb_eom,
    cb_abort,
    cb_close,
    nullptr,  // unknown
    nullptr,  // data
    cb_negotiate,
};

// Owner and group: as configured; by default, when root will switch to
// milter.user, that user and its group; root staying root: group postfix or
// alignd; otherwise what the socket was created with (the daemon's own user
// and group — under systemd, User=/Group=). chown only when something differs:
// the shipped unit's filter blocks chown.
void apply_socket_permissions(const std::string& path, const MilterOptions& o) {
  std::optional<uid_t> want_uid;
  std::optional<gid_t> want_gid;
  const passwd* drop_to = nullptr;
  if (!o.user.empty() && geteuid() == 0) {
    drop_to = getpwnam(o.user.c_str());
    if (!drop_to) throw std::runtime_error("milter.user: no such user '" + o.user + "'");
    want_uid = drop_to->pw_uid;
    want_gid = drop_to->pw_gid;
  }
  if (!o.socket_owner.empty()) {
    passwd* pw = getpwnam(o.socket_owner.c_str());
    if (!pw) throw std::runtime_error("milter.socket_owner: no such user '" + o.socket_owner + "'");
    want_uid = pw->pw_uid;
  }
  if (o.socket_group == "-") {
    want_gid.reset();
  } else if (o.socket_group.empty() && geteuid() == 0 && !drop_to) {
    // Root staying root (`make run` on defaults, which warns): root's own group
    // would shut the MTA out, so Postfix's own group, else alignd (Postfix
    // joins it at `make install`; Sendmail set-ups name their group).
    for (const char* name : {"postfix", "alignd"})
      if (struct group* gr = getgrnam(name)) {
        want_gid = gr->gr_gid;
        break;
      }
  } else if (!o.socket_group.empty()) {
    struct group* gr = getgrnam(o.socket_group.c_str());
    if (!gr)
      throw std::runtime_error("milter.socket_group: no such group '" + o.socket_group + "'");
    want_gid = gr->gr_gid;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw std::runtime_error("cannot stat " + path + ": " + std::strerror(errno));
  SocketChown plan = plan_socket_chown(st.st_uid, st.st_gid, want_uid, want_gid);
  if (plan.needed && chown(path.c_str(), plan.uid, plan.gid) != 0)
    throw std::runtime_error("cannot chown " + path +
                             " (milter.socket_owner/socket_group): " + std::strerror(errno));
  mode_t mode = static_cast<mode_t>(std::stoul(o.socket_mode, nullptr, 8));
  if (chmod(path.c_str(), mode) != 0)
    throw std::runtime_error("cannot chmod " + path + ": " + std::strerror(errno));
}

// libmilter does not expose its listening socket. For inet sockets, find it
// (the one listening TCP socket we own) and set TCP_NODELAY, which Linux
// passes on to accepted connections: without it Nagle + delayed ACK make each
// milter round trip wait. Unix sockets (the default) need nothing.
void set_listener_nodelay() {
  for (int fd = 3; fd < 1024; ++fd) {
    int listening = 0;
    socklen_t len = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    sockaddr_storage ss{};
    socklen_t sl = sizeof ss;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &sl) != 0) continue;
    if (ss.ss_family != AF_INET && ss.ss_family != AF_INET6) continue;
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0)
      log_debug("TCP_NODELAY set on the milter listening socket");
  }
}

}  // namespace

// SIGTERM, before libmilter stops: once it stops, Debian's libmilter (a worker
// pool) never serves again a session that waits for its next command, so the
// MTA would tempfail that message. On a unix socket, remove the socket's name
// (new connections fail: the MTA's milter_default_action, tempfail) and wait
// while libmilter still runs for the sessions in progress to end, at most 30 s
// (systemd's TimeoutStopSec=45). An inet: listener cannot refuse new
// connections without stopping libmilter: it stops at once, as before.
void milter_drain_before_stop() {
  if (g_unix_path.empty()) return;
  ::unlink(g_unix_path.c_str());
  int n = g_active.load();
  if (n > 0) log_info("SIGTERM: finishing " + std::to_string(n) + " milter sessions");
  for (int i = 0; i < 300 && g_active.load() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  if (g_active.load() > 0)
    log_warning("SIGTERM: " + std::to_string(g_active.load()) +
                " milter sessions still open after 30 s; the MTA tempfails their messages");
}

void milter_open(const MilterOptions& o, RuntimeHolder& runtimes) {
  g_runtimes = &runtimes;
  std::string unix_path;
  if (o.socket.rfind("unix:", 0) == 0 || o.socket.rfind("local:", 0) == 0) {
    unix_path = o.socket.substr(o.socket.find(':') + 1);
  } else if (o.socket.find(':') == std::string::npos && !o.socket.empty() && o.socket[0] == '/') {
    unix_path = o.socket;
  }
  if (!unix_path.empty()) {
    auto dir = std::filesystem::path(unix_path).parent_path();
    std::error_code ec;
    if (!dir.empty() && !std::filesystem::exists(dir)) {
      std::filesystem::create_directories(dir, ec);
      if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
      chmod(dir.c_str(), 0755);
    }
  }
  if (smfi_setconn(const_cast<char*>(o.socket.c_str())) != MI_SUCCESS)
    throw std::runtime_error("invalid milter socket '" + o.socket + "'");
  smfi_settimeout(o.timeout_s);
  if (smfi_register(g_desc) != MI_SUCCESS) throw std::runtime_error("smfi_register failed");
  // rmsocket=true: a stale unix socket left by a crash is removed first.
  if (smfi_opensocket(true) != MI_SUCCESS)
    throw std::runtime_error("cannot open milter socket '" + o.socket +
                             "' (in use by another process, or no permission)");
  if (!unix_path.empty()) {
    apply_socket_permissions(unix_path, o);
    g_unix_path = unix_path;
  } else {
    set_listener_nodelay();
  }
}

int milter_run() {
  int rc = smfi_main();
  // libmilter has stopped accepting; let in-flight connections finish (bounded).
  for (int i = 0; i < 300 && g_active.load() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return rc == MI_SUCCESS ? 0 : 1;
}

int milter_active_sessions() { return g_active.load(); }

}  // namespace alignd
