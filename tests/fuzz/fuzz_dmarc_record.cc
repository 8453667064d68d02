// Fuzzes parse_dmarc_record and parse_report_uri (core/dmarc/record.h): the TXT
// record at _dmarc.<domain> is written by whoever owns the domain. Checks the
// parsed values stay in their RFC 9989 §4.8 / RFC 7489 §6.3 ranges, and that every
// rua= mailto destination is one mailbox whose domain is its only domain
// (issue 10 item 6: no report to an address an MTA could read differently).
#include <cstdint>
#include <string>

#include "core/dmarc/record.h"
#include "core/report/destination.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;

namespace {

void check_uri(const ReportUri& u, bool in_record) {
  FUZZ_CHECK(!u.uri.empty() && !u.scheme.empty());
  for (char c : u.scheme) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
  for (char c : u.uri) FUZZ_CHECK(c != ' ' && (!in_record || (c != ',' && c != ';')));
}

// One mailbox: printable ASCII, SP only inside the quotes of a quoted local part,
// nothing an address parser splits on, exactly one "@" outside the quotes, and
// the destination domain is what follows it, lowercase.
void check_destination(const ReportDestination& d) {
  const std::string& a = d.address;
  FUZZ_CHECK(!a.empty());
  size_t start = 0;
  if (a.front() == '"') {
    start = a.find('"', 1);
    FUZZ_CHECK(start != std::string::npos);
    ++start;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    auto u = static_cast<unsigned char>(a[i]);
    FUZZ_CHECK(u >= 0x20 && u < 0x7f);
    if (i >= start)
      FUZZ_CHECK(std::string_view(" \t,;:<>()[]\\\"%!").find(a[i]) == std::string_view::npos);
  }
  size_t at = a.find('@', start);
  FUZZ_CHECK(at != std::string::npos && a.find('@', at + 1) == std::string::npos);
  FUZZ_CHECK(a.substr(at + 1) == d.domain);
  for (char c : d.domain) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view txt(reinterpret_cast<const char*>(data), size);
  DmarcParse p = parse_dmarc_record(txt);
  if (p.ok()) {
    const DmarcRecord& r = p.record;
    FUZZ_CHECK(p.error.empty());
    if (r.pct) FUZZ_CHECK(*r.pct >= 0 && *r.pct <= 100);
    FUZZ_CHECK(!(r.p && r.p_invalid) && !(r.sp && r.sp_invalid) && !(r.np && r.np_invalid));
    FUZZ_CHECK(!r.fo.empty());
    for (const auto& u : r.rua) check_uri(u, true);
    for (const auto& u : r.ruf) check_uri(u, true);
    Destinations ds = mailto_destinations(r.rua);
    FUZZ_CHECK(ds.errors.empty());  // the record parser already refused every bad mailto
    for (const auto& d : ds.mailto) check_destination(d);
    (void)r.policy_valid();
  } else {
    FUZZ_CHECK(!p.error.empty());
  }
  if (auto u = parse_report_uri(txt)) check_uri(*u, false);
  return 0;
}
