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
  if (!local_->covers(name)) return upstream_->query(name, type);
  ZoneResolver::Lookup l = local_->lookup(name, type);
  if (!l.exit_target.empty()) return upstream_->query(l.exit_target, type);
  return std::move(l.answer);
}

}  // namespace alignd
