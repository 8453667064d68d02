// Process-wide DNS counters for the metrics endpoint, updated by UnboundResolver.
// Plain atomics: read them with .load(); nothing here formats or exports them.
#pragma once
#include <atomic>
#include <cstdint>

namespace alignd {

struct DnsMetrics {
  std::atomic<uint64_t> queries{0};     // queries sent to libunbound
  std::atomic<uint64_t> cache_hits{0};  // estimate: a repeat of a (name, type) within the
                                        // TTL of an answer we saw (see docs/dns.md)
  std::atomic<uint64_t> timeouts{0};    // our per-query deadline passed (timeout_ms)
  std::atomic<uint64_t> servfails{0};   // SERVFAIL answers, DNSSEC-bogus included
  std::atomic<uint64_t> nxdomain{0};    // NXDOMAIN answers
};

DnsMetrics& dns_metrics();

}  // namespace alignd
