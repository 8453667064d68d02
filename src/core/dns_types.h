// DNS answer values shared by the core (which takes lookups as functions) and
// src/dns (which performs them). Pure values; the I/O lives in src/dns.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace alignd {

// The distinctions the authentication standards need:
// RFC 7208 §4.4/§5, RFC 6376 §6.1.2, RFC 9989 §4.10.
enum class DnsStatus {
  Ok,        // records present
  NxDomain,  // the name does not exist
  NoData,    // the name exists, no record of that type
  TempFail,  // SERVFAIL, timeout, network error, query budget exhausted
  PermFail,  // malformed answer
};

enum class RrType { A = 1, NS = 2, CNAME = 5, PTR = 12, MX = 15, TXT = 16, AAAA = 28 };

struct DnsAnswer {
  DnsStatus status = DnsStatus::TempFail;
  // Text form of each record:
  //   TXT   the character-strings of one record concatenated (RFC 7208 §3.3, RFC 6376 §3.6.2.2)
  //   A     dotted quad; AAAA  RFC 5952 text; PTR/CNAME/NS  absolute name with trailing dot
  //   MX    "PREFERENCE EXCHANGE." e.g. "10 mx.example.com."
  std::vector<std::string> records;
  bool secure = false;  // DNSSEC-validated answer
  std::string error;    // human-readable reason for TempFail/PermFail
  // Seconds the answer may be reused (RFC 1035 §3.2.1 TTL; for NXDOMAIN/NODATA the
  // negative-caching TTL of RFC 2308 §5). 0: do not reuse.
  uint32_t ttl = 0;
};

std::string_view to_string(DnsStatus s);
std::string_view to_string(RrType t);

// How pure core code asks for DNS: a function, so tests pass a lambda or a fake.
using DnsLookup = std::function<DnsAnswer(std::string_view name, RrType type)>;

}  // namespace alignd
