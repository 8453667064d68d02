// Minimal reproducers of what tests/fuzz found in src/core, one TEST_CASE each,
// named after the fuzz target; the input is also in tests/fuzz/corpus/<target>/.
#include <catch2/catch.hpp>

#include <string>

#include "core/auth_results.h"
#include "core/policy/engine.h"
#include "core/text.h"

using namespace alignd;

namespace {

// Columns of each line of "Authentication-Results: " + value, a TAB counted as 8.
std::vector<size_t> widths(const std::string& value) {
  std::vector<size_t> out;
  for (auto line : split("Authentication-Results: " + value, '\n')) {
    size_t w = 0;
    for (char c : line) w += c == '\t' ? 8 : 1;
    out.push_back(w);
  }
  return out;
}

}  // namespace

// fuzz_auth_results: a resinfo whose words fill the line to exactly 78 columns got
// the ";" that separates it from the next resinfo as a 79th column
// (AuthResults::format counted the words but not the separator).
TEST_CASE("fuzz auth_results: the ';' after a resinfo counts toward 78 columns") {
  AuthResults ar{"mx.example.org", {}};
  // "\tspf=pass (" + 59 + ")" is 8 + 8 + 1 + 61 = 78 columns, then ";".
  ar.results.push_back({"spf", "pass", std::string(59, 'c'), "", {}});
  ar.results.push_back({"dkim", "pass", "", "", {}});
  for (size_t w : widths(ar.format())) CHECK(w <= 78);
}

// fuzz_policy: toml++ 3.3 (Debian 12) reaches TOML_UNREACHABLE in
// is_non_ascii_horizontal_whitespace for some non-ASCII code points, e.g. U+00A7
// after a line-ending backslash in a multi-line string (marzer/tomlplusplus#190,
// #295; fixed upstream by PR #305). Undefined behaviour: this test can only fail in
// a sanitizer build (-DALIGND_SANITIZE=ON, tests/fuzz/run.sh); policy and config
// files come from the admin, not from mail.
TEST_CASE("fuzz policy: non-ASCII after a line-ending backslash in a TOML string") {
  const std::string texts[] = {
      "s = \"\"\"\\\n\xc2\xa7\"\"\"\n",
      "[[rule]]\nname = \"x\"\ndescription = \"\"\"\\\n  \xc2\xa7 text\"\"\"\naction = "
      "\"accept\"\n",
      "\xcc\xaa",
  };
  for (const auto& t : texts) {
    try {
      PolicyEngine::compile({PolicySource{"t.toml", t}});
    } catch (const PolicyError&) {
    }
  }
  SUCCEED("no undefined behaviour reported by the sanitizers");
}
