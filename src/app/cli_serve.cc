// alignd serve: the milter daemon, in the foreground. Loads the configuration,
// opens the socket, drops privileges, tells systemd it is ready, reloads on
// SIGHUP (a bad new configuration is logged and the old one stays) and drains
// on SIGTERM.
#include <signal.h>
#include <syslog.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "app/args.h"
#include "app/cli.h"
#include "app/http_server.h"
#include "app/log_stamp.h"
#include "app/privileges.h"
#include "app/runtime_loader.h"
#include "core/log.h"
#include "metrics/alignd_metrics.h"
#include "milter/callbacks.h"
#include "milter/services.h"

namespace alignd {
namespace {

const char* kHelp =
    "usage: alignd serve [-c FILE] [-v]\n"
    "\n"
    "Runs the milter in the foreground. Without -c it reads /etc/alignd/alignd.toml\n"
    "if present, else runs on embedded defaults (socket unix:/run/alignd/milter.sock,\n"
    "monitor-only policy). SIGHUP reloads configuration, policies and keys; SIGTERM\n"
    "stops after in-flight messages finish.\n"
    "\n"
    "  -c, --config FILE   configuration file (TOML)\n"
    "  -v                  more logging (repeat for more)\n";

// stderr (journald reads it) and syslog(3) as facility mail.
void install_syslog_sink() {
  openlog("alignd", LOG_PID, LOG_MAIL);
  set_log_sink([](LogLevel l, std::string_view m) {
    static const int kPrio[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
    std::fprintf(stderr, "%salignd: %.*s\n", log_timestamp().c_str(), static_cast<int>(m.size()),
                 m.data());
    syslog(kPrio[static_cast<int>(l)], "%.*s", static_cast<int>(m.size()), m.data());
  });
}

void print_postfix_lines(const Config& cfg) {
  std::string sock = cfg.milter.socket;
  std::string chroot_note;
  if (sock.rfind("inet:", 0) == 0) {
    // libmilter "inet:PORT@HOST" is Postfix "inet:HOST:PORT".
    auto at = sock.find('@');
    std::string port = sock.substr(5, at == std::string::npos ? std::string::npos : at - 5);
    std::string host = at == std::string::npos ? "127.0.0.1" : sock.substr(at + 1);
    sock = "inet:" + host + ":" + port;
  } else {
    std::string path = sock.substr(sock.find(':') + 1);
    const std::string spool = "/var/spool/postfix/";
    if (path.rfind(spool, 0) == 0) {
      sock = "unix:" + path.substr(spool.size());  // relative to Postfix's chroot
    } else {
      sock = "unix:" + path;
      // Debian chroots smtpd (SMTP mail) and cleanup (sendmail mail, non_smtpd_milters).
      chroot_note =
          "  postconf -F 'smtp/inet/chroot = n' 'cleanup/unix/chroot = n'  # socket is outside "
          "the chroot\n";
    }
  }
  std::printf(
      "alignd is listening on %s. To wire Postfix, run:\n"
      "  postconf -e 'smtpd_milters = %s' 'non_smtpd_milters = %s' \\\n"
      "    'milter_default_action = tempfail' 'milter_protocol = 6'\n"
      "%s"
      "  postfix reload    # or `postfix start` if Postfix is not running\n",
      cfg.milter.socket.c_str(), sock.c_str(), sock.c_str(), chroot_note.c_str());
  std::fflush(stdout);
}

void reload_loop(const std::string& config_path, RuntimeHolder& holder, Services& services) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  for (;;) {
    int sig = sigwaitinfo(&set, nullptr);
    if (sig != SIGHUP) continue;
    sd_notify(0, "RELOADING=1");
    try {
      ConfigLoad load = load_config_and_runtime(config_path, services);
      if (!load.errors.empty()) throw ConfigError(std::move(load.errors));
      const Config& cfg = load.config;
      auto rt = load.runtime;
      if (cfg.store.url != services.store_url())
        log_warning("reload: store.url changed; the new store is used after a restart");
      holder.set(rt);
      count_reload(true, static_cast<double>(std::time(nullptr)));
      set_log_verbosity(cfg.log.verbosity);
      // Keys and zone data are read anew on every reload (load_runtime): say so.
      log_info("reload: configuration loaded" +
               (cfg.source.empty() ? std::string(" (defaults)") : " from " + cfg.source) + ", " +
               std::to_string(rt->policy.rule_count()) + " policy rules, " +
               std::to_string(rt->signing_keys.size()) + " signing keys reloaded, " +
               (cfg.dns.zone_file.empty() ? std::string("no zone file")
                                          : "zone data reloaded from " + cfg.dns.zone_file));
    } catch (const ConfigError& e) {  // every error, one log line each
      for (const auto& err : e.errors)
        log_error("reload failed, keeping the previous configuration: " + err);
      count_reload(false, 0);
    } catch (const std::exception& e) {
      log_error(std::string("reload failed, keeping the previous configuration: ") + e.what());
      count_reload(false, 0);
    }
    sd_notify(0, "READY=1");
  }
}

}  // namespace

int cmd_serve(int argc, char** argv) {
  std::string config_path;
  int verbosity = 0;
  try {
    Args args(argc, argv, {"-c", "--config"}, {"-v", "-h", "--help"});
    if (args.has("-h") || args.has("--help")) {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (!args.positional().empty()) throw UsageError("unexpected argument " + args.positional()[0]);
    config_path = args.get_or("-c", args.get_or("--config", ""));
    set_log_timestamps(stderr_wants_timestamps());  // a terminal, or not under journald
    verbosity = args.count("-v");
  } catch (const UsageError& e) {
    std::fprintf(stderr, "alignd serve: %s\n%s", e.what(), kHelp);
    return 2;
  }
  // Block the signals before any thread starts, so that every thread inherits
  // the mask: SIGHUP goes to reload_loop, SIGTERM/SIGINT to libmilter's thread.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Services services;
  std::unique_ptr<RuntimeHolder> holder;
  Config cfg;
  std::unique_ptr<HttpServer> http;  // [http]: /metrics and the status page
  try {
    ConfigLoad load = load_config_and_runtime(config_path, services);
    cfg = load.config;
    set_log_verbosity(std::max(cfg.log.verbosity, verbosity));
    if (cfg.log.syslog) install_syslog_sink();
    if (!load.errors.empty()) throw ConfigError(std::move(load.errors));
    holder = std::make_unique<RuntimeHolder>(load.runtime);
    services.open_store(cfg.store.url, static_cast<size_t>(cfg.store.queue_capacity),
                        static_cast<size_t>(cfg.store.batch_size), cfg.store.flush_interval_ms);
    MilterOptions mo{cfg.milter.socket,       cfg.milter.timeout_s,   cfg.milter.socket_owner,
                     cfg.milter.socket_group, cfg.milter.socket_mode, cfg.milter.user};
    milter_open(mo, *holder);
    if (!cfg.http.listen.empty())
      http = std::make_unique<HttpServer>(cfg, *holder, services, ALIGND_VERSION);
    metrics().last_reload_success.store(static_cast<double>(std::time(nullptr)));
    drop_privileges(cfg.milter.user);
  } catch (const ConfigError& e) {  // every error, one log line each
    for (const auto& err : e.errors) log_error("cannot start: " + err);
    return 1;
  } catch (const std::exception& e) {
    log_error(std::string("cannot start: ") + e.what());
    return 1;
  }
  for (const auto& w : config_warnings(cfg)) log_warning(w);  // e.g. an authserv_id without a dot
  if (geteuid() == 0)  // issue 10 item 9: least privilege by default
    log_warning(
        "running as root: set [milter] user = \"alignd\" (`make install` creates that "
        "user) so the daemon drops root once the socket is open");
  print_postfix_lines(cfg);
  log_info("started " + kv("socket", cfg.milter.socket) + " " +
           kv("config", cfg.source.empty() ? "(defaults)" : cfg.source) + " " +
           kv("authserv_id", cfg.authserv_id) + " " +
           kv("rules", std::to_string(holder->get()->policy.rule_count())));
  std::thread(reload_loop, config_path, std::ref(*holder), std::ref(services)).detach();
  sd_notify(0, "READY=1");
  int rc = milter_run();
  sd_notify(0, "STOPPING=1");
  http.reset();
  services.drain();  // commit every queued evaluation before exit
  if (auto* w = services.writer()) {
    auto st = w->stats();
    log_info("store " + kv("written", std::to_string(st.written)) + " " +
             kv("dropped", std::to_string(st.dropped)) + " " +
             kv("failed", std::to_string(st.failed)));
  }
  log_info("stopped");
  return rc;
}

}  // namespace alignd
