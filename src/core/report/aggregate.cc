// Aggregation of evaluations into report rows, DKIM ordering and report naming.
#include "core/report/aggregate.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/text.h"

namespace alignd {

namespace {

// A row's identity: every field but the count, flattened for a map key.
std::string row_key(const ReportRow& r) {
  std::string k;
  auto add = [&k](std::string_view s) {
    k += std::to_string(s.size());
    k += ':';
    k += s;
  };
  add(r.source_ip);
  add(r.disposition);
  add(r.pass_enforced ? "1" : "0");
  add(r.dkim_aligned ? "1" : "0");
  add(r.spf_aligned ? "1" : "0");
  for (const auto& o : r.reasons) {
    add(o.type);
    add(o.comment);
  }
  add("|");
  add(r.header_from);
  add(r.envelope_from);
  add(r.envelope_to);
  for (const auto& d : r.dkim) {
    add(d.domain);
    add(d.selector);
    add(d.result);
    add(d.human_result);
  }
  add("|");
  add(r.spf_domain);
  add(r.spf_scope);
  add(r.spf_result);
  add(r.spf_human);
  return k;
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::vector<DkimAuth> prioritize_dkim(std::vector<DkimAuth> sigs, const std::string& header_from,
                                      const std::string& org_domain, size_t limit) {
  auto rank = [&](const DkimAuth& d) {
    if (d.result != "pass") return 3;
    if (iequals(d.domain, header_from)) return 0;
    if (!org_domain.empty() && domain_at_or_below(d.domain, org_domain) &&
        domain_at_or_below(header_from, org_domain))
      return 1;
    return 2;
  };
  std::stable_sort(sigs.begin(), sigs.end(),
                   [&](const DkimAuth& a, const DkimAuth& b) { return rank(a) < rank(b); });
  if (sigs.size() > limit) sigs.resize(limit);
  return sigs;
}

AggregateReport aggregate(const ReportMeta& meta, const Period& period,
                          const std::vector<Evaluation>& evaluations) {
  AggregateReport r;
  r.meta = meta;
  r.period = period;
  r.unique_id = report_unique_id(meta.receiver, period);
  r.report_id = period.policy_domain + "." + std::to_string(period.begin) + "." + r.unique_id +
                "@" + meta.receiver;

  std::vector<const Evaluation*> sorted;
  for (const auto& e : evaluations) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Evaluation* a, const Evaluation* b) { return a->time < b->time; });
  if (!sorted.empty()) r.policy = sorted.back()->policy;

  std::map<std::string, size_t> index;
  for (const Evaluation* e : sorted) {
    ReportRow row;
    row.source_ip = e->source_ip;
    row.disposition = e->disposition;
    row.pass_enforced = e->dmarc_result == "pass" && e->requested != "none";
    row.dkim_aligned = e->dkim_aligned;
    row.spf_aligned = e->spf_aligned;
    row.reasons = e->overrides;
    // An override that rested on a trusted ARC chain names the chain (RFC 8617) in
    // its comment; rows with different chains stay apart (row_key has the comment).
    if (e->arc.override_used && !row.reasons.empty())
      row.reasons[0].comment = arc_reason_comment(e->arc, row.reasons[0].comment);
    row.header_from = e->header_from;
    row.envelope_from = e->envelope_from;
    row.envelope_to = e->envelope_to;
    row.dkim = prioritize_dkim(e->dkim, e->header_from, e->organizational_domain);
    row.spf_domain = e->spf_domain;
    row.spf_scope = e->spf_scope;
    row.spf_result = e->spf_result;
    row.spf_human = e->spf_human;
    std::string key = row_key(row);
    auto [it, inserted] = index.emplace(key, r.rows.size());
    if (inserted) r.rows.push_back(std::move(row));
    r.rows[it->second].count++;
    r.message_count++;
  }
  // Biggest rows first, then by source IP: stable output for equal input.
  std::stable_sort(r.rows.begin(), r.rows.end(), [](const ReportRow& a, const ReportRow& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.source_ip < b.source_ip;
  });
  return r;
}

std::string report_unique_id(const std::string& receiver, const Period& p) {
  std::string seed = receiver + "!" + p.policy_domain + "!" + std::to_string(p.begin) + "!" +
                     std::to_string(p.end);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a(seed)));
  return buf;
}

std::string report_filename(const AggregateReport& r) {
  return r.meta.receiver + "!" + r.period.policy_domain + "!" + std::to_string(r.period.begin) +
         "!" + std::to_string(r.period.end - 1) + "!" + r.unique_id + ".xml.gz";
}

std::string report_subject(const AggregateReport& r) {
  return "Report Domain: " + r.period.policy_domain + " Submitter: " + r.meta.receiver +
         " Report-ID: <" + r.report_id + ">";
}

}  // namespace alignd
