// BudgetResolver: per-message bounds on DNS, so a hostile record or a silent server
// cannot make one message cost hundreds of lookups or hold its thread past the MTA's
// milter timeout. Beyond `max_queries`, or once the message's queries together have
// waited `time_budget`, every query answers TempFail without reaching the inner
// resolver; a query in flight waits at most what is left of the time budget.
// SPF's own limits (RFC 7208 §4.6.4) live in SPF.
#pragma once
#include <atomic>
#include <chrono>

#include "dns/resolver.h"

namespace alignd {

class BudgetResolver : public Resolver {
 public:
  static constexpr const char* kExhausted = "DNS query budget exhausted";
  static constexpr const char* kOutOfTime = "DNS time budget of this message used up";

  // time_budget zero or negative: no time bound.
  BudgetResolver(Resolver& inner, int max_queries,
                 std::chrono::milliseconds time_budget = std::chrono::milliseconds(0))
      : inner_(inner), max_(max_queries), budget_(time_budget) {}
  DnsAnswer query(std::string_view name, RrType type) override;
  DnsAnswer query_until(std::string_view name, RrType type,
                        std::chrono::steady_clock::time_point deadline) override;

  int used() const { return used_.load(); }        // queries passed to the inner resolver
  int refused() const { return refused_.load(); }  // queries answered TempFail by the budget
  int max_queries() const { return max_; }
  std::chrono::milliseconds waited() const;  // time spent in the inner resolver

 private:
  Resolver& inner_;
  const int max_;
  const std::chrono::milliseconds budget_;
  std::atomic<int> used_{0};
  std::atomic<int> refused_{0};
  std::atomic<long long> waited_ns_{0};
};

}  // namespace alignd
