// A body without a final CRLF (a message file, BDAT): RFC 6376 §3.4.3 and §3.4.4 add
// one before hashing, under simple and relaxed alike. The verifier (libopendkim adds it
// only under simple) and our own canonicalizer must agree with dkimpy.
#include <catch2/catch.hpp>

#include "auth/dkim_canon.h"
#include "dkim_test_support.h"

using namespace alignd;
using namespace alignd::testing;

TEST_CASE("dkimpy signatures over a body without a final CRLF verify, in any chunking") {
  DkimContext lib;
  ZoneResolver dns(load_zone_file(data_path("fixtures.zone")));
  const std::string raw = read_data("no-final-crlf.eml");
  REQUIRE(raw.substr(raw.size() - 6) == "spaces");  // the fixture is what it claims
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{7}, size_t{65536}}) {
    INFO("chunk " << chunk);
    auto r = verify_message(lib, dns, raw, 5, chunk);
    REQUIRE(r.size() == 2);
    CHECK(r[0].result == Outcome::Pass);  // ed25519-sha256, simple/relaxed
    CHECK(r[1].result == Outcome::Pass);  // rsa-sha256, relaxed/relaxed
  }
  // The same message as SMTP delivers it (final CRLF present) verifies too.
  auto r = verify_message(lib, dns, raw + "\r\n");
  REQUIRE(r.size() == 2);
  CHECK(r[0].result == Outcome::Pass);
  CHECK(r[1].result == Outcome::Pass);
  // and a changed body still fails
  auto t = verify_message(lib, dns, raw.substr(0, raw.size() - 1) + "S");
  REQUIRE(t.size() == 2);
  CHECK(t[0].result == Outcome::Fail);
  CHECK(t[1].result == Outcome::Fail);
}

TEST_CASE("body canonicalization adds the missing final CRLF (RFC 6376 §3.4.3, §3.4.4)") {
  struct Case {
    std::string body;
    bool relaxed;
    std::string want;
  };
  const Case cases[] = {
      {"abc", false, "abc\r\n"},
      {"abc", true, "abc\r\n"},
      {"abc  ", true, "abc\r\n"},
      {"abc \t x", true, "abc x\r\n"},
      {"a\r\n\r\nb", true, "a\r\n\r\nb\r\n"},
      {"a\r\n\r\nb", false, "a\r\n\r\nb\r\n"},
      {"abc\r", false, "abc\r\r\n"},
      {"", false, "\r\n"},
      {"", true, ""},
  };
  for (const auto& c : cases) {
    INFO(c.body << (c.relaxed ? " relaxed" : " simple"));
    CHECK(canonicalize_body(c.relaxed, c.body) == c.want);
  }
}
