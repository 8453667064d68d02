// Config -> Runtime; see runtime_loader.h.
#include "app/runtime_loader.h"

#include <glob.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "auth/psl.h"
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

std::shared_ptr<Resolver> make_resolver(const Config& cfg, const std::string& zone_override) {
  if (!zone_override.empty())
    return std::make_shared<ZoneResolver>(load_zone_file(zone_override));
  UnboundOptions uo;
  uo.servers = cfg.dns.servers;
  uo.timeout_ms = cfg.dns.timeout_ms;
  uo.dnssec = cfg.dns.dnssec;
  std::shared_ptr<Resolver> upstream = std::make_shared<UnboundResolver>(uo);
  if (cfg.dns.zone_file.empty()) return upstream;
  return std::make_shared<OverlayResolver>(
      std::make_shared<ZoneResolver>(load_zone_file(cfg.dns.zone_file)), upstream);
}

std::vector<std::string> expand_policy_files(const std::vector<std::string>& patterns) {
  std::vector<std::string> files;
  for (const auto& pat : patterns) {
    glob_t g{};
    int rc = glob(pat.c_str(), GLOB_ERR, nullptr, &g);
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
  std::vector<PolicySource> sources;
  for (const auto& f : expand_policy_files(cfg.policy.files)) sources.push_back({f, read_file(f)});
  rt->policy = PolicyEngine::compile(sources);
  rt->dns = make_resolver(cfg, opts.dns_zone_override);
  DkimLibrary::Options dko;
  dko.signature_ttl_s = cfg.signing.expire_s;
  rt->dkim = std::make_shared<DkimLibrary>(dko);
  rt->signing_keys = load_signing_keys(cfg.signing.keys, cfg.signing.allow_loose_key_mode);
  auto mode = parse_dmarc_mode(cfg.dmarc.discovery);
  if (!mode) throw std::runtime_error("dmarc.discovery: unknown mode '" + cfg.dmarc.discovery + "'");
  rt->dmarc_mode = *mode;
  if (rt->dmarc_mode == DmarcMode::Rfc7489)
    rt->psl_org_domain = PublicSuffixList::load(cfg.dmarc.psl_file).org_domain_function();
  return rt;
}

}  // namespace alignd
