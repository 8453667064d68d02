// Metric primitives for the hot path: counters, fixed-bucket histograms and a
// lock-free table of counters keyed by a name (rule hits). Relaxed atomics only:
// no locks, and no allocation except the first time a name is seen. Formatting
// lives in exposition.h; which metrics exist lives in alignd_metrics.h.
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace alignd {

class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { v_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t get() const noexcept { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> v_{0};
};

struct HistogramSnapshot {
  std::vector<double> bounds;         // upper bounds, ascending; +Inf implied
  std::vector<std::uint64_t> counts;  // cumulative, one per bound, then the +Inf bucket
  double sum = 0;
  std::uint64_t count = 0;
};

// Prometheus histogram with fixed upper bounds (le); observe() is wait-free.
class Histogram {
 public:
  Histogram(std::initializer_list<double> bounds);
  void observe(double v) noexcept;
  HistogramSnapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // non-cumulative, bounds_.size() + 1
  std::atomic<double> sum_{0};
};

// Seconds buckets for DNS lookups and end-of-message work: 0.5 ms .. 10 s.
std::initializer_list<double> latency_buckets();

// Counters keyed by a free-form name (policy rule names). A fixed open-addressing
// table: a name takes a slot the first time it is counted (one allocation, by
// compare-and-swap), later counts are one atomic add. Past kSlots distinct names,
// counts go to overflow().
class NamedCounters {
 public:
  static constexpr size_t kSlots = 512;
  NamedCounters() = default;
  ~NamedCounters();
  NamedCounters(const NamedCounters&) = delete;
  NamedCounters& operator=(const NamedCounters&) = delete;

  void inc(std::string_view name) noexcept;
  std::uint64_t overflow() const noexcept { return overflow_.get(); }
  // Every name counted so far with its count, sorted by name.
  std::vector<std::pair<std::string, std::uint64_t>> snapshot() const;

 private:
  struct Slot {
    std::atomic<const std::string*> name{nullptr};
    Counter count;
  };
  std::array<Slot, kSlots> slots_;
  Counter overflow_;
};

}  // namespace alignd
