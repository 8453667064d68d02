// Process-wide DNS counters for the metrics endpoint, updated by UnboundResolver and CacheResolver.
// Plain atomics: read them with .load(); nothing here formats or exports them.
#pragma once
#include <atomic>
#include <cstdint>

namespace alignd {

struct DnsMetrics {
  std::atomic<uint64_t> queries{0};     // queries sent to libunbound (not alignd's cache hits)
  std::atomic<uint64_t> cache_hits{0};  // answered from alignd's own cache (CacheResolver)
  std::atomic<uint64_t> timeouts{0};    // our per-query deadline passed (timeout_ms)
  std::atomic<uint64_t> servfails{0};   // SERVFAIL answers, DNSSEC-bogus included
  std::atomic<uint64_t> nxdomain{0};    // NXDOMAIN answers
};

DnsMetrics& dns_metrics();

}  // namespace alignd
