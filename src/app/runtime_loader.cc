// Config -> Runtime; see runtime_loader.h.
#include "app/runtime_loader.h"

#include <glob.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "app/file_access.h"
#include "auth/psl.h"
#include "core/text.h"
#include "dns/cache_resolver.h"
#include "dns/metered_resolver.h"
#include "dns/overlay_resolver.h"
#include "dns/unbound_resolver.h"
#include "dns/zone_file.h"
#include "dns/zone_resolver.h"

namespace alignd {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::vector<gid_t> signing_key_groups(const Config& cfg) {
  std::vector<gid_t> groups{getegid()};
  if (group* g = getgrnam("alignd")) groups.push_back(g->gr_gid);
  if (passwd* pw = cfg.milter.user.empty() ? nullptr : getpwnam(cfg.milter.user.c_str()))
    groups.push_back(pw->pw_gid);
  return groups;
}

std::shared_ptr<Resolver> make_resolver(const Config& cfg, const std::string& zone_override) {
  if (!zone_override.empty()) return std::make_shared<ZoneResolver>(load_zone_file(zone_override));
  UnboundOptions uo;
  uo.servers = cfg.dns.servers;
  uo.timeout_ms = cfg.dns.timeout_ms;
  uo.dnssec = cfg.dns.dnssec;
  std::shared_ptr<Resolver> upstream = std::make_shared<UnboundResolver>(uo);
  if (cfg.dns.cache_entries > 0) {
    CacheResolver::Options co;
    co.max_entries = static_cast<size_t>(cfg.dns.cache_entries);
    upstream = std::make_shared<CacheResolver>(upstream, co);
  }
  if (cfg.dns.zone_file.empty()) return upstream;
  return std::make_shared<OverlayResolver>(
      std::make_shared<ZoneResolver>(load_zone_file(cfg.dns.zone_file)), upstream);
}

std::vector<std::string> expand_policy_files(const std::vector<std::string>& patterns) {
  std::vector<std::string> files;
  for (const auto& pat : patterns) {
    glob_t g{};
    int rc = glob(pat.c_str(), 0, nullptr, &g);
    if (rc == GLOB_NOMATCH) {
      globfree(&g);
      throw std::runtime_error("policy.files: '" + pat + "' matches no file");
    }
    if (rc != 0) {
      globfree(&g);
      throw std::runtime_error("policy.files: cannot read '" + pat + "'");
    }
    for (size_t i = 0; i < g.gl_pathc; ++i) files.emplace_back(g.gl_pathv[i]);  // glob sorts
    globfree(&g);
  }
  return files;
}

std::string default_config_path() {
  const char* env = std::getenv("ALIGND_CONFIG");
  return env && *env ? env : "/etc/alignd/alignd.toml";
}

ConfigRead read_config_or_default(const std::string& path) {
  if (!path.empty()) return read_config_file(path);
  const std::string def = default_config_path();
  if (std::filesystem::exists(def)) return read_config_file(def);
  return ConfigRead{default_config(), {}, true};
}

Config load_config_or_default(const std::string& path) {
  ConfigRead r = read_config_or_default(path);
  if (!r.errors.empty()) throw ConfigError(std::move(r.errors));
  return std::move(r.config);
}

namespace {

// The key of a [[signing.keys]] entry a KeyError is about.
std::string key_error_position(const SigningKeyConfig& k, const std::string& message) {
  for (const char* field : {"not_before", "not_after"})
    if (message.find(field) != std::string::npos) return k.position + "." + field;
  if (message.find("invalid domain") != std::string::npos) return k.position + ".domain";
  if (message.find("invalid selector") != std::string::npos) return k.position + ".selector";
  return k.position + ".key_file";
}

}  // namespace

RuntimeLoad try_load_runtime(const Config& cfg, Services& services, const LoadOptions& opts) {
  RuntimeLoad out;
  std::vector<std::string>& errors = out.errors;
  auto rt = std::make_shared<Runtime>();
  rt->config = cfg;
  rt->services = &services;
  for (size_t i = 0; i < cfg.trusted_networks.size(); ++i) {
    const std::string& n = cfg.trusted_networks[i];
    if (auto c = parse_cidr(n))
      rt->trusted_networks.push_back(*c);
    else
      errors.push_back(cfg.error_at("trusted_networks[" + std::to_string(i) + "]",
                                    "trusted_networks: '" + n + "' is not an IP network (CIDR)"));
  }
  // What `serve` would refuse later, refused now (so `config check` catches it).
  if (!cfg.milter.user.empty() && !getpwnam(cfg.milter.user.c_str()))
    errors.push_back(
        cfg.error_at("milter.user", "milter.user: no such user '" + cfg.milter.user + "'"));
  if (!cfg.milter.socket_owner.empty() && !getpwnam(cfg.milter.socket_owner.c_str()))
    errors.push_back(cfg.error_at("milter.socket_owner", "milter.socket_owner: no such user '" +
                                                             cfg.milter.socket_owner + "'"));
  if (!cfg.milter.socket_group.empty() && cfg.milter.socket_group != "-" &&
      !getgrnam(cfg.milter.socket_group.c_str()))
    errors.push_back(cfg.error_at("milter.socket_group", "milter.socket_group: no such group '" +
                                                             cfg.milter.socket_group + "'"));
  // Each pattern on its own, so that every one matching nothing is reported.
  std::vector<PolicySource> sources;
  for (size_t i = 0; i < cfg.policy.files.size(); ++i) {
    const std::string pos = "policy.files[" + std::to_string(i) + "]";
    try {
      for (const auto& f : expand_policy_files({cfg.policy.files[i]}))
        sources.push_back({f, read_file(f)});
    } catch (const std::exception& e) {
      errors.push_back(cfg.error_at(pos, e.what()));
    }
  }
  try {
    rt->policy = PolicyEngine::compile(sources);  // errors name the policy file:line:column
  } catch (const std::exception& e) {
    errors.push_back(e.what());
  }
  try {
    rt->dns = std::make_shared<MeteredResolver>(make_resolver(cfg, opts.dns_zone_override));
  } catch (const std::exception& e) {
    errors.push_back(cfg.error_at(
        opts.dns_zone_override.empty() && !cfg.dns.zone_file.empty() ? "dns.zone_file" : "dns",
        std::string("dns: ") + e.what()));
  }
  DkimContext::Options dko;
  dko.signature_ttl_s = cfg.signing.expire_s;
  rt->dkim = std::make_shared<DkimContext>(dko);
  // Started as root with milter.user, keys must also be readable by that user: it
  // re-reads them on every reload (issue 10 item 9).
  const std::vector<gid_t> key_groups = signing_key_groups(cfg);
  passwd* pw =
      cfg.milter.user.empty() || geteuid() != 0 ? nullptr : getpwnam(cfg.milter.user.c_str());
  const std::string user = pw ? pw->pw_name : "";
  const uid_t uid = pw ? pw->pw_uid : 0;
  const std::vector<gid_t> gids = pw ? user_groups(user, pw->pw_gid) : std::vector<gid_t>{};
  std::set<std::pair<std::string, std::string>> seen;  // domain, selector
  for (const auto& k : cfg.signing.keys) {
    if (pw)
      if (std::string why = read_access_problem(k.key_file, uid, gids); !why.empty()) {
        errors.push_back(cfg.error_at(
            k.position + ".key_file",
            "signing.keys: " + k.key_file + ": not readable by milter.user '" + user + "': " + why +
                "; chgrp " + user +
                " the key and its directory, chmod 0640 the key and 0750 the directory"));
        continue;
      }
    try {
      SigningKey key = load_signing_key(k, cfg.signing.allow_loose_key_mode, key_groups);
      if (!seen.insert({key.domain, to_lower(key.selector)}).second) {
        errors.push_back(cfg.error_at(
            k.position + ".selector",
            "signing.keys: selector " + key.selector + " is configured twice for " + key.domain));
        continue;
      }
      rt->signing_keys.push_back(std::move(key));
    } catch (const std::exception& e) {
      errors.push_back(
          cfg.error_at(key_error_position(k, e.what()), std::string("signing.keys: ") + e.what()));
    }
  }
  if (!cfg.signing.sender_login_map.empty()) {  // issue 10 item 10; errors name file:line
    SenderLoginMap::Options lo;
    lo.local_domains = cfg.signing.sender_login_local_domains;
    lo.delimiter = cfg.signing.sender_login_delimiter;
    try {
      std::string path = sender_login_map_path(cfg.signing.sender_login_map);
      rt->sender_logins =
          std::make_shared<const SenderLoginMap>(SenderLoginMap::parse(read_file(path), path, lo));
    } catch (const std::exception& e) {
      errors.push_back(cfg.error_at("signing.sender_login_map",
                                    std::string("signing.sender_login_map: ") + e.what()));
    }
  }
  if (auto mode = parse_dmarc_mode(cfg.dmarc.discovery)) {
    rt->dmarc_mode = *mode;
    try {
      if (rt->dmarc_mode == DmarcMode::Rfc7489)
        rt->psl_org_domain = PublicSuffixList::load(cfg.dmarc.psl_file).org_domain_function();
    } catch (const std::exception& e) {
      errors.push_back(cfg.error_at("dmarc.psl_file", std::string("dmarc.psl_file: ") + e.what()));
    }
  } else {
    errors.push_back(cfg.error_at("dmarc.discovery",
                                  "dmarc.discovery: unknown mode '" + cfg.dmarc.discovery + "'"));
  }
  if (errors.empty()) out.runtime = rt;
  return out;
}

ConfigLoad load_config_and_runtime(const std::string& path, Services& services,
                                   const LoadOptions& opts) {
  ConfigRead read = read_config_or_default(path);
  ConfigLoad out{std::move(read.config), nullptr, std::move(read.errors), read.parsed};
  // toml++ stops at the first syntax error: then there are no values to check.
  if (!read.parsed) return out;
  RuntimeLoad rt = try_load_runtime(out.config, services, opts);
  out.errors.insert(out.errors.end(), rt.errors.begin(), rt.errors.end());
  if (out.errors.empty()) out.runtime = std::move(rt.runtime);
  return out;
}

std::shared_ptr<const Runtime> load_runtime(const Config& cfg, Services& services,
                                            const LoadOptions& opts) {
  RuntimeLoad r = try_load_runtime(cfg, services, opts);
  if (!r.errors.empty()) throw ConfigError(std::move(r.errors));
  return r.runtime;
}

}  // namespace alignd
