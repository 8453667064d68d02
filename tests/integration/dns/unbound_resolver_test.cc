// Integration tests of UnboundResolver against real servers on 127.0.0.1, started by
// tests/integration/dns_unbound.sh: nsd (DNS_NSD), a silent UDP server (DNS_SILENT),
// and nsd's unloadable zone broken.example (SERVFAIL). Also checks that ZoneResolver
// gives the same answers as nsd for the same data (DNS_BODY_ZONE).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "dns/budget_resolver.h"
#include "dns/metrics.h"
#include "dns/unbound_resolver.h"
#include "dns/cache_resolver.h"
#include "dns/zone_resolver.h"

using namespace alignd;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kThreads = 16, kPerThread = 500;  // as in tests/integration/dns/helpers.py

std::string env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) FAIL(name << " is not set: run tests/integration/dns_unbound.sh");
  return v;
}

UnboundResolver nsd_resolver(int timeout_ms = 3000) {
  UnboundOptions o;
  o.servers = {env("DNS_NSD")};
  o.timeout_ms = timeout_ms;
  return UnboundResolver(o);
}

long ms_since(Clock::time_point t) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count());
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

struct Case {
  const char* name;
  RrType type;
  DnsStatus status;
  std::vector<std::string> records;
};

const std::string kLong =
    std::string(255, 'a') + std::string(255, 'b') + std::string(255, 'c') + "tail";

const std::vector<Case>& cases() {
  static const std::vector<Case> c = {
      {"integration.example", RrType::TXT, DnsStatus::Ok, {"v=spf1 ip4:192.0.2.0/24 -all"}},
      {"Integration.Example.",
       RrType::MX,
       DnsStatus::Ok,
       {"10 mx1.integration.example.", "20 mx2.integration.example."}},
      {"_dmarc.integration.example", RrType::TXT, DnsStatus::Ok, {"v=DMARC1; p=reject"}},
      {"mx1.integration.example", RrType::A, DnsStatus::Ok, {"192.0.2.10"}},
      {"mx1.integration.example", RrType::AAAA, DnsStatus::Ok, {"2001:db8::10"}},
      {"long.s1._domainkey.integration.example", RrType::TXT, DnsStatus::Ok, {kLong}},
      {"www.integration.example", RrType::A, DnsStatus::Ok, {"192.0.2.10"}},
      {"www.integration.example", RrType::CNAME, DnsStatus::Ok, {"mx1.integration.example."}},
      {"10.integration.example", RrType::PTR, DnsStatus::Ok, {"mx1.integration.example."}},
      {"quoted.integration.example", RrType::TXT, DnsStatus::Ok, {"say \"hi\"; ; semi"}},
      {"n3-7.conc.integration.example", RrType::TXT, DnsStatus::Ok, {"value 3 7 3750"}},
      // names with odd octets: \DDD in answers, and \DDD or the octet itself in queries
      {"odd.integration.example",
       RrType::PTR,
       DnsStatus::Ok,
       {"foo\\058bar\\047baz.integration.example."}},
      {"foo\\058bar\\047baz.integration.example.", RrType::A, DnsStatus::Ok, {"192.0.2.12"}},
      {"foo:bar/baz.integration.example", RrType::A, DnsStatus::Ok, {"192.0.2.12"}},
      {"a\\032b.integration.example", RrType::TXT, DnsStatus::Ok, {"space"}},
      // NODATA: the name exists without that type
      {"mx1.integration.example", RrType::TXT, DnsStatus::NoData, {}},
      {"integration.example", RrType::PTR, DnsStatus::NoData, {}},
      // NODATA: empty non-terminals
      {"conc.integration.example", RrType::TXT, DnsStatus::NoData, {}},
      {"_domainkey.integration.example", RrType::TXT, DnsStatus::NoData, {}},
      // NXDOMAIN
      {"nope.integration.example", RrType::TXT, DnsStatus::NxDomain, {}},
      {"x.mx1.integration.example", RrType::A, DnsStatus::NxDomain, {}},
      {"_dmarc.mx1.integration.example", RrType::TXT, DnsStatus::NxDomain, {}},
  };
  return c;
}

}  // namespace

