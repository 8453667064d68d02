// BudgetResolver: counts queries and the time they wait; beyond either budget TempFail.
#include "dns/budget_resolver.h"

#include <algorithm>

namespace alignd {

namespace {
using Clock = std::chrono::steady_clock;

DnsAnswer temp_fail(const char* why) {
  DnsAnswer a;
  a.status = DnsStatus::TempFail;
  a.error = why;
  return a;
}
}  // namespace

std::chrono::milliseconds BudgetResolver::waited() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::nanoseconds(waited_ns_.load()));
}

DnsAnswer BudgetResolver::query(std::string_view name, RrType type) {
  return query_until(name, type, Clock::time_point::max());
}

DnsAnswer BudgetResolver::query_until(std::string_view name, RrType type,
                                      Clock::time_point deadline) {
  const bool timed = budget_.count() > 0;
  const auto left = std::chrono::nanoseconds(budget_) - std::chrono::nanoseconds(waited_ns_.load());
  if (timed && left.count() <= 0) {
    ++refused_;
    return temp_fail(kOutOfTime);
  }
  // Claim a slot atomically so concurrent callers cannot overshoot the budget.
  int n = used_.load();
  while (n < max_ && !used_.compare_exchange_weak(n, n + 1)) {
  }
  if (n >= max_) {
    ++refused_;
    return temp_fail(kExhausted);
  }
  const auto start = Clock::now();
  if (timed) deadline = std::min(deadline, start + left);
  DnsAnswer a = inner_.query_until(name, type, deadline);
  waited_ns_ += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
  return a;
}

}  // namespace alignd
