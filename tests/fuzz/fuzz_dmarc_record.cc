// Fuzzes parse_dmarc_record and parse_report_uri (core/dmarc/record.h): the TXT
// record at _dmarc.<domain> is written by whoever owns the domain. Checks the
// parsed values stay in their RFC 9989 §4.8 / RFC 7489 §6.3 ranges.
#include <cstdint>
#include <string>

#include "core/dmarc/record.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;

namespace {

void check_uri(const ReportUri& u, bool in_record) {
  FUZZ_CHECK(!u.uri.empty() && !u.scheme.empty());
  for (char c : u.scheme) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
  for (char c : u.uri) FUZZ_CHECK(c != ' ' && (!in_record || (c != ',' && c != ';')));
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
    (void)r.policy_valid();
  } else {
    FUZZ_CHECK(!p.error.empty());
  }
  if (auto u = parse_report_uri(txt)) check_uri(*u, false);
  return 0;
}
