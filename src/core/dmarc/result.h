// The outcome of one DMARC evaluation (RFC 9989 §4.8 and §5), as reported in
// Authentication-Results, `alignd eval --json`, the store and aggregate reports.
#pragma once
#include <optional>
#include <string>

#include <string_view>

#include "core/outcome.h"

namespace alignd {

enum class RequestedPolicy { None, Quarantine, Reject };
std::string_view to_string(RequestedPolicy p);

struct DmarcResult {
  Outcome result = Outcome::None;  // pass | fail | none | temperror | permerror
  bool evaluated = false;          // false when DMARC was not applied (outbound, no From)
  std::string author_domain;       // RFC5322.From domain (A-label, lowercase)
  std::string policy_domain;       // where the record was found
  std::string organizational_domain;
  std::string discovery;           // "tree-walk" | "psl"
  std::string record;              // the DMARC record text as published
  RequestedPolicy requested_policy = RequestedPolicy::None;  // p/sp/np after selection
  std::string policy_tag;          // which tag applied: "p", "sp" or "np"
  bool testing = false;            // t=y (RFC 9989) — report, do not enforce
  bool spf_aligned = false;
  bool dkim_aligned = false;
  std::string aligned_dkim_domain; // d= of the first aligned passing signature
  std::string reason;              // human-readable summary
  // Filled after the policy decision: "none" | "quarantine" | "reject" as applied
  // (RFC 9990 disposition), for Authentication-Results "dis=" and reports.
  std::string applied_disposition;
};

}  // namespace alignd
