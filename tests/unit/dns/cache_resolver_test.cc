// Tests for dns/cache_resolver.h: repeats within the TTL are answered without the
// inner resolver, expiry, negative answers, failures never kept, the size bound.
#include "dns/cache_resolver.h"

#include <catch2/catch.hpp>

#include "fakes/fake_resolver.h"

using namespace alignd;
using namespace alignd::testing;

namespace {

struct Fixture {
  std::shared_ptr<FakeResolver> fake = std::make_shared<FakeResolver>();
  CacheResolver::Clock::time_point now{};
  std::unique_ptr<CacheResolver> cache;
  explicit Fixture(CacheResolver::Options o = {}) {
    fake->ttl = 300;
    fake->add("example.com", RrType::TXT, "v=spf1 -all");
    cache = std::make_unique<CacheResolver>(fake, o);
    cache->set_clock([this] { return now; });
  }
  size_t inner_queries() const { return fake->queries.size(); }
};

}  // namespace

TEST_CASE("a repeat within the TTL does not reach the inner resolver") {
  Fixture f;
  auto a = f.cache->query("example.com", RrType::TXT);
  auto b = f.cache->query("EXAMPLE.com.", RrType::TXT);  // RFC 4343: case-insensitive
  CHECK(a.status == DnsStatus::Ok);
  CHECK(b.records == a.records);
  CHECK(f.inner_queries() == 1);
  f.cache->query("example.com", RrType::A);  // another type is another question
  CHECK(f.inner_queries() == 2);
}

TEST_CASE("an answer expires with its TTL, capped by max_ttl") {
  CacheResolver::Options o;
  o.max_ttl = 60;
  Fixture f(o);
  f.cache->query("example.com", RrType::TXT);
  f.now += std::chrono::seconds(59);
  f.cache->query("example.com", RrType::TXT);
  CHECK(f.inner_queries() == 1);
  f.now += std::chrono::seconds(2);  // past max_ttl (60), though the record says 300
  f.cache->query("example.com", RrType::TXT);
  CHECK(f.inner_queries() == 2);
}

TEST_CASE("negative answers are kept for their TTL; failures and TTL 0 never") {
  Fixture f;
  CHECK(f.cache->query("gone.example.com", RrType::TXT).status == DnsStatus::NxDomain);
  CHECK(f.cache->query("gone.example.com", RrType::TXT).status == DnsStatus::NxDomain);
  CHECK(f.inner_queries() == 1);

  f.fake->fail("slow.example.net", DnsStatus::TempFail);
  f.cache->query("slow.example.net", RrType::TXT);
  f.cache->query("slow.example.net", RrType::TXT);
  CHECK(f.inner_queries() == 3);

  f.fake->ttl = 0;
  f.cache->query("zero.example.org", RrType::TXT);
  f.cache->query("zero.example.org", RrType::TXT);
  CHECK(f.inner_queries() == 5);
}

TEST_CASE("the cache holds at most max_entries answers") {
  CacheResolver::Options o;
  o.max_entries = 64;
  Fixture f(o);
  for (int i = 0; i < 10000; ++i) f.cache->query("n" + std::to_string(i) + ".example", RrType::TXT);
  CHECK(f.cache->size() <= 64);
  CHECK(f.cache->size() > 0);
}
