// Builds a Runtime from a Config: parses trusted networks, expands and compiles
// the policy files, loads signing keys and zone data, sets up the resolver.
// Every problem is reported, each naming the config key at fault as
// "file:line:column: key: message" (policy compile errors name the policy file);
// the caller keeps the old Runtime on a failed reload.
#pragma once
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "milter/runtime.h"

namespace alignd {

struct LoadOptions {
  std::string dns_zone_override;  // eval --dns-zone: this file is the whole DNS
};

struct RuntimeLoad {
  std::shared_ptr<const Runtime> runtime;  // null when there are errors
  std::vector<std::string> errors;
};
RuntimeLoad try_load_runtime(const Config& cfg, Services& services, const LoadOptions& opts = {});
// The same, throwing ConfigError with all the errors.
std::shared_ptr<const Runtime> load_runtime(const Config& cfg, Services& services,
                                            const LoadOptions& opts = {});

// The daemon's resolver: with `zone_override` (eval/report --dns-zone) that file
// is the whole DNS; otherwise libunbound, with dns.zone_file (if any)
// answering the names it covers. Throws on a bad zone file or resolver setup.
// Groups whose read bit a signing key may carry (mode 0640): ours, the alignd
// group (what `alignd keygen` gives keys) and milter.user's. serve and
// check-domain accept the same keys.
std::vector<gid_t> signing_key_groups(const Config& cfg);

std::shared_ptr<Resolver> make_resolver(const Config& cfg, const std::string& zone_override = "");

// Expands the globs of [policy] files into sorted file lists (a pattern that
// matches nothing is an error, so a typo does not silently disable rules).
std::vector<std::string> expand_policy_files(const std::vector<std::string>& patterns);

// The config file used without -c: $ALIGND_CONFIG when set, else
// /etc/alignd/alignd.toml.
std::string default_config_path();

// The config file `serve`, `eval` and `config check` use: -c FILE, else
// default_config_path() when it exists, else the embedded defaults.
// Throws ConfigError with every error.
Config load_config_or_default(const std::string& path_or_empty);
ConfigRead read_config_or_default(const std::string& path_or_empty);

// read_config_or_default() then, when the file is TOML, try_load_runtime(): every
// error of both, for `config check`, `serve` and a reload. `runtime` is null
// when there is an error.
struct ConfigLoad {
  Config config;
  std::shared_ptr<const Runtime> runtime;
  std::vector<std::string> errors;
  bool parsed = false;  // the file is TOML (else `config` holds only defaults)
};
ConfigLoad load_config_and_runtime(const std::string& path_or_empty, Services& services,
                                   const LoadOptions& opts = {});

}  // namespace alignd
