// RFC 7208 §4.4/§4.5: fetch the SPF record of a domain through our Resolver and
// select the one "v=spf1" record. Leaves out parsing (libspf2 compiles the text).
#pragma once
#include <string>
#include <string_view>

#include "dns/resolver.h"

namespace alignd {

enum class SpfRecordStatus {
  Found,      // exactly one SPF record: `text`
  None,       // NXDOMAIN, NODATA or no "v=spf1" record (§4.5)
  TempError,  // SERVFAIL, timeout... (§4.4)
  PermError,  // more than one SPF record (§4.5)
};

struct SpfRecordLookup {
  SpfRecordStatus status = SpfRecordStatus::None;
  std::string text;   // the record when Found
  std::string error;  // why, when not Found
};

// True if a TXT record is an SPF version 1 record: "v=spf1" (any case) followed
// by a space or the end of the record (RFC 7208 §4.5).
bool is_spf1_record(std::string_view txt);

// Queries TXT at `domain` (never the obsolete type 99, RFC 7208 §3.1).
SpfRecordLookup lookup_spf_record(Resolver& dns, std::string_view domain);

}  // namespace alignd
