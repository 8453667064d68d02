// FakeResolver: a Resolver answering from a map, with per-name failures.
// For unit tests of code that takes a Resolver or a DnsLookup.
//   FakeResolver dns{{"_dmarc.example.com.", RrType::TXT, "v=DMARC1; p=reject"}};
//   dns.fail("slow.example.", DnsStatus::TempFail);
// A name with no record of the asked type: NoData if it has other records or
// names below it, else NxDomain (the same rule as ZoneResolver).
#pragma once
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "core/text.h"
#include "dns/resolver.h"

namespace alignd::testing {

struct FakeRecord {
  std::string name;
  RrType type;
  std::string data;
};

class FakeResolver : public Resolver {
 public:
  FakeResolver() = default;
  FakeResolver(std::initializer_list<FakeRecord> records) {
    for (const auto& r : records) add(r.name, r.type, r.data);
  }
  void add(std::string_view name, RrType type, std::string data) {
    records_[{normalize_domain(name), type}].push_back(std::move(data));
  }
  void fail(std::string_view name, DnsStatus status) { failures_[normalize_domain(name)] = status; }

  DnsAnswer query(std::string_view name, RrType type) override {
    std::lock_guard lock(mu_);
    std::string n = normalize_domain(name);
    queries.emplace_back(n, type);
    DnsAnswer a;
    if (auto f = failures_.find(n); f != failures_.end()) {
      a.status = f->second;
      a.error = "fake failure";
      return a;
    }
    a.ttl = ttl;
    if (auto it = records_.find({n, type}); it != records_.end()) {
      a.status = DnsStatus::Ok;
      a.records = it->second;
      return a;
    }
    a.status = DnsStatus::NxDomain;
    for (const auto& [key, _] : records_)
      if (domain_at_or_below(key.first, n)) a.status = DnsStatus::NoData;
    return a;
  }

  uint32_t ttl = 0;  // TTL of every answer but failures (0: not to be reused)

  std::vector<std::pair<std::string, RrType>> queries;  // every query, in order

 private:
  std::mutex mu_;
  std::map<std::pair<std::string, RrType>, std::vector<std::string>> records_;
  std::map<std::string, DnsStatus> failures_;
};

}  // namespace alignd::testing
