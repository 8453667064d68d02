// Which keys sign one outbound message, and — when none does — why not, in
// words for `alignd eval`, its --json and the log line. Key choice itself is
// select_signing_keys() (keys.h); this adds the explanation and the RFC 6376
// §5 "already signed" check. The signing is dkim_signer.h's job.
#pragma once
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "auth/keys.h"
#include "core/header.h"

namespace alignd {

// Why an outbound message carries no signature of ours (or only some).
enum class NotSigned {
  Signed,         // at least one key signs
  NotOutbound,    // inbound mail is not signed
  NoFromDomain,   // the From field names no single domain
  NoKey,          // no [[signing.keys]] entry covers the From domain
  NotYetValid,    // keys exist, none valid yet (not_before in the future)
  Expired,        // keys exist, all past not_after
  AlreadySigned,  // every selected key's signature is already present (re-injection)
  // Reserved for the sender-login map (another work item): the authenticated
  // user may not send as the From domain. Set by the caller, never here.
  LoginNotAllowed,
};
std::string_view to_string(NotSigned r);  // "signed", "no-key", "expired", ...

struct SigningPlan {
  std::vector<const SigningKey*> keys;  // to sign with; empty = not signed
  NotSigned status = NotSigned::NotOutbound;
  std::string detail;                // human-readable: "no key for example.org in [[signing.keys]]"
  std::vector<std::string> skipped;  // "example.com/s1": keys whose signature is already there
};

// `from_domain` "" when the From gives no single domain. `outbound` false: not signed.
SigningPlan plan_signing(const std::vector<SigningKey>& keys, bool outbound,
                         std::string_view from_domain, const HeaderList& headers, std::time_t now);

}  // namespace alignd
