// Tests for core/dmarc/discovery.h: the RFC 9989 §4.10 Tree Walk (targets, the
// 8-query cap, psd=), §4.10.1 policy discovery, §4.10.2 Organizational Domain
// (the §4.10.2 and Appendix B.4 examples), and RFC 7489 §6.6.3 PSL discovery.
#include <catch2/catch.hpp>

#include "core/dmarc/discovery.h"
#include "fakes/fake_resolver.h"

using namespace alignd;
using alignd::testing::FakeResolver;

namespace {

void dmarc(FakeResolver& dns, const std::string& domain, const std::string& txt) {
  dns.add("_dmarc." + domain, RrType::TXT, txt);
}

size_t txt_queries(const FakeResolver& dns) {
  size_t n = 0;
  for (const auto& q : dns.queries) n += q.second == RrType::TXT;
  return n;
}

}  // namespace

TEST_CASE("tree walk targets (RFC 9989 §4.10 steps 3-7)") {
  struct Case {
    const char* domain;
    std::vector<std::string> targets;
  };
  const Case cases[] = {
      {"com", {"com"}},
      {"example.com", {"example.com", "com"}},
      {"a.mail.example.com", {"a.mail.example.com", "mail.example.com", "example.com", "com"}},
      // §4.10: the 13-label example needs exactly these eight queries
      {"a.b.c.d.e.f.g.h.i.j.mail.example.com",
       {"a.b.c.d.e.f.g.h.i.j.mail.example.com", "g.h.i.j.mail.example.com",
        "h.i.j.mail.example.com", "i.j.mail.example.com", "j.mail.example.com", "mail.example.com",
        "example.com", "com"}},
      // §5.1.8: the zone cut b.c.d.e.f.g.example.com is never queried
      {"mail.a.b.c.d.e.f.g.example.com",
       {"mail.a.b.c.d.e.f.g.example.com", "c.d.e.f.g.example.com", "d.e.f.g.example.com",
        "e.f.g.example.com", "f.g.example.com", "g.example.com", "example.com", "com"}},
      // exactly 8 labels: 8 queries, no skipping
      {"a.b.c.d.e.f.g.h",
       {"a.b.c.d.e.f.g.h", "b.c.d.e.f.g.h", "c.d.e.f.g.h", "d.e.f.g.h", "e.f.g.h", "f.g.h", "g.h",
        "h"}},
      {"", {}},
  };
  for (const auto& c : cases) {
    INFO(c.domain);
    CHECK(tree_walk_targets(c.domain) == c.targets);
  }
  std::string deep;
  for (int i = 0; i < 120; ++i) deep += "x" + std::to_string(i) + ".";
  deep += "example.com";
  CHECK(tree_walk_targets(deep).size() == 8);
}

TEST_CASE("Organizational Domain by Tree Walk (RFC 9989 §4.10.2 examples)") {
  SECTION("records at mail.example.com and example.com: the fewest labels wins") {
    FakeResolver dns;
    dmarc(dns, "mail.example.com", "v=DMARC1; p=none");
    dmarc(dns, "example.com", "v=DMARC1; p=reject");
    DmarcDns d(dns.as_lookup());
    OrgDomain o = tree_walk_org_domain(d, "a.mail.example.com");
    CHECK_FALSE(o.error);
    CHECK(o.domain == "example.com");
    CHECK(o.with_records == std::vector<std::string>{"mail.example.com", "example.com"});
    CHECK(txt_queries(dns) == 4);  // through _dmarc.com
  }
  SECTION("psd=n at mail.example.com stops the walk") {
    FakeResolver dns;
    dmarc(dns, "mail.example.com", "v=DMARC1; p=none; psd=n");
    dmarc(dns, "example.com", "v=DMARC1; p=reject");
    DmarcDns d(dns.as_lookup());
    CHECK(tree_walk_org_domain(d, "a.mail.example.com").domain == "mail.example.com");
    CHECK(txt_queries(dns) == 2);
  }
  SECTION("only _dmarc.com with psd=y: one label below") {
    FakeResolver dns;
    dmarc(dns, "com", "v=DMARC1; p=none; psd=y");
    DmarcDns d(dns.as_lookup());
    CHECK(tree_walk_org_domain(d, "a.mail.example.com").domain == "example.com");
  }
  SECTION("no record anywhere: the domain itself") {
    FakeResolver dns;
    DmarcDns d(dns.as_lookup());
    OrgDomain o = tree_walk_org_domain(d, "a.mail.example.com");
    CHECK(o.domain == "a.mail.example.com");
    CHECK(o.with_records.empty());
  }
  SECTION("psd=y on the starting domain itself does not count (rule 2)") {
    FakeResolver dns;
    dmarc(dns, "bank.example", "v=DMARC1; p=reject; psd=y");
    DmarcDns d(dns.as_lookup());
    CHECK(tree_walk_org_domain(d, "bank.example").domain == "bank.example");
  }
  SECTION("psd=u is a record like any other") {
    FakeResolver dns;
    dmarc(dns, "example.com", "v=DMARC1; p=reject; psd=u");
    dmarc(dns, "com", "v=DMARC1; p=none");  // a careless PSO without psd=y
    DmarcDns d(dns.as_lookup());
    CHECK(tree_walk_org_domain(d, "a.example.com").domain == "com");
  }
  SECTION("a failed query makes the answer unknown") {
    FakeResolver dns;
    dmarc(dns, "example.com", "v=DMARC1; p=reject");
    dns.fail("_dmarc.com", DnsStatus::TempFail);
    DmarcDns d(dns.as_lookup());
    OrgDomain o = tree_walk_org_domain(d, "a.example.com");
    CHECK(o.error);
    CHECK_FALSE(o.permanent);
    CHECK(o.domain.empty());
  }
}

