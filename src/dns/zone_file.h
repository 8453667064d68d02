// Local DNS data in RFC 1035 §5 master-file syntax, for `alignd eval --dns-zone` and
// `dns.zone_file`, parsed by ldns: $ORIGIN, $TTL, `@`, relative names, \DDD escapes,
// wildcards, every record type (RFC 3597 `TYPEnn \# ...` too). Leaves out $INCLUDE
// and classes other than IN.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/dns_types.h"

namespace alignd {

struct ZoneRecord {
  // Absolute, lowercase, trailing dot, octets other than letters, digits, '-' and '_'
  // as \DDD (dns/dns_name.h): "mail.example.com.", "foo\058bar.example.com.",
  // "\042.example.com." for the wildcard "*.example.com.".
  std::string name;
  // The record's TYPE code. The enumerators of RrType are the types alignd asks for;
  // any other code (SPF = 99, SOA = 6, ...) is kept too, so that its owner exists.
  RrType type;
  uint32_t ttl;
  // The text form of core/dns_types.h for the enumerated types (TXT: strings
  // concatenated, unescaped); the RFC 1035 presentation of the rdata for the others.
  std::string data;
};

// True for the types of RrType's enumerators (those a Resolver is asked for).
bool is_query_type(RrType type);

// A malformed line; what() is "file:line: message".
struct ZoneError : std::runtime_error {
  ZoneError(const std::string& source, int line, const std::string& message);
  std::string source;
  int line;
};

// Parses master-file text; `source` names it in errors. Without $ORIGIN, names must be
// absolute. Throws ZoneError.
std::vector<ZoneRecord> parse_zone(std::string_view text, const std::string& source);
// Reads and parses a file. Throws ZoneError (also for a file that cannot be read).
std::vector<ZoneRecord> load_zone_file(const std::string& path);

}  // namespace alignd
