// The one DNS interface every check goes through (SPF via the libspf2 adapter,
// DKIM and ARC key lookups via auth/dkim_key_lookup.h, DMARC directly).
// Implementations: UnboundResolver (libunbound, shared, thread-safe),
// ZoneResolver (local master-file data), and decorators (per-message budget).
// No code outside src/dns performs DNS.
#pragma once
#include <chrono>
#include <string_view>

#include "core/dns_types.h"

namespace alignd {

class Resolver {
 public:
  virtual ~Resolver() = default;
  // Thread-safe. Never throws for DNS conditions: they come back as DnsStatus.
  virtual DnsAnswer query(std::string_view name, RrType type) = 0;
  // As query(), but waits no longer than `deadline` (then TempFail). Resolvers that
  // answer from memory need not override it; UnboundResolver and decorators do.
  virtual DnsAnswer query_until(std::string_view name, RrType type,
                                std::chrono::steady_clock::time_point deadline) {
    (void)deadline;
    return query(name, type);
  }

  // Adapter for pure core code that takes a DnsLookup function.
  DnsLookup as_lookup() {
    return [this](std::string_view n, RrType t) { return query(n, t); };
  }
};

}  // namespace alignd
