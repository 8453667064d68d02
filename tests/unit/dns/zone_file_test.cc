// Tests for dns/zone_file.h: valid master-file lines and hostile ones (file:line errors).
#include <catch2/catch.hpp>

#include "dns/zone_file.h"

using namespace alignd;

TEST_CASE("zone parser reads the record types and forms we support") {
  struct Case {
    const char* line;
    const char* name;
    RrType type;
    uint32_t ttl;
    std::string data;
  };
  const Case cases[] = {
      {"Example.COM. 300 IN TXT \"v=spf1 -all\"", "example.com.", RrType::TXT, 300, "v=spf1 -all"},
      {"example.com. IN 60 TXT \"a\" \"b\"  \"c\"", "example.com.", RrType::TXT, 60, "abc"},
      {"example.com. 60 TXT unquoted", "example.com.", RrType::TXT, 60, "unquoted"},
      {"example.com. 60 TXT \"q\\\"x\\\\y\"", "example.com.", RrType::TXT, 60, "q\"x\\y"},
      {"example.com. 60 TXT \"\\065\\066\\000z\"", "example.com.", RrType::TXT, 60,
       std::string("AB\0z", 4)},
      {"example.com. 60 TXT \"a;b\" ; comment", "example.com.", RrType::TXT, 60, "a;b"},
      {"example.com. 60 TXT \"\"", "example.com.", RrType::TXT, 60, ""},
      {"mail.example.com. 300 IN A 192.0.2.10", "mail.example.com.", RrType::A, 300, "192.0.2.10"},
      {"mail.example.com. 300 IN AAAA 2001:DB8:0:0:0:0:0:1", "mail.example.com.", RrType::AAAA, 300,
       "2001:db8::1"},
      {"mail.example.com. 300 AAAA 2001:db8:0:1:1:1:1:1", "mail.example.com.", RrType::AAAA, 300,
       "2001:db8:0:1:1:1:1:1"},
      {"example.com. 300 IN MX 010 MX1.Example.com.", "example.com.", RrType::MX, 300,
       "10 mx1.example.com."},
      {"null.example. 300 IN MX 0 .", "null.example.", RrType::MX, 300, "0 ."},
      {"10.2.0.192.in-addr.arpa. 300 IN PTR mail.example.com.", "10.2.0.192.in-addr.arpa.",
       RrType::PTR, 300, "mail.example.com."},
      {"www.example.com. 300 IN CNAME example.com.", "www.example.com.", RrType::CNAME, 300,
       "example.com."},
      {"example.com. 1h IN NS ns1.example.com.", "example.com.", RrType::NS, 3600,
       "ns1.example.com."},
      {"_dmarc.example.com. 1d30m txt \"v=DMARC1; p=none\"", "_dmarc.example.com.", RrType::TXT,
       88200, "v=DMARC1; p=none"},
      {"example.com. TXT \"no ttl\"", "example.com.", RrType::TXT, 3600, "no ttl"},
  };
  for (const auto& c : cases) {
    INFO(c.line);
    auto recs = parse_zone(c.line, "t.zone");
    REQUIRE(recs.size() == 1);
    CHECK(recs[0].name == c.name);
    CHECK(recs[0].type == c.type);
    CHECK(recs[0].ttl == c.ttl);
    CHECK(recs[0].data == c.data);
  }
}

TEST_CASE("zone parser: $TTL, owner continuation, parentheses, CRLF, comments") {
  auto recs = parse_zone(
      "; a comment line\r\n"
      "$TTL 120\r\n"
      "\r\n"
      "s1._domainkey.example.com. IN TXT ( \"v=DKIM1; k=rsa; \" ; first part\n"
      "    \"p=AAAA\"\n"
      "    \"BBBB\" )\n"
      "    IN A 192.0.2.1\n"
      "other.example. 5 A 192.0.2.2\n"
      "\tTXT \"same owner, ttl from $TTL\"\n",
      "t.zone");
  REQUIRE(recs.size() == 4);
  CHECK(recs[0].name == "s1._domainkey.example.com.");
  CHECK(recs[0].data == "v=DKIM1; k=rsa; p=AAAABBBB");
  CHECK(recs[0].ttl == 120);
  CHECK(recs[1].name == "s1._domainkey.example.com.");
  CHECK(recs[1].type == RrType::A);
  CHECK(recs[2].ttl == 5);
  CHECK(recs[3].name == "other.example.");
  CHECK(recs[3].ttl == 120);
}

TEST_CASE("zone parser: a 255-octet string is fine, a long record needs several strings") {
  std::string s255(255, 'k');
  auto recs = parse_zone("k.example. TXT \"" + s255 + "\" \"" + s255 + "\" \"tail\"", "t.zone");
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].data == s255 + s255 + "tail");
}

