// Aggregate-report destinations: the mailto: URIs of a record's rua= (RFC 9989
// §4.6/§4.7, RFC 9990 §3.5) as mailboxes with their RFC 7489 §6.4 size limits.
// Other schemes are ignored (RFC 9989 §4.7 "rua"). Pure; URI syntax is the DMARC
// record parser's (core/dmarc/record.h), external-destination checks are src/report's.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/dmarc/record.h"

namespace alignd {

struct ReportDestination {
  std::string uri;      // as published, without the "!size" suffix
  std::string address;  // strict mailbox (core/mailto.h), domain lowercase: "dmarc@example.com"
  std::string domain;   // host part of the mailbox, lowercase (the "destination host")
  std::uint64_t max_size = 0;  // bytes; 0 = no limit
  bool operator==(const ReportDestination&) const = default;
};

struct Destinations {
  std::vector<ReportDestination> mailto;  // usable, in published order, no duplicates
  std::vector<std::string> errors;        // mailto URIs that are not a mailbox
};

Destinations mailto_destinations(const std::vector<ReportUri>& rua);
// Parses the record text first; no destinations if it is not a DMARC record.
Destinations mailto_destinations(std::string_view record_text);

}  // namespace alignd