TEST_CASE("Appendix B.4 Organizational Domains") {
  SECTION("B.4.1 and B.4.2") {
    FakeResolver dns;
    dmarc(dns, "example.com", "v=DMARC1; p=reject");
    dmarc(dns, "signing.example.com", "v=DMARC1; p=none");
    DmarcDns d(dns.as_lookup());
    CHECK(tree_walk_org_domain(d, "example.com").domain == "example.com");
    CHECK(tree_walk_org_domain(d, "signing.example.com").domain == "example.com");
    size_t before = dns.queries.size();
    CHECK(tree_walk_org_domain(d, "a.b.c.d.e.f.g.h.i.j.k.example.com").domain == "example.com");
    // B.4.2 lists eight queries; two of them were answered from the cache
    CHECK(dns.queries.size() - before == 6);
    CHECK(d.queries() == 2 + 1 + 6);
  }
  SECTION("B.4.3 with a PSD record") {
    FakeResolver dns;
    dmarc(dns, "bank.example", "v=DMARC1; p=reject; psd=y");
    dmarc(dns, "giant.bank.example", "v=DMARC1; p=quarantine");
    DmarcDns d(dns.as_lookup());
    CHECK(tree_walk_org_domain(d, "giant.bank.example").domain == "giant.bank.example");
    CHECK(tree_walk_org_domain(d, "mail.giant.bank.example").domain == "giant.bank.example");
    CHECK(tree_walk_org_domain(d, "mail.mega.bank.example").domain == "mega.bank.example");
    // the walk stops at the PSD: _dmarc.example is never asked
    for (const auto& q : dns.queries) CHECK(q.first != "_dmarc.example");
  }
}

TEST_CASE("at most 8 DNS queries for a deep author domain (§4.10)") {
  FakeResolver dns;
  std::string deep;
  for (int i = 0; i < 60; ++i) deep += "l" + std::to_string(i) + ".";
  deep += "example.com";
  DmarcDns d(dns.as_lookup());
  PolicyDiscovery p = discover_policy_tree_walk(d, deep);
  CHECK(p.status == PolicyDiscovery::Status::NotFound);
  CHECK(dns.queries.size() == 8);
  CHECK(d.queries() == 8);
}

TEST_CASE("records at one name: non-DMARC TXT ignored, several DMARC records discarded") {
  FakeResolver dns;
  dns.add("_dmarc.one.example", RrType::TXT, "v=spf1 -all");
  dns.add("_dmarc.one.example", RrType::TXT, "v=DMARC1; p=reject");
  dns.add("_dmarc.one.example", RrType::TXT, "hello");
  dns.add("_dmarc.two.example", RrType::TXT, "v=DMARC1; p=reject");
  dns.add("_dmarc.two.example", RrType::TXT, "v=DMARC1; p=none");
  dns.add("_dmarc.three.example", RrType::TXT, "v=DMARC2; p=reject");
  DmarcDns d(dns.as_lookup());
  CHECK(d.record_at("one.example").status == DmarcLookup::Status::Found);
  CHECK(d.record_at("one.example").record.p == RequestedPolicy::Reject);
  CHECK(d.record_at("two.example").status == DmarcLookup::Status::Multiple);
  CHECK(d.record_at("three.example").status == DmarcLookup::Status::None);
  CHECK(d.record_at("four.example").status == DmarcLookup::Status::None);
  CHECK(d.queries() == 4);
  d.record_at("one.example");
  CHECK(d.queries() == 4);  // memoized
  CHECK(d.log().size() == 4);
}

