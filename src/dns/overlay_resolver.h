// OverlayResolver: `dns.zone_file` in the daemon. Names the local zone covers are
// answered from it (NXDOMAIN/NODATA included); all other names go upstream.
#pragma once
#include <memory>

#include "dns/resolver.h"
#include "dns/zone_resolver.h"

namespace alignd {

class OverlayResolver : public Resolver {
 public:
  OverlayResolver(std::shared_ptr<ZoneResolver> local, std::shared_ptr<Resolver> upstream);
  // A CNAME in the local data whose target is outside it continues upstream.
  DnsAnswer query(std::string_view name, RrType type) override;
  DnsAnswer query_until(std::string_view name, RrType type,
                        std::chrono::steady_clock::time_point deadline) override;

 private:
  std::shared_ptr<ZoneResolver> local_;
  std::shared_ptr<Resolver> upstream_;
};

}  // namespace alignd
