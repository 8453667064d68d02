// UnboundResolver: the daemon's one Resolver over a shared libunbound context (and its
// cache), forwarding to `servers` or /etc/resolv.conf, with a per-query deadline of our
// own and optional DNSSEC validation. Leaves out /etc/hosts and local zone data.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "dns/resolver.h"

namespace alignd {

struct UnboundOptions {
  std::vector<std::string> servers;  // forwarders, "IP" or "IP@PORT"; empty = /etc/resolv.conf
  int timeout_ms = 3000;             // per query, enforced even if the upstream never answers
  bool dnssec = false;               // validate with trust_anchor_file; sets DnsAnswer::secure
  std::string trust_anchor_file = "/usr/share/dns/root.key";
};

class UnboundResolver : public Resolver {
 public:
  // Throws std::runtime_error on setup failure (bad server, unreadable trust anchor...).
  explicit UnboundResolver(const UnboundOptions& options);
  ~UnboundResolver() override;
  UnboundResolver(const UnboundResolver&) = delete;
  UnboundResolver& operator=(const UnboundResolver&) = delete;

  // Thread-safe; blocks the calling thread at most about timeout_ms.
  DnsAnswer query(std::string_view name, RrType type) override;
  // Waits until the earlier of timeout_ms and `deadline`.
  DnsAnswer query_until(std::string_view name, RrType type,
                        std::chrono::steady_clock::time_point deadline) override;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace alignd
