// rua= URIs -> mailboxes: RFC 6068 mailto (percent-decoding, "?" headers dropped).
#include "core/report/destination.h"

#include <cctype>

#include "core/text.h"

namespace alignd {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = ascii_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool valid_host(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.front() == '.' || d.back() == '.' ||
      d.find("..") != std::string_view::npos)
    return false;
  for (char c : d) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'))
      return false;
  }
  return true;
}

}  // namespace

Destinations mailto_destinations(const std::vector<ReportUri>& rua) {
  Destinations out;
  for (const auto& u : rua) {
    if (u.scheme != "mailto") continue;  // unsupported scheme: ignored
    std::string_view to = std::string_view(u.uri).substr(u.uri.find(':') + 1);
    if (auto q = to.find('?'); q != std::string_view::npos) to = to.substr(0, q);
    ReportDestination d;
    d.uri = u.uri;
    d.max_size = u.max_bytes;
    d.address = percent_decode(to);
    auto at = d.address.rfind('@');
    if (at == std::string::npos || at == 0 ||
        d.address.find_first_of(",;<>\r\n ") != std::string::npos ||
        !valid_host(d.address.substr(at + 1))) {
      out.errors.push_back("rua URI \"" + u.uri + "\" is not a mailbox");
      continue;
    }
    d.domain = to_lower(d.address.substr(at + 1));
    bool dup = false;
    for (const auto& o : out.mailto) dup = dup || iequals(o.address, d.address);
    if (!dup) out.mailto.push_back(std::move(d));
  }
  return out;
}

Destinations mailto_destinations(std::string_view record_text) {
  DmarcParse p = parse_dmarc_record(record_text);
  if (!p.ok()) return {};
  return mailto_destinations(p.record.rua);
}

}  // namespace alignd