TEST_CASE("answers, NODATA, NXDOMAIN and a long multi-string TXT from nsd") {
  UnboundResolver dns = nsd_resolver();
  for (const auto& c : cases()) {
    INFO(c.name << " " << to_string(c.type));
    DnsAnswer a = dns.query(c.name, c.type);
    CHECK(a.status == c.status);
    CHECK(sorted(a.records) == sorted(c.records));
    CHECK_FALSE(a.secure);  // validation off
    CHECK(a.error.empty());
  }
}

TEST_CASE("ZoneResolver answers like nsd for the same records") {
  ZoneResolver zone(load_zone_file(env("DNS_BODY_ZONE")));
  UnboundResolver dns = nsd_resolver();
  for (const auto& c : cases()) {
    INFO(c.name << " " << to_string(c.type));
    DnsAnswer z = zone.query(c.name, c.type), u = dns.query(c.name, c.type);
    CHECK(z.status == u.status);
    CHECK(sorted(z.records) == sorted(u.records));
  }
}

TEST_CASE("an upstream that never answers gives TempFail within timeout_ms") {
  UnboundOptions o;
  o.servers = {env("DNS_SILENT")};
  o.timeout_ms = 500;
  UnboundResolver silent(o);
  UnboundResolver good = nsd_resolver();
  const uint64_t timeouts0 = dns_metrics().timeouts.load();

  auto t0 = Clock::now();
  DnsAnswer a = silent.query("integration.example", RrType::TXT);
  long took = ms_since(t0);
  CHECK(a.status == DnsStatus::TempFail);
  CHECK_THAT(a.error, Catch::Contains("timeout"));
  CHECK(took >= 450);
  CHECK(took < 1500);

  // Many callers waiting on the silent server at once are not serialized, and another
  // resolver keeps answering meanwhile: the daemon stays responsive.
  std::vector<std::thread> waiters;
  std::atomic<int> tempfails{0};
  t0 = Clock::now();
  for (int i = 0; i < 8; ++i)
    waiters.emplace_back([&, i] {
      auto q = silent.query("w" + std::to_string(i) + ".integration.example", RrType::A);
      if (q.status == DnsStatus::TempFail) ++tempfails;
    });
  auto g0 = Clock::now();
  DnsAnswer g = good.query("mx2.integration.example", RrType::A);
  long good_took = ms_since(g0);
  for (auto& w : waiters) w.join();
  long all_took = ms_since(t0);
  CHECK(g.status == DnsStatus::Ok);
  CHECK(g.records == std::vector<std::string>{"192.0.2.11"});
  CHECK(good_took < 400);
  CHECK(tempfails == 8);
  CHECK(all_took < 1500);  // 8 x 500 ms if they queued behind each other
  CHECK(dns_metrics().timeouts.load() - timeouts0 >= 9);
}

// Issue 10 item 5: a message's DNS time budget bounds the wait on a silent upstream
// (120 queries x timeout_ms held a milter thread for minutes).
TEST_CASE("a message's DNS time budget cuts a silent upstream's queries short") {
  UnboundOptions o;
  o.servers = {env("DNS_SILENT")};
  o.timeout_ms = 3000;
  UnboundResolver silent(o);
  BudgetResolver budget(silent, 120, std::chrono::milliseconds(600));
  auto t0 = Clock::now();
  int out_of_time = 0;
  for (int i = 0; i < 10; ++i) {
    DnsAnswer a = budget.query("b" + std::to_string(i) + ".integration.example", RrType::TXT);
    CHECK(a.status == DnsStatus::TempFail);
    if (a.error == BudgetResolver::kOutOfTime) ++out_of_time;
  }
  long took = ms_since(t0);
  CHECK(budget.used() == 1);  // the first query waited the whole budget, not 3 s
  CHECK(out_of_time == 10);
  CHECK(took >= 550);
  CHECK(took < 2500);  // not 10 x 3 s
}

TEST_CASE("SERVFAIL from upstream is TempFail") {
  UnboundResolver dns = nsd_resolver(4000);
  const uint64_t servfails0 = dns_metrics().servfails.load();
  auto t0 = Clock::now();
  DnsAnswer a = dns.query("broken.example", RrType::TXT);
  CHECK(a.status == DnsStatus::TempFail);
  CHECK(a.error == "SERVFAIL");
  CHECK(ms_since(t0) < 4000);
  CHECK(dns_metrics().servfails.load() - servfails0 == 1);
  // and the same resolver still answers other names
  CHECK(dns.query("mx1.integration.example", RrType::A).status == DnsStatus::Ok);
}

