// CacheResolver: answers repeated questions from memory, in the calling thread.
// Every query to libunbound crosses threads three times (caller → libunbound's
// worker → our pump → caller) even when libunbound has the answer cached; with a
// handful of lookups per message those hand-offs were most of alignd's CPU above
// the libmilter floor (docs/benchmarks.md). This decorator keeps each answer for
// its TTL (RFC 1035 §3.2.1; negative answers for their RFC 2308 §5 TTL), capped at
// max_ttl, and never keeps TempFail or PermFail. Bounded: at most max_entries
// answers; a full shard first drops what has expired, then everything.
// Thread-safe: shards with their own mutex. Leaves out: prefetch, serve-stale.
#pragma once
#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "dns/resolver.h"

namespace alignd {

class CacheResolver : public Resolver {
 public:
  using Clock = std::chrono::steady_clock;
  struct Options {
    size_t max_entries = 65536;
    uint32_t max_ttl = 3600;  // seconds
  };
  CacheResolver(std::shared_ptr<Resolver> inner, Options o);
  explicit CacheResolver(std::shared_ptr<Resolver> inner) : CacheResolver(std::move(inner), Options{}) {}

  DnsAnswer query(std::string_view name, RrType type) override;
  // A miss waits no longer than `deadline` (the per-message DNS budget) for the inner resolver.
  DnsAnswer query_until(std::string_view name, RrType type,
                        std::chrono::steady_clock::time_point deadline) override;

  // For tests: the clock the cache reads (default steady_clock::now).
  void set_clock(std::function<Clock::time_point()> now) { now_ = std::move(now); }
  size_t size() const;

 private:
  struct Entry {
    DnsAnswer answer;
    Clock::time_point until;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry> map;
  };
  static constexpr size_t kShards = 16;

  std::shared_ptr<Resolver> inner_;
  Options opts_;
  std::function<Clock::time_point()> now_ = [] { return Clock::now(); };
  std::array<Shard, kShards> shards_;
};

}  // namespace alignd
