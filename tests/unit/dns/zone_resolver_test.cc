// Tests for dns/zone_resolver.h: NXDOMAIN / NODATA / empty non-terminal / CNAME semantics.
#include <catch2/catch.hpp>

#include "dns/zone_resolver.h"

using namespace alignd;

namespace {
ZoneResolver make() {
  return ZoneResolver(parse_zone(R"(
example.com.                 300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
example.com.                 300 IN MX  10 mx.example.com.
example.com.                 300 IN MX  20 mx2.example.com.
_dmarc.example.com.          300 IN TXT "v=DMARC1; " "p=reject"
mail.example.com.            300 IN A   192.0.2.10
mail.example.com.            300 IN AAAA 2001:db8::10
s1._domainkey.example.com.   300 IN TXT "v=DKIM1; p=AAAA"
www.example.com.             300 IN CNAME mail.example.com.
alias.example.com.           300 IN CNAME www.example.com.
dangling.example.com.        300 IN CNAME nothere.example.com.
outside.example.com.         300 IN CNAME elsewhere.example.org.
loop1.example.com.           300 IN CNAME loop2.example.com.
loop2.example.com.           300 IN CNAME loop1.example.com.
10.2.0.192.in-addr.arpa.     300 IN PTR mail.example.com.
)",
                                 "t.zone"));
}
}  // namespace

TEST_CASE("zone resolver answers, NODATA and NXDOMAIN") {
  ZoneResolver z = make();
  struct Case {
    const char* name;
    RrType type;
    DnsStatus status;
    std::vector<std::string> records;
  };
  const Case cases[] = {
      {"example.com", RrType::TXT, DnsStatus::Ok, {"v=spf1 ip4:192.0.2.0/24 -all"}},
      {"EXAMPLE.com.", RrType::TXT, DnsStatus::Ok, {"v=spf1 ip4:192.0.2.0/24 -all"}},
      {"example.com.", RrType::MX, DnsStatus::Ok, {"10 mx.example.com.", "20 mx2.example.com."}},
      {"_dmarc.example.com", RrType::TXT, DnsStatus::Ok, {"v=DMARC1; p=reject"}},
      {"mail.example.com", RrType::AAAA, DnsStatus::Ok, {"2001:db8::10"}},
      {"10.2.0.192.in-addr.arpa", RrType::PTR, DnsStatus::Ok, {"mail.example.com."}},
      // the name exists, not that type
      {"example.com", RrType::A, DnsStatus::NoData, {}},
      {"mail.example.com", RrType::TXT, DnsStatus::NoData, {}},
      // empty non-terminals: names below exist
      {"_domainkey.example.com", RrType::TXT, DnsStatus::NoData, {}},
      {"com", RrType::TXT, DnsStatus::NoData, {}},
      {"in-addr.arpa", RrType::PTR, DnsStatus::NoData, {}},
      // nothing there
      {"nope.example.com", RrType::TXT, DnsStatus::NxDomain, {}},
      {"_dmarc.com", RrType::TXT, DnsStatus::NxDomain, {}},
      {"x.s1._domainkey.example.com", RrType::TXT, DnsStatus::NxDomain, {}},
      {"example.org", RrType::A, DnsStatus::NxDomain, {}},
      // CNAMEs followed inside the data
      {"www.example.com", RrType::A, DnsStatus::Ok, {"192.0.2.10"}},
      {"alias.example.com", RrType::AAAA, DnsStatus::Ok, {"2001:db8::10"}},
      {"alias.example.com", RrType::TXT, DnsStatus::NoData, {}},
      {"www.example.com", RrType::CNAME, DnsStatus::Ok, {"mail.example.com."}},
      {"dangling.example.com", RrType::A, DnsStatus::NxDomain, {}},
      {"outside.example.com", RrType::A, DnsStatus::NxDomain, {}},
      {"loop1.example.com", RrType::A, DnsStatus::TempFail, {}},
  };
  for (const auto& c : cases) {
    INFO(c.name << " " << to_string(c.type));
    DnsAnswer a = z.query(c.name, c.type);
    CHECK(a.status == c.status);
    CHECK(a.records == c.records);
    CHECK_FALSE(a.secure);
  }
}

TEST_CASE("zone resolver reports where a CNAME chain leaves the data") {
  ZoneResolver z = make();
  CHECK(z.lookup("outside.example.com", RrType::A).exit_target == "elsewhere.example.org.");
  CHECK(z.lookup("www.example.com", RrType::A).exit_target.empty());
  CHECK(z.lookup("dangling.example.com", RrType::A).exit_target.empty());  // still covered
}

TEST_CASE("covers: at or under an owner name") {
  ZoneResolver z = make();
  struct Case {
    const char* name;
    bool covered;
  };
  const Case cases[] = {
      {"example.com", true},
      {"EXAMPLE.COM.", true},
      {"_dmarc.example.com", true},
      {"deep.x.example.com.", true},
      {"com", false},
      {"ample.com", false},
      {"example.org", false},
      {"", false},
      {".", false},
      {"0.2.0.192.in-addr.arpa", false},
      {"1.10.2.0.192.in-addr.arpa", true},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(z.covers(c.name) == c.covered);
  }
}

TEST_CASE("an empty zone answers NXDOMAIN for everything and covers nothing") {
  ZoneResolver z({});
  CHECK(z.query("example.com", RrType::TXT).status == DnsStatus::NxDomain);
  CHECK_FALSE(z.covers("example.com"));
}
