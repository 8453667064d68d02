// OverlayResolver: local zone data first for the names it covers, upstream for the rest.
#include "dns/overlay_resolver.h"

#include <stdexcept>

namespace alignd {

OverlayResolver::OverlayResolver(std::shared_ptr<ZoneResolver> local,
                                 std::shared_ptr<Resolver> upstream)
    : local_(std::move(local)), upstream_(std::move(upstream)) {
  if (!local_ || !upstream_) throw std::invalid_argument("OverlayResolver needs both resolvers");
}

DnsAnswer OverlayResolver::query(std::string_view name, RrType type) {
  return query_until(name, type, std::chrono::steady_clock::time_point::max());
}

DnsAnswer OverlayResolver::query_until(std::string_view name, RrType type,
                                       std::chrono::steady_clock::time_point deadline) {
  if (!local_->covers(name)) return upstream_->query_until(name, type, deadline);
  ZoneResolver::Lookup l = local_->lookup(name, type);
  if (!l.exit_target.empty()) return upstream_->query_until(l.exit_target, type, deadline);
  return std::move(l.answer);
}

}  // namespace alignd
