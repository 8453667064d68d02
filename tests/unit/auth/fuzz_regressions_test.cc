// Minimal reproducers of what tests/fuzz found in src/auth, one TEST_CASE each,
// named after the fuzz target; the input is also in tests/fuzz/corpus/<target>/.
#include <catch2/catch.hpp>

#include <string>

#include "auth/spf_checker.h"

using namespace alignd;

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
