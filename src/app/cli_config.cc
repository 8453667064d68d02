// alignd config check: validates the configuration and everything it names
// (policy files, networks, keys, zone data) exactly as `serve` would load it, and
// prints every error as FILE:LINE:COLUMN: message, then their count.
// alignd config keys: prints the key table (config_keys.h).
#include <cstdio>
#include <ctime>

#include "app/args.h"
#include "app/cli.h"
#include "app/config_keys.h"
#include "app/runtime_loader.h"
#include "milter/arc_step.h"
#include "milter/services.h"

namespace alignd {

namespace {
const char* kCheckHelp =
    "usage: alignd config check [-c FILE]\n"
    "\n"
    "Validates the configuration and every policy file, key and zone file it names.\n"
    "Prints every error as FILE:LINE:COLUMN: message (unknown keys with a \"did you\n"
    "mean\"), and warnings; the exit status is 1 when there is an error (warnings\n"
    "alone leave it 0).\n";
const char* kKeysHelp =
    "usage: alignd config keys [--names]\n"
    "\n"
    "Prints every configuration key: name, type, default and what it does (man\n"
    "alignd.toml(5) describes them); --names prints only the names.\n";
const std::string kHelp = std::string(kCheckHelp) + "\n" + kKeysHelp;

int config_keys_cmd(int argc, char** argv) {
  Args args(argc, argv, {}, {"--names", "-h", "--help"});
  if (args.has("-h") || args.has("--help")) {
    std::fputs(kKeysHelp, stdout);
    return 0;
  }
  if (!args.positional().empty()) throw UsageError("unexpected argument " + args.positional()[0]);
  bool names = args.has("--names");
  std::string section = "-";
  for (const auto& k : config_keys()) {
    if (names) {
      std::printf("%s\n", config_key_name(k).c_str());
      continue;
    }
    if (k.section != section) {
      section = std::string(k.section);
      if (section.empty())
        std::printf("# top level (above the first [table])\n");
      else
        std::printf(section == "signing.keys" ? "\n[[%s]]\n" : "\n[%s]\n", section.c_str());
    }
    std::printf("%-28s %-17s %s\n    %s\n", std::string(k.key).c_str(),
                std::string(config_type_name(k.type)).c_str(), std::string(k.default_value).c_str(),
                std::string(k.description).c_str());
  }
  return 0;
}

int config_check(const std::string& path) {
  Services services;
  ConfigLoad load = load_config_and_runtime(path, services);
  const Config& cfg = load.config;
  std::vector<std::string>& errors = load.errors;
  // Warnings about values only make sense when the values were read.
  std::vector<std::string> warnings =
      load.parsed ? config_warnings(cfg) : std::vector<std::string>{};
  if (load.runtime && errors.empty()) {
    const Runtime& rt = *load.runtime;
    // RFC 6376 §3.6.1 key rotation: a domain about to run out of valid keys.
    for (const auto& w : rotation_warnings(rt.signing_keys, std::time(nullptr)))
      warnings.push_back(w);
    // RFC 8617 §5.1: sealing needs an RSA key for the seal domain (milter/arc_step.h).
    if (rt.config.arc.seal && !arc_seal_key(rt, std::time(nullptr)))
      warnings.push_back(cfg.error_at(
          "arc.seal", "[arc] seal = true but no valid RSA [[signing.keys]] entry for " +
                          (rt.config.arc.seal_domain.empty() ? rt.config.authserv_id
                                                             : rt.config.arc.seal_domain)));
  }
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.c_str());
  for (const auto& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  const std::string name = cfg.source.empty() ? "(defaults)" : cfg.source;
  if (!errors.empty()) {
    std::fprintf(stderr, "%s: %zu error%s\n", name.c_str(), errors.size(),
                 errors.size() == 1 ? "" : "s");
    return 1;
  }
  std::printf("%s: OK (%zu policy rules%s)\n", name.c_str(), load.runtime->policy.rule_count(),
              warnings.empty() ? ""
                               : (", " + std::to_string(warnings.size()) + " warning" +
                                  (warnings.size() == 1 ? "" : "s"))
                                     .c_str());
  return 0;
}

}  // namespace

int cmd_config(int argc, char** argv) {
  try {
    std::string sub = argc >= 2 ? argv[1] : "";
    if (sub == "--help" || sub == "-h") {
      std::fputs(kHelp.c_str(), stdout);
      return 0;
    }
    if (sub != "check" && sub != "keys")
      throw UsageError("expected 'config check' or 'config keys'");
    if (sub == "keys") return config_keys_cmd(argc - 1, argv + 1);
    Args args(argc - 1, argv + 1, {"-c", "--config"}, {"-h", "--help"});
    if (args.has("-h") || args.has("--help")) {
      std::fputs(kCheckHelp, stdout);
      return 0;
    }
    if (!args.positional().empty()) throw UsageError("unexpected argument " + args.positional()[0]);
    return config_check(args.get_or("-c", args.get_or("--config", "")));
  } catch (const UsageError& e) {
    std::fprintf(stderr, "alignd config: %s\n%s", e.what(), kHelp.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}

}  // namespace alignd
