// SPF record discovery and selection (RFC 7208 §4.4, §4.5); see spf_record_lookup.h.
#include "auth/spf_record_lookup.h"

#include "core/text.h"

namespace alignd {

bool is_spf1_record(std::string_view txt) {
  constexpr std::string_view kVersion = "v=spf1";
  if (!istarts_with(txt, kVersion)) return false;
  return txt.size() == kVersion.size() || txt[kVersion.size()] == ' ';
}

SpfRecordLookup lookup_spf_record(Resolver& dns, std::string_view domain) {
  SpfRecordLookup out;
  DnsAnswer a = dns.query(domain, RrType::TXT);
  switch (a.status) {
    case DnsStatus::Ok: break;
    case DnsStatus::NxDomain:
    case DnsStatus::NoData:
      out.status = SpfRecordStatus::None;
      out.error =
          "no SPF record at " + std::string(domain) + " (" + std::string(to_string(a.status)) + ")";
      return out;
    case DnsStatus::TempFail:
    case DnsStatus::PermFail:  // §4.4: any RCODE other than 0 or 3 is a temperror
      out.status = SpfRecordStatus::TempError;
      out.error = "DNS error looking up TXT " + std::string(domain) +
                  (a.error.empty() ? "" : ": " + a.error);
      return out;
  }
  int found = 0;
  for (const auto& txt : a.records) {
    if (!is_spf1_record(txt)) continue;
    if (++found == 1) out.text = txt;
  }
  if (found == 0) {
    out.status = SpfRecordStatus::None;
    out.error = "no SPF record at " + std::string(domain);
  } else if (found > 1) {
    out.status = SpfRecordStatus::PermError;
    out.text.clear();
    out.error = "more than one SPF record at " + std::string(domain) + " (RFC 7208 §4.5)";
  } else {
    out.status = SpfRecordStatus::Found;
  }
  return out;
}

}  // namespace alignd
