// Tests for dns/zone_file.h (ldns underneath): valid master-file lines, the RFC 1035 §5
// forms the hand-written parser refused, and hostile ones (file:line errors).
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
      {"example.com. 60 IN TXT \"a\" \"b\"  \"c\"", "example.com.", RrType::TXT, 60, "abc"},
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
      {"ok.example. A 192.0.2.1\na.example. TXT \"multi\nline\"", 3, "could not parse"},
      {"a.example. 300 IN BOGUS x", 1, "could not parse the RR's rdata: 'a.example. 300 IN BOGUS"},
      {"a.example. 300 IN", 1, "could not parse the RR's type"},
      {"a.example. 300 IN TXT", 1, "value expected"},
      {"relative 300 IN A 192.0.2.1", 1, "relative owner name"},
      {"a.example. CNAME relative", 1, "relative name in the data"},
      {"a.example. MX 10 mx.example", 1, "relative name in the data"},
      {"@ 300 IN A 192.0.2.1", 1, "'@'"},
      {"   TXT \"no owner yet\"", 1, "blank owner"},
      {"$INCLUDE /etc/passwd", 1, "$INCLUDE is not supported"},
      {"ok.example. A 192.0.2.1\n\n; c\n$FOO 1", 4, "could not parse"},
      {"$TTL", 1, "could not parse the RR's TTL"},
      {"a.example. 3000000000 A 192.0.2.1", 1, "too large"},
      {"a..example. A 192.0.2.1", 1, "could not parse the RR"},
      {"a b.example. A 192.0.2.1", 1, "could not parse"},
      {std::string(64, 'x') + ".example. A 192.0.2.1", 1, "could not parse the RR"},
      {". A 192.0.2.1", 1, "root"},
      {"a.example. A 192.0.2.256", 1, "rdata"},
      {"a.example. A 192.0.2", 1, "rdata"},
      {"a.example. A 192.0.2.1 192.0.2.2", 1, "superfluous text"},
      {"a.example. A \"192.0.2.1\"", 1, "rdata"},
      {"a.example. AAAA 2001:db8::g", 1, "rdata"},
      {"a.example. AAAA 192.0.2.1", 1, "rdata"},
      {"a.example. MX 10", 1, "value expected"},
      {"a.example. CH TXT \"x\"", 1, "unsupported class"},
      {"a.example. TXT \"" + std::string(256, 'x') + "\"", 1, "rdata"},
      {"a.example. TXT \"\\999\"", 1, "rdata"},
      {"a.example. TXT \"\\12\"", 1, "rdata"},
      {"a.example. TXT abc\\", 1, "rdata"},
      {"a.example. TYPE99 \\# 3 0268", 1, "rdata"},
      {std::string("a.example. TXT \"x\001\""), 1, "control character"},
      {std::string("a.example. TXT x\0y", 17), 1, "control character"},
      {"ok.example. A 192.0.2.1\r\nbad.example. TXT \"a\rb\"", 2, "control character"},
      {"a.example. CNAME b.example.\na.example. A 192.0.2.1", 2, "has a CNAME"},
      {"a.example. A 192.0.2.1\na.example. CNAME b.example.", 2, "has other data"},
      {"a.example. CNAME b.example.\na.example. CNAME c.example.", 2, "second CNAME"},
      {"\x01\x02\xff garbage", 1, "control character"},
      {"\xff\xfe garbage", 1, "relative owner name"},
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

TEST_CASE("RFC 1035 §5 master files the hand-written parser refused") {
  struct Case {
    std::string text;
    const char* name;
    RrType type;
    uint32_t ttl;
    std::string data;
  };
  const Case cases[] = {
      // §5.1 \DDD: an octet in a label, here a space; written back as \DDD (dns_name.h)
      {"a\\032b.example.com. 60 TXT x", "a\\032b.example.com.", RrType::TXT, 60, "x"},
      {"macro%percent\\032\\032space%20url-space.example.com. 60 A 192.0.2.1",
       "macro\\037percent\\032\\032space\\03720url-space.example.com.", RrType::A, 60, "192.0.2.1"},
      {"a\\.b.example. A 192.0.2.1", "a\\046b.example.", RrType::A, 3600, "192.0.2.1"},
      // ':' and '/' are ordinary octets in a name (the RFC 7208 suite's owner)
      {"foo:bar/baz.example.com. A 1.2.3.4", "foo\\058bar\\047baz.example.com.", RrType::A, 3600,
       "1.2.3.4"},
      // '@', $ORIGIN, relative names in owner and data
      {"$ORIGIN example.com.\n@ 300 MX 10 mail", "example.com.", RrType::MX, 300,
       "10 mail.example.com."},
      {"$ORIGIN example.com.\nwww 300 CNAME mail", "www.example.com.", RrType::CNAME, 300,
       "mail.example.com."},
      // $TTL
      {"$TTL 1h\nexample.com. TXT z", "example.com.", RrType::TXT, 3600, "z"},
      {"$TTL 42\nexample.com. TXT z", "example.com.", RrType::TXT, 42, "z"},
      // types alignd never asks for are kept (RFC 7208 §3.1: type 99 is obsolete, not an error)
      {"example.com. SPF \"v=spf1 -all\"", "example.com.", static_cast<RrType>(99), 3600,
       "\"v=spf1 -all\""},
      {"example.com. 60 SOA ns. host. 1 2 3 4 5", "example.com.", static_cast<RrType>(6), 60,
       "ns. host. 1 2 3 4 5"},
      // RFC 3597 generic data, for unknown and known types
      {"example.com. TYPE99 \\# 3 026869", "example.com.", static_cast<RrType>(99), 3600, "\"hi\""},
      {"example.com. TYPE65534 \\# 2 abcd", "example.com.", static_cast<RrType>(65534), 3600,
       "\\# 2 abcd"},
      {"example.com. TXT \\# 4 03616263", "example.com.", RrType::TXT, 3600, "abc"},
      {"example.com. TYPE1 \\# 4 c0000201", "example.com.", RrType::A, 3600, "192.0.2.1"},
      // wildcards (RFC 4592): the '*' label is an octet like any other in the text form
      {"*.example.com. TXT w", "\\042.example.com.", RrType::TXT, 3600, "w"},
      // names in data in the same text form as libunbound answers (unbound_answer.h)
      {"p.example. PTR Foo:Bar.Example.", "p.example.", RrType::PTR, 3600, "foo\\058bar.example."},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto recs = parse_zone(c.text, "t.zone");
    REQUIRE(recs.size() == 1);
    CHECK(recs[0].name == c.name);
    CHECK(recs[0].type == c.type);
    CHECK(is_query_type(recs[0].type) == is_query_type(c.type));
    CHECK(recs[0].ttl == c.ttl);
    CHECK(recs[0].data == c.data);
  }
}

TEST_CASE("errors name the line of the entry, counting blank, comment and continued lines") {
  const std::string text =
      "; header\n"
      "\n"
      "a.example. TXT ( \"one\"\n"
      "   \"two\" )\n"
      "$ORIGIN example.\n"
      "b TXT ok\n"
      "c BOGUS x\n";
  try {
    parse_zone(text, "z.zone");
    FAIL("no error");
  } catch (const ZoneError& e) {
    CHECK(e.line == 7);
    CHECK_THAT(e.what(), Catch::StartsWith("z.zone:7: "));
    CHECK_THAT(e.what(), Catch::Contains("'c BOGUS x'"));
  }
}
