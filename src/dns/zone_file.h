// Local DNS data in RFC 1035 §5 master-file syntax, for `alignd eval --dns-zone` and
// `dns.zone_file`. Absolute names only (no $ORIGIN, no `@`, no wildcards, no $INCLUDE);
// types A, AAAA, MX, PTR, CNAME, TXT, NS; class IN; $TTL; parentheses; `;` comments.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/dns_types.h"

namespace alignd {

struct ZoneRecord {
  std::string name;  // lowercase, absolute, with trailing dot: "mail.example.com."
  RrType type;
  uint32_t ttl;
  std::string data;  // text form of core/dns_types.h (TXT: strings concatenated, unescaped)
};

// A malformed line; what() is "file:line: message".
struct ZoneError : std::runtime_error {
  ZoneError(const std::string& source, int line, const std::string& message);
  std::string source;
  int line;
};

// Parses master-file text; `source` names it in errors. Throws ZoneError.
std::vector<ZoneRecord> parse_zone(std::string_view text, const std::string& source);
// Reads and parses a file. Throws ZoneError (also for a file that cannot be read).
std::vector<ZoneRecord> load_zone_file(const std::string& path);

}  // namespace alignd
