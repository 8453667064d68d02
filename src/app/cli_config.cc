// alignd config check: validates the configuration and everything it names
// (policy files, networks, keys, zone data) exactly as `serve` would load it.
#include <cstdio>
#include <ctime>

#include "app/args.h"
#include "app/cli.h"
#include "app/runtime_loader.h"
#include "milter/arc_step.h"
#include "milter/services.h"

namespace alignd {

namespace {
const char* kHelp =
    "usage: alignd config check [-c FILE]\n"
    "\n"
    "Validates the configuration and every policy file, key and zone file it names.\n"
    "Errors name file:line:column; the exit status is non-zero on any error.\n";
}

int cmd_config(int argc, char** argv) {
  try {
    if (argc < 2 || std::string(argv[1]) != "check") {
      if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        std::fputs(kHelp, stdout);
        return 0;
      }
      throw UsageError("expected 'config check'");
    }
    Args args(argc - 1, argv + 1, {"-c", "--config"}, {"-h", "--help"});
    if (args.has("-h") || args.has("--help")) {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (!args.positional().empty()) throw UsageError("unexpected argument " + args.positional()[0]);
    std::string path = args.get_or("-c", args.get_or("--config", ""));
    Config cfg = load_config_or_default(path);
    Services services;
    auto rt = load_runtime(cfg, services);
    // RFC 6376 §3.6.1 key rotation: a domain about to run out of valid keys.
    for (const auto& w : rotation_warnings(rt->signing_keys, std::time(nullptr)))
      std::fprintf(stderr, "warning: %s\n", w.c_str());
    // RFC 8617 §5.1: sealing needs an RSA key for the seal domain (milter/arc_step.h).
    if (rt->config.arc.seal && !arc_seal_key(*rt, std::time(nullptr)))
      std::fprintf(
          stderr, "warning: [arc] seal = true but no valid RSA [[signing.keys]] entry for %s\n",
          (rt->config.arc.seal_domain.empty() ? rt->config.authserv_id : rt->config.arc.seal_domain)
              .c_str());
    std::printf("%s: OK (%zu policy rules)\n", cfg.source.empty() ? "(defaults)" : cfg.source.c_str(),
                rt->policy.rule_count());
    return 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "alignd config: %s\n%s", e.what(), kHelp);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}

}  // namespace alignd
