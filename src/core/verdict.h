// What the policy engine decided for one message, and how to carry it out.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/header.h"

namespace alignd {

enum class Action { Accept, Tag, Quarantine, Reject, TempFail };
std::string_view to_string(Action a);

// An SMTP reply: "550" "5.7.1" "text". Empty code = no explicit reply.
struct SmtpReply {
  std::string code;
  std::string xcode;
  std::string text;
  bool empty() const { return code.empty(); }
  std::string str() const;  // "550 5.7.1 text"
};

struct Verdict {
  Action action = Action::Accept;
  SmtpReply reply;                      // for Reject / TempFail
  std::string rule;                     // the rule that fired; "" = no rule matched
  std::vector<std::string> trace;       // human-readable reasons, in order
  std::vector<HeaderField> add_headers; // Tag: extra header fields
  std::string subject_prefix;           // Tag: prefix for Subject
  std::string quarantine_reason;        // Quarantine: passed to smfi_quarantine
  // RFC 9990 PolicyOverrideType when the applied disposition differs from the
  // domain owner's request: local_policy, trusted_forwarder, mailing_list,
  // policy_test_mode, sampled_out; "" = no override.
  std::string override_reason;
  std::string override_comment;
  // The override came from a rule with an ARC trust condition (arc_trusted_*,
  // docs/arc.md): the reports name the chain with it (core/report/evaluation_arc.h).
  bool override_arc = false;
};

}  // namespace alignd
