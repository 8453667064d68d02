// CacheResolver: see cache_resolver.h.
#include "dns/cache_resolver.h"

#include <algorithm>

#include "core/text.h"
#include "dns/metrics.h"

namespace alignd {

CacheResolver::CacheResolver(std::shared_ptr<Resolver> inner, Options o)
    : inner_(std::move(inner)), opts_(o) {
  opts_.max_entries = std::max<size_t>(opts_.max_entries, kShards);
}

DnsAnswer CacheResolver::query(std::string_view name, RrType type) {
  return query_until(name, type, std::chrono::steady_clock::time_point::max());
}

DnsAnswer CacheResolver::query_until(std::string_view name, RrType type,
                                     std::chrono::steady_clock::time_point deadline) {
  // Names compare case-insensitively (RFC 4343) and with or without the final dot.
  std::string key = normalize_domain(name);
  key += '/';
  key += std::to_string(static_cast<int>(type));
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  const auto now = now_();
  {
    std::lock_guard lock(shard.mu);
    auto it = shard.map.find(key);
    if (it != shard.map.end()) {
      if (now < it->second.until) {
        ++dns_metrics().cache_hits;  // not in `queries`: those went upstream
        return it->second.answer;
      }
      shard.map.erase(it);
    }
  }
  DnsAnswer a = inner_->query_until(name, type, deadline);
  bool keep = a.ttl > 0 && (a.status == DnsStatus::Ok || a.status == DnsStatus::NxDomain ||
                            a.status == DnsStatus::NoData);
  if (!keep) return a;
  const auto until = now + std::chrono::seconds(std::min(a.ttl, opts_.max_ttl));
  std::lock_guard lock(shard.mu);
  if (shard.map.size() >= opts_.max_entries / kShards) {
    std::erase_if(shard.map, [now](const auto& e) { return e.second.until <= now; });
    if (shard.map.size() >= opts_.max_entries / kShards) shard.map.clear();
  }
  shard.map.insert_or_assign(std::move(key), Entry{a, until});
  return a;
}

size_t CacheResolver::size() const {
  size_t n = 0;
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.map.size();
  }
  return n;
}

}  // namespace alignd
