// MeteredResolver: a decorator that counts every query by type and result and
// times it (alignd_dns_queries_total, alignd_dns_query_duration_seconds). The
// daemon wraps its resolver in one (app/runtime_loader.cc); nothing else changes.
#pragma once
#include <memory>

#include "dns/resolver.h"

namespace alignd {

class MeteredResolver : public Resolver {
 public:
  explicit MeteredResolver(std::shared_ptr<Resolver> inner) : inner_(std::move(inner)) {}
  DnsAnswer query(std::string_view name, RrType type) override;
  DnsAnswer query_until(std::string_view name, RrType type,
                        std::chrono::steady_clock::time_point deadline) override;

 private:
  std::shared_ptr<Resolver> inner_;
};

}  // namespace alignd
