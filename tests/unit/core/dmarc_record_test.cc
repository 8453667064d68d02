// Tests for core/dmarc/record.h: RFC 9989 §4.7/§4.8 record syntax, every tag,
// the RFC 7489 tags kept for compatibility, hostile inputs, Appendix B records.
#include <catch2/catch.hpp>

#include "core/dmarc/record.h"

using namespace alignd;

namespace {

DmarcRecord ok(const std::string& txt) {
  DmarcParse p = parse_dmarc_record(txt);
  INFO(txt << " -> " << p.error);
  REQUIRE(p.ok());
  return p.record;
}

}  // namespace

TEST_CASE("v=DMARC1 must come first, value case-sensitive (RFC 9989 §4.7 v)") {
  struct Case {
    const char* txt;
    bool dmarc;
  };
  const Case cases[] = {
      {"v=DMARC1; p=none", true},
      {"v=DMARC1", true},
      {"v=DMARC1;", true},
      {"v = DMARC1 ; p = reject", true},
      {"V=DMARC1; p=none", true},  // ABNF "v" is case-insensitive
      {"  v=DMARC1;p=none", true},
      {"v=dmarc1; p=none", false},
      {"v=DMARC2; p=none", false},
      {"v=DMARC; p=none", false},
      {"v=DMARC1 p=none", false},
      {"p=none; v=DMARC1", false},
      {"; v=DMARC1; p=none", false},
      {"v=spf1 -all", false},
      {"", false},
      {"v", false},
      {"v=", false},
      {"DMARC1", false},
      {"vv=DMARC1", false},
  };
  for (const auto& c : cases) {
    INFO(c.txt);
    DmarcParse p = parse_dmarc_record(c.txt);
    CHECK(p.ok() == c.dmarc);
    if (!c.dmarc) CHECK_FALSE(p.error.empty());
  }
}

TEST_CASE("defaults of an empty DMARC record") {
  DmarcRecord r = ok("v=DMARC1");
  CHECK_FALSE(r.p);
  CHECK_FALSE(r.p_invalid);
  CHECK_FALSE(r.sp);
  CHECK_FALSE(r.np);
  CHECK(r.psd == PsdFlag::Unknown);
  CHECK_FALSE(r.testing);
  CHECK(r.adkim == Alignment::Relaxed);
  CHECK(r.aspf == Alignment::Relaxed);
  CHECK(r.rua.empty());
  CHECK(r.ruf.empty());
  CHECK(r.fo == "0");
  CHECK_FALSE(r.pct);
  CHECK_FALSE(r.ri);
  CHECK(r.rf.empty());
  CHECK_FALSE(r.policy_valid());
  CHECK(r.errors.empty());
}

TEST_CASE("every tag, valid values") {
  DmarcRecord r =
      ok("v=DMARC1; p=Reject; sp=quarantine; np=NONE; psd=n; t=y; adkim=s; aspf=S; "
         "rua=mailto:a@example.com!10m, https://r.example/agg; ruf=mailto:f@example.com; "
         "fo=1:d:s; pct=25; ri=3600; rf=afrf:iodef");
  CHECK(r.p == RequestedPolicy::Reject);
  CHECK(r.sp == RequestedPolicy::Quarantine);
  CHECK(r.np == RequestedPolicy::None);
  CHECK(r.psd == PsdFlag::No);
  CHECK(r.testing);
  CHECK(r.adkim == Alignment::Strict);
  CHECK(r.aspf == Alignment::Strict);
  REQUIRE(r.rua.size() == 2);
  CHECK(r.rua[0].uri == "mailto:a@example.com");
  CHECK(r.rua[0].scheme == "mailto");
  CHECK(r.rua[0].max_bytes == 10ull << 20);
  CHECK(r.rua[1].uri == "https://r.example/agg");
  CHECK(r.rua[1].max_bytes == 0);
  REQUIRE(r.ruf.size() == 1);
  CHECK(r.fo == "1:d:s");
  CHECK(r.pct == 25);
  CHECK(r.ri == 3600u);
  CHECK(r.rf == std::vector<std::string>{"afrf", "iodef"});
  CHECK(r.policy_valid());
  CHECK(r.errors.empty());
  CHECK(r.unknown_tags.empty());
}

