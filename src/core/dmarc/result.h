// The outcome of one DMARC evaluation (RFC 9989 §4.8 and §5), as reported in
// Authentication-Results, `alignd eval --json`, the store and aggregate reports.
#pragma once
#include <optional>
#include <string>

#include <string_view>

#include <vector>

#include "core/dmarc/record.h"
#include "core/dmarc/requested_policy.h"
#include "core/outcome.h"

namespace alignd {

struct DmarcResult {
  Outcome result = Outcome::None;  // pass | fail | none | temperror | permerror
  bool evaluated = false;          // false when DMARC was not applied (outbound, no From)
  std::string author_domain;       // RFC5322.From domain (A-label, lowercase)
  std::string policy_domain;       // where the record was found
  std::string organizational_domain;
  std::string discovery;                                     // "tree-walk" | "psl"
  std::string record;                                        // the DMARC record text as published
  RequestedPolicy requested_policy = RequestedPolicy::None;  // p/sp/np after selection
  std::string policy_tag;                                    // which tag applied: "p", "sp" or "np"
  bool testing = false;  // t=y (RFC 9989) — report, do not enforce
  bool spf_aligned = false;
  bool dkim_aligned = false;
  std::string aligned_dkim_domain;  // d= of the first aligned passing signature
  std::string reason;               // human-readable summary
  // Filled after the policy decision: "none" | "quarantine" | "reject" as applied
  // (RFC 9990 disposition), for Authentication-Results "dis=" and reports.
  std::string applied_disposition;

  // ---- filled by evaluate_dmarc (core/dmarc/evaluate.h) ----
  std::string mode;                   // "rfc9989" | "rfc7489"
  std::optional<DmarcRecord> parsed;  // the applied record, parsed
  // On fail: requested_policy one level down when t=y (RFC 9989 §4.7) or, in RFC
  // 7489 mode, pct sampling left the message out (§6.6.4): reject -> quarantine,
  // quarantine -> none (never two levels). None when DMARC did not fail.
  RequestedPolicy effective_policy = RequestedPolicy::None;
  bool sampled_out = false;                  // RFC 7489 pct: this message not sampled
  bool np_applies = false;                   // policy_tag == "np": author domain is NXDOMAIN
  std::optional<bool> author_domain_exists;  // nullopt when not looked up
  std::string spf_domain;      // the SPF-authenticated identifier ("" when SPF did not pass)
  std::string spf_alignment;   // "strict" | "relaxed" | "" (not aligned)
  std::string dkim_alignment;  // "strict" | "relaxed" | ""
  std::string author_org_domain_detail;  // how organizational_domain was found
  std::vector<std::string> errors;       // record syntax and DNS problems (RFC 9990 <error>)
  std::vector<std::string> lookups;      // DNS queries made, in order, with their answers
  int dns_queries = 0;
};

}  // namespace alignd
