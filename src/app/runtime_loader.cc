// Config -> Runtime; see runtime_loader.h.
#include "app/runtime_loader.h"

#include <glob.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "app/file_access.h"
#include "auth/psl.h"
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
  if (!zone_override.empty())
    return std::make_shared<ZoneResolver>(load_zone_file(zone_override));
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

Config load_config_or_default(const std::string& path) {
  if (!path.empty()) return load_config(path);
  const char* def = "/etc/alignd/alignd.toml";
  if (std::filesystem::exists(def)) return load_config(def);
  return default_config();
}

std::shared_ptr<const Runtime> load_runtime(const Config& cfg, Services& services,
                                            const LoadOptions& opts) {
  auto rt = std::make_shared<Runtime>();
  rt->config = cfg;
  rt->services = &services;
  for (const auto& n : cfg.trusted_networks) {
    auto c = parse_cidr(n);
    if (!c) throw std::runtime_error("trusted_networks: '" + n + "' is not an IP network (CIDR)");
    rt->trusted_networks.push_back(*c);
  }
  const std::string where = cfg.source.empty() ? "" : cfg.source + ": ";
  // What `serve` would refuse later, refused now (so `config check` catches it).
  if (!cfg.milter.user.empty() && !getpwnam(cfg.milter.user.c_str()))
    throw std::runtime_error(where + "milter.user: no such user '" + cfg.milter.user + "'");
  if (!cfg.milter.socket_owner.empty() && !getpwnam(cfg.milter.socket_owner.c_str()))
    throw std::runtime_error(where + "milter.socket_owner: no such user '" +
                             cfg.milter.socket_owner + "'");
  if (!cfg.milter.socket_group.empty() && cfg.milter.socket_group != "-" &&
      !getgrnam(cfg.milter.socket_group.c_str()))
    throw std::runtime_error(where + "milter.socket_group: no such group '" +
                             cfg.milter.socket_group + "'");
  std::vector<PolicySource> sources;
  std::vector<std::string> files;
  try {
    files = expand_policy_files(cfg.policy.files);
  } catch (const std::exception& e) {
    throw std::runtime_error(where + e.what());
  }
  for (const auto& f : files) sources.push_back({f, read_file(f)});
  rt->policy = PolicyEngine::compile(sources);
  rt->dns = std::make_shared<MeteredResolver>(make_resolver(cfg, opts.dns_zone_override));
  DkimContext::Options dko;
  dko.signature_ttl_s = cfg.signing.expire_s;
  rt->dkim = std::make_shared<DkimContext>(dko);
  // Started as root with milter.user, keys must also be readable by that user: it
  // re-reads them on every reload (issue 10 item 9).
  const std::vector<gid_t> key_groups = signing_key_groups(cfg);
  if (passwd* pw = cfg.milter.user.empty() ? nullptr : getpwnam(cfg.milter.user.c_str())) {
    if (geteuid() == 0) {
      std::string user = pw->pw_name;
      uid_t uid = pw->pw_uid;
      std::vector<gid_t> gids = user_groups(user, pw->pw_gid);
      for (const auto& k : cfg.signing.keys)
        if (std::string why = read_access_problem(k.key_file, uid, gids); !why.empty())
          throw std::runtime_error(where + "signing.keys: " + k.key_file +
                                   ": not readable by milter.user '" + user + "': " + why +
                                   "; chgrp " + user +
                                   " the key and its directory, chmod 0640 "
                                   "the key and 0750 the directory");
    }
  }
  try {
    rt->signing_keys =
        load_signing_keys(cfg.signing.keys, cfg.signing.allow_loose_key_mode, key_groups);
  } catch (const std::exception& e) {
    throw std::runtime_error(where + "signing.keys: " + e.what());
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
      throw std::runtime_error(where + "signing.sender_login_map: " + e.what());
    }
  }
  auto mode = parse_dmarc_mode(cfg.dmarc.discovery);
  if (!mode) throw std::runtime_error("dmarc.discovery: unknown mode '" + cfg.dmarc.discovery + "'");
  rt->dmarc_mode = *mode;
  if (rt->dmarc_mode == DmarcMode::Rfc7489)
    rt->psl_org_domain = PublicSuffixList::load(cfg.dmarc.psl_file).org_domain_function();
  return rt;
}

}  // namespace alignd
