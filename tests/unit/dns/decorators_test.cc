// Tests for BudgetResolver and OverlayResolver (dns/budget_resolver.h, dns/overlay_resolver.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "dns/budget_resolver.h"
#include "dns/overlay_resolver.h"
#include "fakes/fake_resolver.h"

using namespace alignd;
using alignd::testing::FakeResolver;

TEST_CASE("budget: queries up to the limit pass, later ones TempFail without reaching DNS") {
  FakeResolver dns{{"example.com.", RrType::TXT, "v=spf1 -all"}};
  BudgetResolver b(dns, 3);
  for (int i = 0; i < 3; ++i) {
    DnsAnswer a = b.query("example.com", RrType::TXT);
    CHECK(a.status == DnsStatus::Ok);
  }
  CHECK(b.used() == 3);
  DnsAnswer over = b.query("example.com", RrType::TXT);
  CHECK(over.status == DnsStatus::TempFail);
  CHECK(over.error == "DNS query budget exhausted");
  CHECK(b.query("other.example", RrType::A).status == DnsStatus::TempFail);
  CHECK(b.used() == 3);
  CHECK(b.refused() == 2);
  CHECK(dns.queries.size() == 3);
}

TEST_CASE("budget: failures count against it too, and zero means nothing passes") {
  FakeResolver dns;
  dns.fail("slow.example.", DnsStatus::TempFail);
  BudgetResolver b(dns, 1);
  CHECK(b.query("slow.example", RrType::TXT).error == "fake failure");
  CHECK(b.query("slow.example", RrType::TXT).error == "DNS query budget exhausted");
  BudgetResolver none(dns, 0);
  CHECK(none.query("x.example", RrType::A).status == DnsStatus::TempFail);
  CHECK(none.used() == 0);
}

TEST_CASE("budget: concurrent callers never overshoot") {
  FakeResolver dns{{"example.com.", RrType::A, "192.0.2.1"}};
  BudgetResolver b(dns, 50);
  std::vector<std::thread> ts;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 20; ++i)
        if (b.query("example.com", RrType::A).status == DnsStatus::Ok) ++ok;
    });
  for (auto& t : ts) t.join();
  CHECK(ok == 50);
  CHECK(b.used() == 50);
  CHECK(b.refused() == 110);
}

TEST_CASE("overlay: covered names answer locally, others go upstream") {
  auto local = std::make_shared<ZoneResolver>(
      parse_zone("example.com. 300 IN TXT \"v=spf1 -all\"\n"
                 "alias.example.com. 300 IN CNAME target.example.net.\n"
                 "inner.example.com. 300 IN CNAME example.com.\n",
                 "local.zone"));
  auto up = std::make_shared<FakeResolver>();
  up->add("example.com.", RrType::TXT, "upstream must not be asked");
  up->add("_dmarc.example.com.", RrType::TXT, "upstream must not be asked");
  up->add("example.net.", RrType::TXT, "v=spf1 include:x -all");
  up->add("target.example.net.", RrType::A, "198.51.100.7");
  up->fail("down.example.org.", DnsStatus::TempFail);
  OverlayResolver o(local, up);

  struct Case {
    const char* name;
    RrType type;
    DnsStatus status;
    std::vector<std::string> records;
  };
  const Case cases[] = {
      {"example.com", RrType::TXT, DnsStatus::Ok, {"v=spf1 -all"}},
      {"example.com", RrType::MX, DnsStatus::NoData, {}},
      {"_dmarc.example.com", RrType::TXT, DnsStatus::NxDomain, {}},  // covered: local says no
      {"inner.example.com", RrType::TXT, DnsStatus::Ok, {"v=spf1 -all"}},
      {"alias.example.com", RrType::A, DnsStatus::Ok, {"198.51.100.7"}},  // CNAME leaves the zone
      {"example.net", RrType::TXT, DnsStatus::Ok, {"v=spf1 include:x -all"}},
      {"nothing.example.net", RrType::TXT, DnsStatus::NxDomain, {}},
      {"down.example.org", RrType::TXT, DnsStatus::TempFail, {}},
      {"com", RrType::TXT, DnsStatus::NoData, {}},  // above the zone: upstream
  };
  for (const auto& c : cases) {
    INFO(c.name << " " << to_string(c.type));
    DnsAnswer a = o.query(c.name, c.type);
    CHECK(a.status == c.status);
    CHECK(a.records == c.records);
  }
  std::vector<std::pair<std::string, RrType>> want = {
      {"target.example.net", RrType::A},
      {"example.net", RrType::TXT},
      {"nothing.example.net", RrType::TXT},
      {"down.example.org", RrType::TXT},
      {"com", RrType::TXT},
  };
  CHECK(up->queries == want);
}

namespace {
// A server that never answers: each query blocks until its deadline (as
// UnboundResolver does with a silent upstream), or `timeout` without one.
struct SilentResolver : Resolver {
  std::chrono::milliseconds timeout{3000};
  std::atomic<int> calls{0};
  DnsAnswer query(std::string_view n, RrType t) override {
    return query_until(n, t, std::chrono::steady_clock::time_point::max());
  }
  DnsAnswer query_until(std::string_view, RrType,
                        std::chrono::steady_clock::time_point deadline) override {
    ++calls;
    auto until = std::min(deadline, std::chrono::steady_clock::now() + timeout);
    std::this_thread::sleep_until(until);
    DnsAnswer a;
    a.error = "silent";
    return a;
  }
};
}  // namespace

// Issue 10 item 5: 120 queries x 3 s per-query timeout held a thread for 6 minutes.
TEST_CASE("budget: the message's DNS time budget bounds the total wait, then TempFail") {
  SilentResolver silent;
  silent.timeout = std::chrono::milliseconds(3000);
  BudgetResolver b(silent, 120, std::chrono::milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  int refused_by_time = 0;
  for (int i = 0; i < 20; ++i) {
    DnsAnswer a = b.query("q" + std::to_string(i) + ".example", RrType::TXT);
    CHECK(a.status == DnsStatus::TempFail);
    if (a.error == BudgetResolver::kOutOfTime) ++refused_by_time;
  }
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(silent.calls == 1);  // the first query used the whole budget
  CHECK(refused_by_time == 19);
  CHECK(b.waited() >= std::chrono::milliseconds(190));
  CHECK(took < std::chrono::milliseconds(2000));  // not 20 x 3 s (generous bound)
}

TEST_CASE("budget: without a time budget the inner timeout applies; answers count time") {
  FakeResolver dns{{"example.com.", RrType::TXT, "v=spf1 -all"}};
  BudgetResolver b(dns, 5, std::chrono::milliseconds(1000));
  CHECK(b.query("example.com", RrType::TXT).status == DnsStatus::Ok);
  CHECK(b.waited() < std::chrono::milliseconds(1000));
  SilentResolver silent;
  silent.timeout = std::chrono::milliseconds(50);
  BudgetResolver untimed(silent, 3);
  for (int i = 0; i < 3; ++i) CHECK(untimed.query("x.example", RrType::A).error == "silent");
  CHECK(silent.calls == 3);
}
