// Tests for core/fcrdns.h: forward-confirmed reverse DNS of the client address,
// the evidence behind the policy's client_name condition (issue 10 item 1).
#include <catch2/catch.hpp>

#include "core/fcrdns.h"
#include "fakes/fake_resolver.h"

using namespace alignd;
using alignd::testing::FakeResolver;

TEST_CASE("reverse DNS names (RFC 1035 §3.5, RFC 3596 §2.5)") {
  CHECK(reverse_dns_name("192.0.2.5") == "5.2.0.192.in-addr.arpa");
  CHECK(reverse_dns_name("::ffff:192.0.2.5") == "5.2.0.192.in-addr.arpa");
  CHECK(reverse_dns_name("2001:db8::567:89ab") ==
        "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  CHECK_FALSE(reverse_dns_name("mail.example.org"));
}

TEST_CASE("a PTR name counts only when it resolves back to the client") {
  FakeResolver dns;
  // a list server with a consistent PTR / A pair
  dns.add("5.2.0.192.in-addr.arpa", RrType::PTR, "mx1.lists.example.org.");
  dns.add("mx1.lists.example.org", RrType::A, "192.0.2.5");
  // an attacker sets the PTR of its own address to the list's name: no A back
  dns.add("7.113.0.203.in-addr.arpa", RrType::PTR, "mx1.lists.example.org.");
  // two PTR names, the second one consistent
  dns.add("9.2.0.192.in-addr.arpa", RrType::PTR, "bogus.example.");
  dns.add("9.2.0.192.in-addr.arpa", RrType::PTR, "MX2.Lists.Example.org.");
  dns.add("mx2.lists.example.org", RrType::A, "192.0.2.9");
  dns.add("bogus.example", RrType::A, "198.51.100.1");
  // IPv6
  dns.add("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", RrType::PTR,
          "mx6.lists.example.org.");
  dns.add("mx6.lists.example.org", RrType::AAAA, "2001:db8:0:0::1");
  // a forward lookup that fails
  dns.add("11.2.0.192.in-addr.arpa", RrType::PTR, "slow.example.");
  dns.fail("slow.example", DnsStatus::TempFail);
  dns.fail("12.2.0.192.in-addr.arpa", DnsStatus::TempFail);

  struct Case {
    const char* ip;
    const char* status;
    std::vector<std::string> names;
  };
  const Case cases[] = {
      {"192.0.2.5", "verified", {"mx1.lists.example.org"}},
      {"::ffff:192.0.2.5", "verified", {"mx1.lists.example.org"}},
      {"203.0.113.7", "none", {}},
      {"192.0.2.9", "verified", {"mx2.lists.example.org"}},
      {"2001:db8::1", "verified", {"mx6.lists.example.org"}},
      {"192.0.2.10", "none", {}},  // no PTR at all
      {"192.0.2.11", "temperror", {}},
      {"192.0.2.12", "temperror", {}},
      {"not-an-ip", "invalid-ip", {}},
  };
  for (const auto& c : cases) {
    INFO(c.ip);
    ClientNames n = forward_confirmed_names(c.ip, dns.as_lookup());
    INFO(n.detail);
    CHECK(n.status == c.status);
    CHECK(n.verified == c.names);
    CHECK_FALSE(n.detail.empty());
  }
}

TEST_CASE("at most max_names PTR names are followed") {
  FakeResolver dns;
  for (int i = 0; i < 20; ++i)
    dns.add("5.2.0.192.in-addr.arpa", RrType::PTR, "n" + std::to_string(i) + ".example.");
  ClientNames n = forward_confirmed_names("192.0.2.5", dns.as_lookup(), 10);
  CHECK(n.status == "none");
  CHECK(dns.queries.size() == 11);  // the PTR and ten A lookups
}
