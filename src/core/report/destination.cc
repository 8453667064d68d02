// rua= URIs -> mailboxes: RFC 6068 mailto, strict RFC 5321 Mailbox (core/mailto.h).
#include "core/report/destination.h"

#include "core/mailto.h"
#include "core/text.h"

namespace alignd {

Destinations mailto_destinations(const std::vector<ReportUri>& rua) {
  Destinations out;
  for (const auto& u : rua) {
    if (u.scheme != "mailto") continue;  // unsupported scheme: ignored
    ReportDestination d;
    d.uri = u.uri;
    d.max_size = u.max_bytes;
    MailtoParse m = parse_mailto(u.uri);
    if (!m.mailbox) {
      out.errors.push_back("rua URI \"" + u.uri + "\" is not a mailbox: " + m.error);
      continue;
    }
    d.address = m.mailbox->address;
    d.domain = m.mailbox->domain;
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