TEST_CASE("tag value tables (RFC 9989 §4.8 Table 2)") {
  struct Case {
    const char* tag;
    const char* value;
    bool valid;
  };
  const Case cases[] = {
      {"p", "none", true},        {"p", "quarantine", true},   {"p", "reject", true},
      {"p", "rejected", false},   {"p", "0", false},           {"p", "none,reject", false},
      {"sp", "reject", true},     {"sp", "bogus", false},      {"np", "quarantine", true},
      {"np", "y", false},         {"psd", "y", true},          {"psd", "n", true},
      {"psd", "u", true},         {"psd", "yes", false},       {"t", "y", true},
      {"t", "n", true},           {"t", "1", false},           {"adkim", "r", true},
      {"adkim", "x", false},      {"aspf", "s", true},         {"aspf", "strict", false},
      {"fo", "0", true},          {"fo", "1", true},           {"fo", "d", true},
      {"fo", "s", true},          {"fo", "0:d", true},         {"fo", "d:s", true},
      {"fo", "d:0:s", true},      {"fo", "0:1", false},        {"fo", "d:d", false},
      {"fo", "x", false},         {"fo", "0::d", false},       {"pct", "0", true},
      {"pct", "100", true},       {"pct", "101", false},       {"pct", "-1", false},
      {"pct", "1000", false},     {"pct", "5.5", false},       {"ri", "86400", true},
      {"ri", "4294967295", true}, {"ri", "4294967296", false}, {"ri", "1h", false},
      {"rf", "afrf", true},       {"rf", "afrf:iodef", true},  {"rf", "a f", false},
  };
  for (const auto& c : cases) {
    std::string txt = std::string("v=DMARC1; ") + c.tag + "=" + c.value;
    INFO(txt);
    DmarcRecord r = ok(txt);
    CHECK(r.errors.empty() == c.valid);
    std::string t = c.tag;
    if (t == "p") CHECK(r.p.has_value() == c.valid);
    if (t == "p") CHECK(r.p_invalid == !c.valid);
    if (t == "sp") CHECK(r.sp_invalid == !c.valid);
    if (t == "np") CHECK(r.np_invalid == !c.valid);
    if (t == "fo" && !c.valid) CHECK(r.fo == "0");
    if (t == "pct") CHECK(r.pct.has_value() == c.valid);
  }
}

TEST_CASE("syntax errors are discarded in favour of defaults, never void the record (§4.8)") {
  DmarcRecord r =
      ok("v=DMARC1; p=reject; adkim=x; psd=maybe; t=perhaps; bogus; 9x=1; =none; "
         "aspf=; p=none; unknown=tag; rua=mailto:ok@example.com,notauri");
  CHECK(r.p == RequestedPolicy::Reject);  // the duplicate p=none is ignored
  CHECK(r.adkim == Alignment::Relaxed);
  CHECK(r.psd == PsdFlag::Unknown);
  CHECK_FALSE(r.testing);
  CHECK(r.aspf == Alignment::Relaxed);
  REQUIRE(r.rua.size() == 1);
  CHECK(r.rua[0].uri == "mailto:ok@example.com");
  CHECK(r.unknown_tags == std::vector<std::string>{"unknown"});
  CHECK(r.errors.size() == 9);
}

TEST_CASE("policy_valid follows §4.10.1 (p valid, sp and np not invalid)") {
  CHECK(ok("v=DMARC1; p=none").policy_valid());
  CHECK_FALSE(ok("v=DMARC1; rua=mailto:a@example.com").policy_valid());
  CHECK_FALSE(ok("v=DMARC1; p=bogus; rua=mailto:a@example.com").policy_valid());
  CHECK_FALSE(ok("v=DMARC1; p=reject; sp=bogus").policy_valid());
  CHECK_FALSE(ok("v=DMARC1; p=reject; np=bogus").policy_valid());
  CHECK(ok("v=DMARC1; p=reject; sp=none; np=reject").policy_valid());
}

