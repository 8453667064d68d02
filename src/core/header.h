// One raw header field as received: name and unfolded-as-received value.
// The value is kept verbatim (folding whitespace included) because DKIM
// verification needs the exact bytes (RFC 6376 §3.4).
#pragma once
#include <string>
#include <vector>

namespace alignd {

struct HeaderField {
  std::string name;   // as received, e.g. "From"
  std::string value;  // as received, without the name and colon; may contain CRLF + WSP
};

using HeaderList = std::vector<HeaderField>;

}  // namespace alignd
