// Fuzzes parse_zone (dns/zone_file.h, ldns underneath): `--dns-zone` and
// `dns.zone_file` text. A malformed zone must end in ZoneError (the only exception
// allowed); a parsed one must hold owner names in the one text form of dns/dns_name.h
// (absolute, lowercase, \DDD, reading back to themselves), and a ZoneResolver built
// from it must answer without throwing.
#include <cstdint>
#include <string>

#include "dns/dns_name.h"
#include "dns/zone_resolver.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto records = parse_zone(text, "fuzz.zone");
    for (const auto& r : records) {
      FUZZ_CHECK(!r.name.empty() && r.name.back() == '.');
      FUZZ_CHECK(r.name.size() <= 4 * 255);  // 255 wire octets, each at most "\DDD"
      for (char c : r.name) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
      FUZZ_CHECK(canonical_name(r.name) == r.name);
    }
    ZoneResolver z(records);
    for (const auto& r : records) {
      (void)z.query(r.name, RrType::TXT);
      (void)z.query("x." + r.name, RrType::A);
      if (r.type == RrType::CNAME || r.type == RrType::PTR) (void)z.query(r.data, RrType::A);
    }
  } catch (const ZoneError& e) {
    FUZZ_CHECK(e.line >= 0);
    FUZZ_CHECK(std::string(e.what()).rfind("fuzz.zone:", 0) == 0);
  }
  return 0;
}
