// MeteredResolver; see metered_resolver.h.
#include "dns/metered_resolver.h"

#include <chrono>

#include "metrics/alignd_metrics.h"

namespace alignd {

DnsAnswer MeteredResolver::query(std::string_view name, RrType type) {
  return query_until(name, type, std::chrono::steady_clock::time_point::max());
}

// The per-message DNS deadline (BudgetResolver above us) passes through.
DnsAnswer MeteredResolver::query_until(std::string_view name, RrType type,
                                       std::chrono::steady_clock::time_point deadline) {
  const auto start = std::chrono::steady_clock::now();
  DnsAnswer a = inner_->query_until(name, type, deadline);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  Metrics& m = metrics();
  const size_t t = rr_type_index(type);
  m.dns_queries[t][dns_status_index(a.status)].inc();
  m.dns_duration[t].observe(took.count());
  return a;
}

}  // namespace alignd
