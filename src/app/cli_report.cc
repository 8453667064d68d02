// alignd report send: builds and delivers every DMARC aggregate report that is
// due (src/report/runner.h), then purges evaluations past retention. The
// resolver (for RFC 9990 §4 checks) is made only if a check is needed.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <random>

#include "app/args.h"
#include "app/cli.h"
#include "app/config.h"
#include "app/runtime_loader.h"
#include "core/log.h"
#include "core/report/period.h"
#include "report/mailer.h"
#include "report/runner.h"
#include "store/store.h"

namespace alignd {
namespace {

const char* kHelp =
    "usage: alignd report send [-c FILE] [--dry-run --out DIR] [--now UNIXTIME]\n"
    "                          [--dns-zone FILE] [-v]\n"
    "\n"
    "Builds every DMARC aggregate report (RFC 9990) that is due from the evaluation\n"
    "store and sends each to its rua= destinations through reporting.send_command.\n"
    "A report is sent once per destination: runs are idempotent and safe to run\n"
    "concurrently on several nodes sharing a PostgreSQL store. Afterwards, evaluations\n"
    "older than store.retention_days are purged.\n"
    "\n"
    "  -c, --config FILE   configuration (default /etc/alignd/alignd.toml if present)\n"
    "  --dry-run           write the reports into --out DIR instead of sending them;\n"
    "                      changes nothing in the store\n"
    "  --out DIR           with --dry-run: where the .xml.gz and .eml files go\n"
    "  --now UNIXTIME      pretend the current time is UNIXTIME (seconds)\n"
    "  --dns-zone FILE     local DNS data for destination checks; it is the whole DNS\n"
    "  -v                  more diagnostics on stderr\n"
    "\n"
    "Exit status: 0 when every due report was sent (or deferred), 1 when a send or\n"
    "the store failed, 2 for usage or configuration errors.\n";

// Builds the real resolver on first use: most runs never need DNS.
class LazyResolver : public Resolver {
 public:
  explicit LazyResolver(std::function<std::shared_ptr<Resolver>()> make) : make_(std::move(make)) {}
  DnsAnswer query(std::string_view name, RrType type) override {
    std::call_once(once_, [this] {
      try {
        r_ = make_();
      } catch (const std::exception& e) {
        error_ = e.what();
      }
    });
    if (!r_) {
      DnsAnswer a;
      a.status = DnsStatus::TempFail;
      a.error = "resolver: " + error_;
      return a;
    }
    return r_->query(name, type);
  }

 private:
  std::function<std::shared_ptr<Resolver>()> make_;
  std::once_flag once_;
  std::shared_ptr<Resolver> r_;
  std::string error_;
};


std::string run_owner() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  std::random_device rd;
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(rd());
}

std::int64_t parse_time(const std::string& s) {
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used);
    if (used == s.size() && v >= 0) return v;
  } catch (const std::exception&) {
  }
  throw UsageError("--now wants seconds since the epoch, got '" + s + "'");
}

}  // namespace

int cmd_report(int argc, char** argv) {
  try {
    Args args(argc, argv, {"-c", "--config", "--out", "--now", "--dns-zone"},
              {"--dry-run", "-v", "-h", "--help"});
    if (args.has("-h") || args.has("--help")) {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (args.positional().size() != 1 || args.positional()[0] != "send")
      throw UsageError("expected: alignd report send [options]");
    const bool dry = args.has("--dry-run");
    if (dry != args.has("--out")) throw UsageError("--dry-run and --out DIR go together");
    set_log_verbosity(args.count("-v"));

    Config cfg = load_config_or_default(args.get_or("-c", args.get_or("--config", "")));
    auto format = parse_report_format(cfg.reporting.format);
    if (!format) throw ConfigError("reporting.format: '" + cfg.reporting.format + "'");
    auto store = open_store(cfg.store.url);
    if (!store) {
      std::fputs("alignd report: the store is disabled (store.url = \"none\"): nothing to send\n",
                 stderr);
      return 0;
    }

    ReportOptions o;
    o.format = *format;
    o.meta.org_name = cfg.reporting.org_name;
    o.meta.email = cfg.reporting.email;
    o.meta.extra_contact_info = cfg.reporting.extra_contact_info;
    auto at = o.meta.email.rfind('@');
    o.meta.receiver = at == std::string::npos ? cfg.authserv_id : o.meta.email.substr(at + 1);
    o.meta.generator = "alignd";
    o.verify_external = cfg.reporting.verify_external_destinations;
    o.max_destinations = static_cast<size_t>(cfg.reporting.max_destinations);
    o.now = args.has("--now") ? parse_time(*args.get("--now"))
                              : static_cast<std::int64_t>(time(nullptr));
    const std::int64_t retention = std::int64_t{cfg.store.retention_days} * kDay;
    o.since = o.now - retention;
    o.owner = run_owner();
    o.dry_run = dry;
    if (dry) {
      o.out_dir = *args.get("--out");
      std::filesystem::create_directories(o.out_dir);
    }

    const std::string zone = args.get_or("--dns-zone", "");
    LazyResolver dns([&cfg, zone] { return make_resolver(cfg, zone); });  // runtime_loader.h
    CommandMailer mailer(cfg.reporting.send_command);

    ReportRunStats st = run_reports(*store, dns, mailer, o);
    if (!dry) {
      PurgeCounts pc = store->purge(o.now - retention);
      if (pc.evaluations || pc.sends)
        log_info("store purged " + kv("evaluations", std::to_string(pc.evaluations)) + " " +
                 kv("report_states", std::to_string(pc.sends)));
    }
    std::fprintf(
        stderr,
        "alignd report: %d due period%s, %d sent, %d refused, %d too big, %d failed, "
        "%d deferred%s\n",
        st.periods, st.periods == 1 ? "" : "s", st.sent, st.refused, st.too_big, st.failed,
        st.deferred,
        dry ? (", " + std::to_string(st.written) + " written to " + o.out_dir).c_str() : "");
    if (st.periods == 0)
      std::fprintf(stderr,
                   "alignd report: nothing is due yet: a report period (a UTC day, or the "
                   "RFC 7489 ri= interval) becomes due 5 minutes after it ends; try --now "
                   "with a later time to see what would be sent\n");
    return st.failed ? 1 : 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "alignd report: %s\n%s", e.what(), kHelp);
    return 2;
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "alignd report: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "alignd report: %s\n", e.what());
    return 1;
  }
}

}  // namespace alignd
