// Turns a libunbound result into a DnsAnswer: rcode/havedata/nxdomain/bogus to DnsStatus
// and wire rdata to the text forms of core/dns_types.h. Pure; no libunbound calls.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/dns_types.h"

struct ub_result;

namespace alignd {

// `err` is the libunbound callback error (0 = a result is present).
//   err != 0, SERVFAIL, REFUSED, other rcodes, DNSSEC bogus  -> TempFail
//   NXDOMAIN -> NxDomain; NOERROR without data -> NoData; with data -> Ok
//   rdata that does not parse as its type -> PermFail
DnsAnswer map_unbound_result(int err, const ub_result* r, RrType type);

// Wire rdata of one record to text; nullopt if malformed. Names come out lowercase,
// absolute, with non-LDH octets as \DDD.
std::optional<std::string> rdata_to_text(RrType type, std::string_view rdata);

}  // namespace alignd
