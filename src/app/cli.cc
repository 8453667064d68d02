// alignd SUBCOMMAND dispatch and --help.
#include "app/cli.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace alignd {

static const char* kUsage =
    "usage: alignd <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve [-c FILE]            run the milter daemon in the foreground\n"
    "  eval [options] MESSAGE     evaluate one message offline, as the milter would\n"
    "  keygen --domain D --selector S [--type rsa|ed25519] [--bits N] [--out DIR]\n"
    "                             write a DKIM signing key and print its DNS record\n"
    "  keygen --record KEYFILE    print the DNS record of an existing key\n"
    "  config check [-c FILE]     validate the configuration and policy files (all errors)\n"
    "  config keys                list every configuration key (man alignd.toml)\n"
    "  report send [options]      build and send the DMARC aggregate reports that are due\n"
    "  simulate --policy FILE [--since 7d] [--domain D] [--json]\n"
    "                             replay stored messages through a candidate policy\n"
    "  check-domain DOMAIN [--selector S]... [--json]\n"
    "                             audit what DOMAIN publishes (SPF, DMARC, DKIM keys, MX)\n"
    "\n"
    "`alignd COMMAND --help` describes each command's options; `alignd --version`.\n";

int cli_main(int argc, char** argv) {
  if (argc >= 2 && (!std::strcmp(argv[1], "--version") || !std::strcmp(argv[1], "version"))) {
    // ALIGND_COMMIT: configure-time `git describe` (cmake/version.cmake), or "unknown".
    std::printf("alignd %s (commit %s)\n", ALIGND_VERSION, ALIGND_COMMIT);
    return 0;
  }
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  struct Entry { const char* name; int (*fn)(int, char**); };
  static const Entry kCommands[] = {{"serve", cmd_serve}, {"eval", cmd_eval},
                                    {"keygen", cmd_keygen}, {"config", cmd_config},
                                    {"report", cmd_report}, {"simulate", cmd_simulate},
                                    {"check-domain", cmd_check_domain}};
  for (const auto& e : kCommands)
    if (cmd == e.name) return e.fn(argc - 1, argv + 1);
  std::fprintf(stderr, "alignd: unknown command '%s'\n%s", cmd.c_str(), kUsage);
  return 2;
}

}  // namespace alignd
