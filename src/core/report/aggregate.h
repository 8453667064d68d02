// One policy domain's evaluations for one period folded into report rows
// (RFC 9990 §3.1.1.7): one row per distinct (source IP, disposition, aligned
// results, override reasons, identifiers, raw auth results), with a count. An
// override that rested on ARC carries the chain in its comment (evaluation_arc.h).
// Also the report's identifiers (§3.1.4, §3.5.1) and file name (§3.5.2). Pure.
#pragma once
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "core/report/evaluation.h"

namespace alignd {

struct ReportMeta {
  std::string org_name;
  std::string email;
  std::string extra_contact_info;
  std::string receiver;   // our domain: Submitter and file name (RFC 9990 §3.5.2)
  std::string generator;  // "alignd 0.1.0"
};

struct Period {
  std::string policy_domain;
  std::int64_t begin = 0;  // inclusive
  std::int64_t end = 0;    // exclusive; reports show end - 1 (RFC 9990 Appendix B)
  bool operator==(const Period&) const = default;
  bool operator<(const Period& o) const {
    return std::tie(policy_domain, begin, end) < std::tie(o.policy_domain, o.begin, o.end);
  }
};

struct ReportRow {
  std::string source_ip;
  std::uint64_t count = 0;
  std::string disposition;     // applied: none | quarantine | reject
  bool pass_enforced = false;  // DMARC pass under p=quarantine/reject (RFC 9990 "pass")
  bool dkim_aligned = false;
  bool spf_aligned = false;
  std::vector<OverrideReason> reasons;
  std::string header_from, envelope_from, envelope_to;
  std::vector<DkimAuth> dkim;  // in RFC 9990 §3.1.3 priority order, at most 100
  std::string spf_domain, spf_scope, spf_result, spf_human;
};

struct AggregateReport {
  ReportMeta meta;
  Period period;
  std::string unique_id;   // 1*(ALPHA / DIGIT), stable for (receiver, period)
  std::string report_id;   // dot-atom "@" dot-atom, contains unique_id
  PublishedPolicy policy;  // the last configuration seen in the period (RFC 9990 §3.1)
  std::vector<ReportRow> rows;
  std::uint64_t message_count = 0;
};

constexpr size_t kMaxDkimPerRow = 100;  // RFC 9990 §3.1.3

// RFC 9990 §3.1.3: passing and strictly aligned with header_from, passing and
// relaxed aligned (same organizational domain), other passes, then the rest;
// stable within each class; at most `limit`.
std::vector<DkimAuth> prioritize_dkim(std::vector<DkimAuth> sigs, const std::string& header_from,
                                      const std::string& org_domain, size_t limit = kMaxDkimPerRow);

// `evaluations` all belong to `period` (any order). Rows come out in a stable order.
AggregateReport aggregate(const ReportMeta& meta, const Period& period,
                          const std::vector<Evaluation>& evaluations);

// Deterministic, so a re-send carries the same identifiers (RFC 9990 §3.5.2, §3.5.4).
std::string report_unique_id(const std::string& receiver, const Period& p);
// receiver!policy-domain!begin!end!unique-id.xml.gz (RFC 9990 §3.5.2)
std::string report_filename(const AggregateReport& r);
// "Report Domain: D Submitter: R Report-ID: <ID>" (RFC 9990 §3.5.2)
std::string report_subject(const AggregateReport& r);

}  // namespace alignd