TEST_CASE("reporting URIs with the RFC 7489 size suffix") {
  struct Case {
    const char* in;
    bool valid;
    const char* uri;
    uint64_t max;
  };
  const Case cases[] = {
      {"mailto:d@example.com", true, "mailto:d@example.com", 0},
      {"MAILTO:d@example.com!50", true, "MAILTO:d@example.com", 50},
      {"mailto:d@example.com!1k", true, "mailto:d@example.com", 1024},
      {"mailto:d@example.com!2M", true, "mailto:d@example.com", 2u << 20},
      {"mailto:d@example.com!1g", true, "mailto:d@example.com", 1ull << 30},
      {"mailto:d@example.com!1t", true, "mailto:d@example.com", 1ull << 40},
      {"https://example.com/r?a=b%2Cc", true, "https://example.com/r?a=b%2Cc", 0},
      {"mailto:d@example.com!", false, "", 0},
      {"mailto:d@example.com!k", false, "", 0},
      {"mailto:d@example.com!10x", false, "", 0},
      {"mailto:d@example.com!99999999999999999999", false, "", 0},
      {"mailto:d@example.com!18014398509481984t", false, "", 0},  // overflows 64 bits
      {"mailto:", false, "", 0},
      {"mailto:nobody", false, "", 0},
      {"d@example.com", false, "", 0},
      {":d@example.com", false, "", 0},
      {"1mailto:d@example.com", false, "", 0},
      {"mailto:d @example.com", false, "", 0},
      {"mailto:<d@example.com>", false, "", 0},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto u = parse_report_uri(c.in);
    REQUIRE(u.has_value() == c.valid);
    if (u) {
      CHECK(u->uri == c.uri);
      CHECK(u->max_bytes == c.max);
    }
  }
}

TEST_CASE("RFC 9989 Appendix B.2 example records") {
  // B.2.1
  DmarcRecord a = ok("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com");
  CHECK(a.p == RequestedPolicy::None);
  CHECK(a.rua.size() == 1);
  // B.2.2
  DmarcRecord b =
      ok("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; "
         "ruf=mailto:auth-reports@example.com");
  CHECK(b.ruf.size() == 1);
  // B.2.3 third-party authorization record "v=DMARC1;"
  DmarcRecord c = ok("v=DMARC1;");
  CHECK_FALSE(c.p);
  // B.2.5: strings concatenated without a space after the comma
  DmarcRecord d =
      ok("v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,"
         "mailto:tld-test@thirdparty.example.net; t=y");
  CHECK(d.p == RequestedPolicy::Quarantine);
  CHECK(d.testing);
  REQUIRE(d.rua.size() == 2);
  CHECK(d.rua[1].uri == "mailto:tld-test@thirdparty.example.net");
  // B.3.1
  DmarcRecord e = ok("v=DMARC1; p=reject; aspf=r; rua=mailto:dmarc-feedback@example.com");
  CHECK(e.aspf == Alignment::Relaxed);
  CHECK(e.p == RequestedPolicy::Reject);
}

TEST_CASE("hostile records") {
  std::string many = "v=DMARC1";
  for (int i = 0; i < 5000; ++i) many += "; x" + std::string(1, 'a' + i % 26) + "=1";
  std::string semis = "v=DMARC1" + std::string(100000, ';') + "p=reject";
  std::string longv = "v=DMARC1; rua=" + std::string(100000, 'a');
  const char raw[] = "v=DMARC1; p=reject\0; sp=none";
  std::string nul(raw, sizeof(raw) - 1);
  std::string ctl = "v=DMARC1; p=re\x01ject";
  std::string eight = "v=DMARC1; p=r\xc3\xa9ject";
  CHECK(ok(many).p == std::nullopt);
  CHECK(ok(semis).p == RequestedPolicy::Reject);
  CHECK(ok(longv).rua.empty());
  CHECK(ok(nul).p == std::nullopt);  // NUL is not a printing character: the tag is dropped
  CHECK(ok(nul).sp == RequestedPolicy::None);
  CHECK(ok(ctl).p_invalid == false);
  CHECK_FALSE(ok(ctl).p);
  CHECK_FALSE(ok(eight).p);
}