TEST_CASE("16 threads x 500 distinct lookups: every answer is the right one") {
  UnboundResolver dns = nsd_resolver(10000);
  const uint64_t q0 = dns_metrics().queries.load();
  std::atomic<int> wrong{0}, failed{0};
  std::vector<std::string> first_bad(kThreads);
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string name =
            "n" + std::to_string(t) + "-" + std::to_string(i) + ".conc.integration.example";
        std::string want = "value " + std::to_string(t) + " " + std::to_string(i) + " " +
                           std::to_string((t * 7919 + i) % 10007);
        DnsAnswer a = dns.query(name, RrType::TXT);
        if (a.status != DnsStatus::Ok) {
          ++failed;
          if (first_bad[t].empty())
            first_bad[t] = name + ": " + std::string(to_string(a.status)) + " " + a.error;
        } else if (a.records != std::vector<std::string>{want}) {
          ++wrong;
          if (first_bad[t].empty()) first_bad[t] = name + ": got " + a.records.at(0);
        }
      }
    });
  for (auto& t : ts) t.join();
  for (const auto& b : first_bad) INFO(b);
  for (const auto& b : first_bad)
    if (!b.empty()) WARN(b);
  CHECK(failed == 0);
  CHECK(wrong == 0);
  CHECK(dns_metrics().queries.load() - q0 == kThreads * kPerThread);
}

TEST_CASE("answers carry their TTL, negative ones the SOA minimum; the cache in front reuses them") {
  UnboundOptions o;
  o.servers = {env("DNS_NSD")};
  auto dns = std::make_shared<UnboundResolver>(o);
  DnsAnswer pos = dns->query("n0-0.conc.integration.example", RrType::TXT);
  CHECK(pos.status == DnsStatus::Ok);
  CHECK(pos.ttl > 0);
  DnsAnswer neg = dns->query("gone.integration.example", RrType::TXT);
  CHECK(neg.status == DnsStatus::NxDomain);
  CHECK(neg.ttl > 0);

  CacheResolver cache(dns);
  auto& m = dns_metrics();
  uint64_t q0 = m.queries.load(), h0 = m.cache_hits.load();
  CHECK(cache.query("n1-1.conc.integration.example", RrType::TXT).status == DnsStatus::Ok);
  CHECK(cache.query("n1-1.conc.integration.example", RrType::TXT).status == DnsStatus::Ok);
  CHECK(cache.query("gone.integration.example", RrType::TXT).status == DnsStatus::NxDomain);
  CHECK(cache.query("gone.integration.example", RrType::TXT).status == DnsStatus::NxDomain);
  CHECK(m.queries.load() - q0 == 2);  // upstream only: the repeats came from the cache
  CHECK(m.cache_hits.load() - h0 == 2);
}

TEST_CASE("names libunbound answers itself (.invalid, localhost) come back through the pump") {
  UnboundResolver dns = nsd_resolver(2000);
  auto t0 = Clock::now();
  CHECK(dns.query("anything.invalid", RrType::TXT).status == DnsStatus::NxDomain);
  DnsAnswer l = dns.query("localhost", RrType::A);
  CHECK(l.status == DnsStatus::Ok);
  CHECK(l.records == std::vector<std::string>{"127.0.0.1"});
  CHECK(ms_since(t0) < 1000);
}

TEST_CASE("names that cannot exist are NXDOMAIN without a query") {
  UnboundResolver dns = nsd_resolver();
  uint64_t q0 = dns_metrics().queries.load();
  const std::string bad[] = {"",
                             ".",
                             "a..example",
                             std::string(64, 'x') + ".example",
                             "sp ace.example",
                             "back\\slash.example",
                             std::string(250, 'a') + ".example"};
  for (const auto& n : bad) {
    INFO(n);
    DnsAnswer a = dns.query(n, RrType::TXT);
    CHECK(a.status == DnsStatus::NxDomain);
    CHECK_THAT(a.error, Catch::Contains("invalid domain name"));
  }
  CHECK(dns_metrics().queries.load() == q0);
}

