// Fuzzes the RFC 7208 record syntax check (auth/spf_syntax.h): SPF records are
// published by the sender's domain, so every byte is the attacker's. Checks that
// an accepted record's rewrite (what libspf2 then compiles) is accepted too.
#include <cstdint>
#include <string>

#include "auth/spf_syntax.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rec(reinterpret_cast<const char*>(data), size);
  for (bool v6 : {false, true}) {
    SpfSyntax s = check_spf_record(rec, v6);
    if (!s.ok) {
      FUZZ_CHECK(!s.error.empty());
      continue;
    }
    FUZZ_CHECK(!s.rewritten.empty());
    SpfSyntax again = check_spf_record(s.rewritten, v6);
    FUZZ_CHECK(again.ok);
  }
  (void)valid_macro_string(rec, false);
  (void)valid_macro_string(rec, true);
  (void)valid_domain_spec(rec);
  return 0;
}
