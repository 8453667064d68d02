// Histogram and NamedCounters; see registry.h.
#include "metrics/registry.h"

#include <algorithm>
#include <functional>

namespace alignd {

Histogram::Histogram(std::initializer_list<double> bounds)
    : bounds_(bounds), buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) noexcept {
  size_t i =
      static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

HistogramSnapshot Histogram::snapshot() const {
  HistogramSnapshot s;
  s.bounds = bounds_;
  std::uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.counts.push_back(running);
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::initializer_list<double> latency_buckets() {
  static constexpr std::initializer_list<double> b = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return b;
}

NamedCounters::~NamedCounters() {
  for (auto& s : slots_) delete s.name.load();
}

void NamedCounters::inc(std::string_view name) noexcept {
  const size_t h = std::hash<std::string_view>{}(name);
  for (size_t i = 0; i < kSlots; ++i) {
    Slot& slot = slots_[(h + i) % kSlots];
    const std::string* have = slot.name.load(std::memory_order_acquire);
    if (!have) {
      std::string* mine = nullptr;
      try {
        mine = new std::string(name);
      } catch (...) {
        overflow_.inc();
        return;
      }
      if (slot.name.compare_exchange_strong(have, mine, std::memory_order_acq_rel)) {
        slot.count.inc();
        return;
      }
      delete mine;  // another thread took the slot first; `have` is its name
    }
    if (*have == name) {
      slot.count.inc();
      return;
    }
  }
  overflow_.inc();
}

std::vector<std::pair<std::string, std::uint64_t>> NamedCounters::snapshot() const {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const auto& s : slots_)
    if (const std::string* n = s.name.load(std::memory_order_acquire))
      out.emplace_back(*n, s.count.get());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace alignd