TEST_CASE("set-up errors throw std::runtime_error") {
  auto make = [](std::vector<std::string> servers, int timeout, bool dnssec, std::string ta) {
    UnboundOptions o;
    o.servers = std::move(servers);
    o.timeout_ms = timeout;
    o.dnssec = dnssec;
    if (!ta.empty()) o.trust_anchor_file = ta;
    UnboundResolver r(o);
  };
  CHECK_THROWS_AS(make({"not-an-ip"}, 1000, false, ""), std::runtime_error);
  CHECK_THROWS_AS(make({"127.0.0.1@99999"}, 1000, false, ""), std::runtime_error);
  CHECK_THROWS_AS(make({"127.0.0.1@"}, 1000, false, ""), std::runtime_error);
  CHECK_THROWS_AS(make({"[::1]:53"}, 1000, false, ""), std::runtime_error);
  CHECK_THROWS_AS(make({"127.0.0.1"}, 0, false, ""), std::runtime_error);
  CHECK_THROWS_WITH(make({"127.0.0.1"}, 1000, true, "/nonexistent/root.key"),
                    Catch::Contains("trust anchor"));
  CHECK_NOTHROW(make({"127.0.0.1", "::1@5353"}, 1000, false, ""));
  CHECK_NOTHROW(make({}, 1000, false, ""));  // /etc/resolv.conf; nothing is sent
}

TEST_CASE("256 threads at once, answers still matched to their questions") {
  UnboundResolver dns = nsd_resolver(10000);
  constexpr int kWide = 256, kEach = 20;
  std::atomic<int> wrong{0};
  std::vector<std::thread> ts;
  for (int w = 0; w < kWide; ++w)
    ts.emplace_back([&, w] {
      for (int k = 0; k < kEach; ++k) {
        int n = w * kEach + k, t = n / kPerThread, i = n % kPerThread;  // covers all 5120 names
        DnsAnswer a = dns.query(
            "n" + std::to_string(t) + "-" + std::to_string(i) + ".conc.integration.example",
            RrType::TXT);
        std::string want = "value " + std::to_string(t) + " " + std::to_string(i) + " " +
                           std::to_string((t * 7919 + i) % 10007);
        if (a.status != DnsStatus::Ok || a.records != std::vector<std::string>{want}) ++wrong;
      }
    });
  for (auto& t : ts) t.join();
  CHECK(wrong == 0);
}

TEST_CASE("DNSSEC: validated answers are secure, a bad signature is TempFail") {
  UnboundOptions o;
  o.servers = {env("DNS_NSD")};
  o.dnssec = true;
  o.trust_anchor_file = env("DNS_SEC_TA");  // sec.example.'s DNSKEY; no root anchor here
  UnboundResolver dns(o);
  struct SecCase {
    const char* name;
    RrType type;
    DnsStatus status;
    bool secure;
    std::vector<std::string> records;
  };
  const SecCase cases[] = {
      {"txt.sec.example", RrType::TXT, DnsStatus::Ok, true, {"signed text"}},
      {"txt.sec.example", RrType::A, DnsStatus::NoData, true, {}},       // NSEC-proven
      {"nope.sec.example", RrType::TXT, DnsStatus::NxDomain, true, {}},  // NSEC-proven
      {"bad.sec.example", RrType::TXT, DnsStatus::TempFail, false, {}},  // signature mismatch
      {"integration.example", RrType::TXT, DnsStatus::Ok, false, {"v=spf1 ip4:192.0.2.0/24 -all"}},
  };
  uint64_t servfails0 = dns_metrics().servfails.load();
  for (const auto& c : cases) {
    INFO(c.name << " " << to_string(c.type));
    DnsAnswer a = dns.query(c.name, c.type);
    CHECK(a.status == c.status);
    CHECK(a.secure == c.secure);
    CHECK(a.records == c.records);
    if (c.status == DnsStatus::TempFail) CHECK_THAT(a.error, Catch::Contains("DNSSEC"));
  }
  CHECK(dns_metrics().servfails.load() - servfails0 == 1);

  // Without validation the same data is answered, never secure, the tampered text included.
  UnboundResolver plain = nsd_resolver();
  DnsAnswer t = plain.query("txt.sec.example", RrType::TXT);
  CHECK(t.status == DnsStatus::Ok);
  CHECK_FALSE(t.secure);
  CHECK(plain.query("bad.sec.example", RrType::TXT).records ==
        std::vector<std::string>{"tampered text"});
}
