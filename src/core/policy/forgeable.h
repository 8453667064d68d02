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

#include <toml++/toml.h>

#include "core/verdict.h"

namespace alignd::policy {

// For a compiled (already valid) `when` table and the rule's action: why the
// rule lifts a DMARC failure on forgeable conditions only, or nullopt when it
// does not (no `dmarc = "fail"`, limited to policies it does not weaken, no
// forgeable condition at all, or anchored to the host by client_network,
// client_name, trusted, authenticated, or mail_from_domain with spf = "pass").
std::optional<std::string> forgeable_lift(const toml::table& when, Action action);

}  // namespace alignd::policy
