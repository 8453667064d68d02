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

namespace {
ZoneResolver make_rfc4592() {
  // RFC 4592 §2.2.1's example zone, plus the forms of issue 11.
  return ZoneResolver(parse_zone(R"($ORIGIN example.
$TTL 3600
@                 SOA   ns.example.com. ns.example.net. 2003 3600 600 604800 300
                  NS    ns.example.com.
                  NS    ns.example.net.
*                 TXT   "this is a wildcard"
*                 MX    10 host1.example.
sub.*             TXT   "this is not a wildcard"
host1             A     192.0.2.1
_ssh._tcp.host1   SRV   0 0 22 host1.example.
_ssh._tcp.host2   SRV   0 0 22 host2.example.
subdel            NS    ns.example.com.
                  NS    ns.example.net.
spf99             SPF   "v=spf1 -all"
typed             TYPE65534 \# 2 abcd
a\032b            TXT   "space"
foo:bar/baz       A     192.0.2.7
ptr               PTR   Foo:Bar/Baz.example.
*.cn              CNAME host1
)",
                                 "rfc4592.zone"));
}
}  // namespace

TEST_CASE("wildcards as RFC 4592 §2.2.1 answers them; other types only make names exist") {
  ZoneResolver z = make_rfc4592();
  struct Case {
    const char* name;
    RrType type;
    DnsStatus status;
    std::vector<std::string> records;
  };
  const Case cases[] = {
      // §2.2.1: synthesized from the wildcard, owner = the query name
      {"host3.example.", RrType::MX, DnsStatus::Ok, {"10 host1.example."}},
      {"host3.example.", RrType::A, DnsStatus::NoData, {}},
      {"foo.bar.example.", RrType::TXT, DnsStatus::Ok, {"this is a wildcard"}},
      // not for names that exist: host1 (owner), sub.* / _tcp.host1 / _tcp.host2 (ENTs)
      {"host1.example.", RrType::MX, DnsStatus::NoData, {}},
      {"_ssh._tcp.host1.example.", RrType::MX, DnsStatus::NoData, {}},
      {"_tcp.host2.example.", RrType::TXT, DnsStatus::NoData, {}},
      // not across existing names: the closest encloser is host1 / _tcp.host1 / subdel
      {"_telnet._tcp.host1.example.", RrType::TXT, DnsStatus::NxDomain, {}},
      {"host.subdel.example.", RrType::TXT, DnsStatus::NxDomain, {}},
      {"ghost.*.example.", RrType::MX, DnsStatus::NxDomain, {}},
      // the wildcard name itself is an ordinary name
      {"*.example.", RrType::TXT, DnsStatus::Ok, {"this is a wildcard"}},
      {"sub.*.example.", RrType::TXT, DnsStatus::Ok, {"this is not a wildcard"}},
      // a wildcard CNAME is followed
      {"x.cn.example.", RrType::A, DnsStatus::Ok, {"192.0.2.1"}},
      {"x.cn.example.", RrType::CNAME, DnsStatus::Ok, {"host1.example."}},
      // types alignd never asks for: the name exists (NODATA), no answer
      {"spf99.example.", RrType::TXT, DnsStatus::NoData, {}},
      {"typed.example.", RrType::A, DnsStatus::NoData, {}},
      {"example.", RrType::TXT, DnsStatus::NoData, {}},
      {"example.", RrType::NS, DnsStatus::Ok, {"ns.example.com.", "ns.example.net."}},
      // \DDD and odd octets: query text read as presentation text
      {"a\\032b.example.", RrType::TXT, DnsStatus::Ok, {"space"}},
      {"a b.example", RrType::TXT, DnsStatus::Ok, {"space"}},
      {"A\\032B.EXAMPLE", RrType::TXT, DnsStatus::Ok, {"space"}},
      {"foo:bar/baz.example", RrType::A, DnsStatus::Ok, {"192.0.2.7"}},
      {"foo\\058bar\\047baz.example.", RrType::A, DnsStatus::Ok, {"192.0.2.7"}},
      // names in answers round-trip as queries
      {"ptr.example.", RrType::PTR, DnsStatus::Ok, {"foo\\058bar\\047baz.example."}},
  };
  for (const auto& c : cases) {
    INFO(c.name << " " << to_string(c.type));
    DnsAnswer a = z.query(c.name, c.type);
    CHECK(a.status == c.status);
    CHECK(a.records == c.records);
  }
}

TEST_CASE("covers: a wildcard covers the names under its parent") {
  ZoneResolver z = make_rfc4592();
  CHECK(z.covers("anything.example."));
  CHECK(z.covers("x.cn.example."));
  auto only_wild = ZoneResolver(parse_zone("*.w.example. TXT x\n", "t.zone"));
  CHECK(only_wild.covers("a.w.example."));
  CHECK(only_wild.covers("b.a.w.example."));
  CHECK_FALSE(only_wild.covers("w.example."));
  CHECK(only_wild.query("b.a.w.example.", RrType::TXT).status == DnsStatus::Ok);
  CHECK(only_wild.query("w.example.", RrType::TXT).status == DnsStatus::NoData);
}
