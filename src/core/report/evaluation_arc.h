// ARC (RFC 8617) as an evaluation row keeps it (issue 13): the chain validation
// status (§4.4), each ARC Set's sealer (ARC-Seal d= and s=, §4.1.3), the oldest
// instance whose AMS still validates (§5.2 step 5), the trusted instance that
// recorded dmarc=pass, and whether the DMARC override rested on the chain. Also the
// <reason><comment> the aggregate report carries for such an override: RFC 9990
// (Appendix A, PolicyOverrideReason) has no ARC element, so the chain summary goes
// in the comment, in the form OpenDMARC and Google are reported to use. Pure values.
#pragma once
#include <string>
#include <vector>

#include "core/arc/result.h"

namespace alignd {

struct ArcSetSealer {
  int instance = 0;      // i=
  std::string domain;    // ARC-Seal d=, lowercase
  std::string selector;  // ARC-Seal s=
  bool operator==(const ArcSetSealer&) const = default;
};

struct EvaluationArc {
  std::string result;  // "none" | "pass" | "fail"; "" = not recorded (older rows, verify off)
  std::string reason;                 // why the chain failed, "" otherwise
  std::vector<ArcSetSealer> sealers;  // instance 1..N, when the chain's structure was valid
  int oldest_pass = -1;               // RFC 8617 §5.2 step 5 (0 = all AMSs pass); -1 = n/a
  int trusted_instance = 0;           // whose AAR recorded dmarc=pass, all seals above trusted
  bool override_used = false;         // the DMARC override came from a rule on ARC trust
  bool operator==(const EvaluationArc&) const = default;
};

// What the row keeps of a verified chain (`override_used` is the caller's).
EvaluationArc evaluation_arc(const ArcResult& arc);

// "arc=pass as[2].d=relay.example as[2].s=sel as[1].d=list.example as[1].s=sel
// oldest-pass=0 aar[1].dmarc=pass", newest instance first, then "; " and
// `rule_comment` when it is not empty. Names are cut to printable ASCII without
// blanks (they came from the message), at most 10 instances are named.
std::string arc_reason_comment(const EvaluationArc& arc, const std::string& rule_comment);

}  // namespace alignd
