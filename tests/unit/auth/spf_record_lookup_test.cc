// Tests for auth/spf_record_lookup.h: record selection (RFC 7208 §4.5) and DNS
// outcomes (§4.4).
#include <catch2/catch.hpp>

#include "auth/spf_record_lookup.h"
#include "fakes/fake_resolver.h"

using namespace alignd;
using alignd::testing::FakeResolver;

TEST_CASE("is_spf1_record") {
  CHECK(is_spf1_record("v=spf1"));
  CHECK(is_spf1_record("v=spf1 -all"));
  CHECK(is_spf1_record("V=SPF1 -all"));
  CHECK_FALSE(is_spf1_record("v=spf10 -all"));
  CHECK_FALSE(is_spf1_record("v=spf1\t-all"));
  CHECK_FALSE(is_spf1_record(" v=spf1 -all"));
  CHECK_FALSE(is_spf1_record("spf2.0/pra -all"));
}

TEST_CASE("lookup_spf_record outcomes") {
  FakeResolver dns{
      {"one.example.", RrType::TXT, "v=spf1 -all"},
      {"one.example.", RrType::TXT, "some other text"},
      {"two.example.", RrType::TXT, "v=spf1 -all"},
      {"two.example.", RrType::TXT, "v=spf1 +all"},
      {"other.example.", RrType::TXT, "v=spf10 -all"},
      {"a.only.example.", RrType::A, "192.0.2.1"},
  };
  dns.fail("slow.example.", DnsStatus::TempFail);
  dns.fail("broken.example.", DnsStatus::PermFail);
  struct Case {
    const char* domain;
    SpfRecordStatus want;
  };
  const Case cases[] = {
      {"one.example", SpfRecordStatus::Found},        {"two.example", SpfRecordStatus::PermError},
      {"other.example", SpfRecordStatus::None},       {"a.only.example", SpfRecordStatus::None},
      {"nx.example", SpfRecordStatus::None},          {"slow.example", SpfRecordStatus::TempError},
      {"broken.example", SpfRecordStatus::TempError},
  };
  for (const auto& c : cases) {
    INFO(c.domain);
    SpfRecordLookup r = lookup_spf_record(dns, c.domain);
    CHECK(r.status == c.want);
    if (c.want == SpfRecordStatus::Found)
      CHECK(r.text == "v=spf1 -all");
    else
      CHECK_FALSE(r.error.empty());
  }
  for (const auto& [name, type] : dns.queries) CHECK(type == RrType::TXT);
}
