// Tests for core/cidr.h.
#include <catch2/catch.hpp>

#include "core/cidr.h"

using namespace alignd;

TEST_CASE("cidr parse and contains") {
  struct Case { const char* net; const char* ip; bool want; };
  const Case cases[] = {
      {"127.0.0.0/8", "127.0.0.1", true},
      {"127.0.0.0/8", "128.0.0.1", false},
      {"192.0.2.0/24", "192.0.2.255", true},
      {"192.0.2.0/24", "192.0.3.0", false},
      {"192.0.2.1", "192.0.2.1", true},
      {"192.0.2.1", "192.0.2.2", false},
      {"0.0.0.0/0", "203.0.113.9", true},
      {"0.0.0.0/0", "2001:db8::1", false},
      {"::1/128", "::1", true},
      {"2001:db8::/32", "2001:db8:ffff::1", true},
      {"2001:db8::/32", "2001:db9::1", false},
      {"192.0.2.0/24", "::ffff:192.0.2.7", true},
      {"192.0.2.0/24", "[192.0.2.7]", true},
      {"2001:db8::/32", "[IPv6:2001:db8::5]", true},
      {"10.1.2.3/8", "10.200.0.1", true},  // host bits cleared
      {"192.0.2.0/24", "not-an-ip", false},
  };
  for (const auto& c : cases) {
    INFO(c.net << " contains " << c.ip);
    auto n = parse_cidr(c.net);
    REQUIRE(n);
    CHECK(cidr_contains(*n, c.ip) == c.want);
  }
}

TEST_CASE("bad cidrs are rejected") {
  for (const char* bad : {"", "/8", "1.2.3.4/33", "::/129", "1.2.3.4/", "1.2.3.4/-1", "1.2.3/24",
                          "example.com", "1.2.3.4/8x", "1.2.3.4/0008"}) {
    INFO(bad);
    CHECK_FALSE(parse_cidr(bad));
  }
}
