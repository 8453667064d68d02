// BudgetResolver: a per-message bound on DNS queries, so a hostile record cannot make
// one message cost hundreds of lookups. Beyond the budget every query answers TempFail
// without reaching the inner resolver. SPF's own limits (RFC 7208 §4.6.4) live in SPF.
#pragma once
#include <atomic>

#include "dns/resolver.h"

namespace alignd {

class BudgetResolver : public Resolver {
 public:
  static constexpr const char* kExhausted = "DNS query budget exhausted";

  BudgetResolver(Resolver& inner, int max_queries) : inner_(inner), max_(max_queries) {}
  DnsAnswer query(std::string_view name, RrType type) override;

  int used() const { return used_.load(); }        // queries passed to the inner resolver
  int refused() const { return refused_.load(); }  // queries answered TempFail by the budget
  int max_queries() const { return max_; }

 private:
  Resolver& inner_;
  const int max_;
  std::atomic<int> used_{0};
  std::atomic<int> refused_{0};
};

}  // namespace alignd
