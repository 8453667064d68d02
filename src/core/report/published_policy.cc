// Record text -> PublishedPolicy (the strings the store keeps and reports show).
#include "core/report/published_policy.h"

#include "core/dmarc/record.h"
#include "core/report/destination.h"

namespace alignd {

namespace {

void note(std::string& errors, const std::string& e) {
  if (!errors.empty()) errors += "; ";
  errors += e;
}

}  // namespace

PublishedPolicy read_published_policy(std::string_view record, std::string_view discovery) {
  PublishedPolicy pp;
  pp.record = std::string(record);
  pp.discovery = discovery == "psl" ? "psl" : "treewalk";
  DmarcParse parse = parse_dmarc_record(record);
  if (!parse.ok()) {
    pp.errors = "DMARC record " + parse.error;
    return pp;
  }
  const DmarcRecord& r = parse.record;
  if (r.p) pp.p = std::string(to_string(*r.p));
  if (r.sp) pp.sp = std::string(to_string(*r.sp));
  if (r.np) pp.np = std::string(to_string(*r.np));
  pp.adkim = std::string(to_string(r.adkim));
  pp.aspf = std::string(to_string(r.aspf));
  pp.testing = r.testing ? "y" : "n";
  pp.psd = std::string(to_string(r.psd));
  if (r.pct) pp.pct = std::to_string(*r.pct);
  pp.fo = r.fo;
  if (r.ri) pp.ri = static_cast<std::int64_t>(*r.ri);
  for (size_t i = 0; i < r.rua.size(); ++i) {
    pp.rua += (i ? "," : "") + r.rua[i].uri;
    if (r.rua[i].max_bytes) pp.rua += "!" + std::to_string(r.rua[i].max_bytes);
  }
  for (const auto& e : r.errors) note(pp.errors, e);
  for (const auto& e : mailto_destinations(r.rua).errors) note(pp.errors, e);
  return pp;
}

}  // namespace alignd
