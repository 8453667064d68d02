// Minimal reproducers of what tests/fuzz found in src/auth, one TEST_CASE each,
// named after the fuzz target; the input is also in tests/fuzz/corpus/<target>/.
#include <catch2/catch.hpp>

#include <string>

#include "auth/spf_checker.h"
#include "fakes/fake_resolver.h"

using namespace alignd;
using alignd::testing::FakeResolver;

// fuzz_spf_check: a NUL in the HELO (or MAIL FROM) went into the Received-SPF
// value unquoted and raw: kv_value's atext test used std::strchr(list, c), which
// finds the terminating NUL for c == 0. The milter hands header values to
// libmilter as C strings, so the field was cut short at the NUL.
TEST_CASE("fuzz spf_check: Received-SPF carries no NUL from HELO or MAIL FROM") {
  SpfResult r;
  r.result = Outcome::Fail;
  r.identity = std::string("a\0b@fuzz.example", 16);
  r.domain = "fuzz.example";
  r.checked = true;
  std::string v = received_spf_value(r, "192.0.2.1", std::string("helb\0\0\0ad", 9), "mx.example");
  CHECK(v.find('\0') == std::string::npos);
  CHECK_THAT(v, Catch::EndsWith("identity=mailfrom"));
}

// fuzz_spf_check: an exp= text (RFC 7208 §6.2) of 43 or more macro + literal pairs,
// e.g. "%{s}x" x 43 (215 characters), overflowed a stack buffer in libspf2 1.2.10's
// SPF_record_compile_macro (called from SPF_request_get_exp): "*** stack smashing
// detected ***", the whole daemon aborts. The text is the sender's to publish, so
// any domain could stop alignd with one failing message. Explanations longer than
// kMaxExplanation (auth/spf_dns_adapter.cc) are now dropped, as §6.2 allows.
TEST_CASE("fuzz spf_check: a long exp= macro string does not crash libspf2") {
  auto repeat = [](const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  struct Case {
    std::string exp;
    bool explained;
  } cases[] = {
      {repeat("%{s}x", 43), false},   // the overflow
      {repeat("%{s} ", 60), false},   // spaces (rewritten "%_") count as literals
      {repeat("%{d},", 200), false},  // far beyond
      {repeat("%{s}x", 40), true},    // 200 characters: still explained
      {"%{i} is not one of %{d}'s senders", true},
  };
  for (const auto& c : cases) {
    INFO(c.exp);
    FakeResolver dns{{"exp.example.", RrType::TXT, "v=spf1 -all exp=why.exp.example"},
                     {"why.exp.example.", RrType::TXT, c.exp}};
    SpfChecker spf(dns, "mx.example.org");
    SpfResult r = spf.check_mail_from("192.0.2.1", "h.example", "u@exp.example");
    CHECK(r.result == Outcome::Fail);
    CHECK(r.explanation.empty() != c.explained);
  }
}