TEST_CASE("zone parser rejects hostile lines with file:line") {
  struct Case {
    std::string text;
    int line;
    const char* fragment;
  };
  const Case cases[] = {
      {"a.example. TXT \"unterminated", 1, "unterminated quoted string"},
      {"ok.example. A 192.0.2.1\na.example. TXT \"multi\nline\"", 2, "unterminated quoted"},
      {"a.example. 300 IN SOA x. y. 1 2 3 4 5", 1, "unsupported record type 'SOA'"},
      {"a.example. 300 IN BOGUS x", 1, "unsupported record type"},
      {"a.example. 300 IN", 1, "missing record type"},
      {"a.example. 300 IN TXT", 1, "missing data"},
      {"relative 300 IN A 192.0.2.1", 1, "relative name 'relative'"},
      {"a.example. CNAME relative", 1, "relative name"},
      {"@ 300 IN A 192.0.2.1", 1, "'@' needs $ORIGIN"},
      {"$ORIGIN example.", 1, "not supported"},
      {"$INCLUDE /etc/passwd", 1, "not supported"},
      {"$FOO 1", 1, "unknown directive"},
      {"$TTL", 1, "$TTL takes exactly one value"},
      {"$TTL abc", 1, "bad TTL"},
      {"a.example. 99999999999 A 192.0.2.1", 1, "too large"},
      {"a.example. 3000000000 A 192.0.2.1", 1, "too large"},
      {"*.example. A 192.0.2.1", 1, "wildcard"},
      {"a..example. A 192.0.2.1", 1, "empty label"},
      {"a b.example. A 192.0.2.1", 1, "relative name 'a'"},
      {"a\\.b.example. A 192.0.2.1", 1, "bad name"},
      {"ex&mple.com. A 192.0.2.1", 1, "bad character"},
      {std::string(64, 'x') + ".example. A 192.0.2.1", 1, "longer than 63"},
      {". A 192.0.2.1", 1, "root name"},
      {"a.example. A 192.0.2.256", 1, "bad IPv4"},
      {"a.example. A 192.0.2", 1, "bad IPv4"},
      {"a.example. A 192.0.2.1 192.0.2.2", 1, "takes one value"},
      {"a.example. A \"192.0.2.1\"", 1, "must not be quoted"},
      {"a.example. AAAA 2001:db8::g", 1, "bad IPv6"},
      {"a.example. AAAA 192.0.2.1", 1, "bad IPv6"},
      {"a.example. MX 10", 1, "MX takes"},
      {"a.example. MX 65536 mx.example.", 1, "bad MX preference"},
      {"a.example. MX -1 mx.example.", 1, "bad MX preference"},
      {"a.example. MX 10 mx.example", 1, "relative name"},
      {"a.example. CH TXT \"x\"", 1, "unsupported class"},
      {"a.example. TXT \"" + std::string(256, 'x') + "\"", 1, "exceeds 255"},
      {"a.example. TXT \"\\999\"", 1, "exceeds 255"},
      {"a.example. TXT \"\\12\"", 1, "three digits"},
      {"a.example. TXT abc\\", 1, "backslash at end of line"},
      {"a.example. TXT ( \"x\"\n\n", 1, "unterminated '('"},
      {"a.example. TXT \"x\" )", 1, "unbalanced ')'"},
      {std::string("a.example. TXT \"x\001\""), 1, "control character"},
      {std::string("a.example. TXT x\0y", 17), 1, "control character"},
      {"   TXT \"no owner yet\"", 1, "no previous owner"},
      {"a.example. CNAME b.example.\na.example. A 192.0.2.1", 2, "has a CNAME"},
      {"a.example. A 192.0.2.1\na.example. CNAME b.example.", 2, "has other data"},
      {"a.example. CNAME b.example.\na.example. CNAME c.example.", 2, "second CNAME"},
      {"\x01\x02\xff garbage", 1, "control character"},
      {"\xff\xfe garbage", 1, "relative name"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    try {
      parse_zone(c.text, "bad.zone");
      FAIL("no error");
    } catch (const ZoneError& e) {
      std::string want_prefix = "bad.zone:" + std::to_string(c.line) + ": ";
      CHECK(std::string(e.what()).rfind(want_prefix, 0) == 0);
      CHECK_THAT(e.what(), Catch::Contains(c.fragment));
      CHECK(e.line == c.line);
    }
  }
}

TEST_CASE("load_zone_file names the file, and a missing file is a ZoneError") {
  CHECK_THROWS_AS(load_zone_file("/nonexistent/zone"), ZoneError);
  CHECK_THROWS_WITH(load_zone_file("/nonexistent/zone"),
                    Catch::StartsWith("/nonexistent/zone:0: "));
}

TEST_CASE("the example in contrib/dns loads") {
  auto recs = load_zone_file(ALIGND_SOURCE_DIR "/contrib/dns/example.zone");
  CHECK(recs.size() == 12);
  CHECK(recs.at(3).data == "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
  CHECK(recs.at(5).name == "mail.example.com.");  // blank owner continues the previous one
  CHECK(recs.at(5).type == RrType::AAAA);
}
