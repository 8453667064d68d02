// BudgetResolver: counts queries; the (max+1)th and later answer TempFail.
#include "dns/budget_resolver.h"

namespace alignd {

DnsAnswer BudgetResolver::query(std::string_view name, RrType type) {
  // Claim a slot atomically so concurrent callers cannot overshoot the budget.
  int n = used_.load();
  while (n < max_ && !used_.compare_exchange_weak(n, n + 1)) {
  }
  if (n >= max_) {
    ++refused_;
    DnsAnswer a;
    a.status = DnsStatus::TempFail;
    a.error = kExhausted;
    return a;
  }
  return inner_.query(name, type);
}

}  // namespace alignd