TEST_CASE("policy discovery by Tree Walk (RFC 9989 §4.10.1)") {
  FakeResolver dns;
  dmarc(dns, "example.com", "v=DMARC1; p=reject; sp=quarantine");
  dmarc(dns, "own.example.com", "v=DMARC1; p=none");
  dmarc(dns, "multi.example.com", "v=DMARC1; p=none");
  dmarc(dns, "multi.example.com", "v=DMARC1; p=quarantine");
  dmarc(dns, "bank.example", "v=DMARC1; p=reject; np=reject; psd=y");
  dmarc(dns, "giant.bank.example", "v=DMARC1; p=quarantine");
  struct Case {
    const char* author;
    PolicyDiscovery::Status status;
    const char* policy_domain;
    bool subdomain;
    bool psd;
  };
  using S = PolicyDiscovery::Status;
  const Case cases[] = {
      {"example.com", S::Found, "example.com", false, false},
      {"own.example.com", S::Found, "own.example.com", false, false},
      {"a.own.example.com", S::Found, "example.com", true, false},  // org domain's record
      {"x.y.z.example.com", S::Found, "example.com", true, false},
      {"multi.example.com", S::Found, "example.com", true, false},  // both discarded
      {"giant.bank.example", S::Found, "giant.bank.example", false, false},
      {"mail.giant.bank.example", S::Found, "giant.bank.example", true, false},
      // org domain mega.bank.example has no record: the PSD's applies
      {"mail.mega.bank.example", S::Found, "bank.example", true, true},
      {"mega.bank.example", S::Found, "bank.example", true, true},
      {"bank.example", S::Found, "bank.example", false, false},
      {"example.net", S::NotFound, "", false, false},
      {"a.b.example.net", S::NotFound, "", false, false},
  };
  for (const auto& c : cases) {
    INFO(c.author);
    DmarcDns d(dns.as_lookup());
    PolicyDiscovery p = discover_policy_tree_walk(d, c.author);
    CHECK(p.status == c.status);
    CHECK(p.policy_domain == c.policy_domain);
    CHECK(p.subdomain_policy == c.subdomain);
    CHECK(p.psd_record == c.psd);
    CHECK_FALSE(p.detail.empty());
    CHECK(d.queries() <= 8);
  }
}

TEST_CASE("policy discovery DNS errors") {
  FakeResolver dns;
  dmarc(dns, "example.com", "v=DMARC1; p=reject");
  dns.fail("_dmarc.down.example.com", DnsStatus::TempFail);
  dns.fail("_dmarc.broken.example.org", DnsStatus::PermFail);
  dns.fail("_dmarc.org", DnsStatus::TempFail);
  using S = PolicyDiscovery::Status;
  DmarcDns d(dns.as_lookup());
  CHECK(discover_policy_tree_walk(d, "down.example.com").status == S::TempError);
  CHECK(discover_policy_tree_walk(d, "broken.example.org").status == S::PermError);
  // no record at the author domain and the walk cannot finish
  CHECK(discover_policy_tree_walk(d, "a.example.org").status == S::TempError);
  // found at the author domain: the walk above it is not needed for discovery
  CHECK(discover_policy_tree_walk(d, "example.com").status == S::Found);
}

TEST_CASE("RFC 7489 discovery with a public suffix list (§6.6.3)") {
  auto populate = [](FakeResolver& dns) {
    dmarc(dns, "example.co.uk", "v=DMARC1; p=reject");
    dmarc(dns, "two.example.co.uk", "v=DMARC1; p=none");
    dmarc(dns, "two.example.co.uk", "v=DMARC1; p=quarantine");
    dmarc(dns, "co.uk", "v=DMARC1; p=none; psd=y");
    dmarc(dns, "deep.a.example.co.uk", "v=DMARC1; p=none");
  };
  PslOrgDomain psl = [](std::string_view d) -> std::string {
    std::string s(d);
    if (s == "co.uk" || s == "uk") return "";
    size_t cut = s.rfind(".co.uk");
    if (cut == std::string::npos) return s;
    size_t dot = s.rfind('.', cut - 1);
    return dot == std::string::npos ? s : s.substr(dot + 1);
  };
  using S = PolicyDiscovery::Status;
  struct Case {
    const char* author;
    S status;
    const char* policy_domain;
    int queries;
  };
  const Case cases[] = {
      {"example.co.uk", S::Found, "example.co.uk", 1},
      {"a.b.example.co.uk", S::Found, "example.co.uk", 2},  // no walk: straight to the org domain
      {"deep.a.example.co.uk", S::Found, "deep.a.example.co.uk", 1},
      {"two.example.co.uk", S::NotFound, "", 1},  // several records at the author domain: stop
      {"other.co.uk", S::NotFound, "", 1},        // its own org domain; no PSD records in 7489
      {"co.uk", S::Found, "co.uk", 1},
  };
  for (const auto& c : cases) {
    INFO(c.author);
    FakeResolver fresh;
    populate(fresh);
    DmarcDns d(fresh.as_lookup());
    PolicyDiscovery p = discover_policy_psl(d, c.author, psl);
    CHECK(p.status == c.status);
    CHECK(p.policy_domain == c.policy_domain);
    CHECK(d.queries() == c.queries);
  }
}

TEST_CASE("existence check (RFC 9989 §3.2.13, RFC 8020)") {
  FakeResolver dns;
  dns.add("www.example.com", RrType::A, "192.0.2.1");
  dns.add("deep.ent.example.com", RrType::A, "192.0.2.2");
  dns.fail("down.example.com", DnsStatus::TempFail);
  DmarcDns d(dns.as_lookup());
  CHECK(d.existence("www.example.com") == DnsStatus::Ok);
  CHECK(d.existence("ent.example.com") == DnsStatus::NoData);  // empty non-terminal exists
  CHECK(d.existence("nope.example.com") == DnsStatus::NxDomain);
  CHECK(d.existence("down.example.com") == DnsStatus::TempFail);
  CHECK(d.existence("nope.example.com") == DnsStatus::NxDomain);
  CHECK(d.queries() == 4);
}
