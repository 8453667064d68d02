// One raw header field as received: name and unfolded-as-received value.
// The value is kept verbatim (folding whitespace included) because DKIM
// verification needs the exact bytes (RFC 6376 §3.4).
#pragma once
#include <string>
#include <vector>

namespace alignd {

struct HeaderField {
  std::string name;   // as received, e.g. "From"
  // Everything after the colon, verbatim: the leading space is kept (the milter
  // negotiates SMFIP_HDR_LEADSPC) and folded lines are joined with CRLF, so
  // name + ":" + value + CRLF is the field exactly as it was on the wire.
  std::string value;
};

using HeaderList = std::vector<HeaderField>;

}  // namespace alignd
