// Refuses an exemption any sender can claim: a rule that lets a DMARC failure
// through (accept, tag, or quarantine instead of reject) on evidence the sender
// writes itself — header fields, a DKIM signature of any domain, its own SPF
// pass, the envelope sender, the From problem — without anything tied to the
// sending host. Issue 10 item 1: `List-Id` plus the attacker's own DKIM pass
// lifted p=reject for every spoofer. What each condition takes to forge is
// tabled in docs/policy.md ("What an attacker must forge").
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/verdict.h"

namespace alignd::policy {

// For a compiled (already valid) `when` table and the rule's action: why the
// rule lifts a DMARC failure on forgeable conditions only, or nullopt when it
// does not (no `dmarc = "fail"`, limited to policies it does not weaken, no
// forgeable condition at all, or anchored to the host by client_network,
// client_name, trusted, authenticated, or mail_from_domain with spf = "pass").
std::optional<std::string> forgeable_lift(const toml::table& when, Action action);

// The general case: a rule that can match a DMARC failure (no `dmarc`
// condition, or one that includes "fail"), applies accept, tag or quarantine,
// and rests only on conditions the sender writes (`forged`, non-empty), with
// nothing tied to the sending host. Placed after the enforcing rules it never
// sees a spoof they refuse; placed before one, it is an exemption, which
// compile_rules() refuses with forgeable_before().
struct ForgeableMatch {
  std::vector<std::string> forged;  // the sender-written condition keys
  int applied = 0;                  // strength(action)
  int strongest = 0;                // the strongest policy it can meet (effective_policy)
};
std::optional<ForgeableMatch> forgeable_match(const toml::table& when, Action action);

// The rule's `dmarc` condition includes "fail" (false without one).
bool asks_dmarc_fail(const toml::table& when);

// What a rule does to a message it matches: 0 accept/tag, 1 quarantine,
// 2 reject/tempfail.
int strength(Action action);

std::string forgeable_before(const std::string& action, const ForgeableMatch& m,
                             const std::string& later_rule, const std::string& later_action,
                             const std::string& later_where);

}  // namespace alignd::policy
