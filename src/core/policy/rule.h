// One compiled policy rule: its conditions (all must hold) and its action.
// Built by compile_rules() from TOML; evaluated by PolicyEngine. Pure values.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/evidence.h"
#include "core/header.h"
#include "core/policy/engine.h"
#include "core/policy/template.h"
#include "core/verdict.h"

namespace alignd::policy {

// When a rule is evaluated: at end of message (the default), or at MAIL FROM
// where only the connection, the envelope sender and SPF are known.
enum class Stage { Message, MailFrom };

// One condition of a rule's `when` table. test() says whether it holds and
// writes a short explanation either way ("dmarc=fail", "dmarc=pass (wanted fail)").
struct Condition {
  std::string key;
  std::function<bool(const Evidence&, std::string& note)> test;
};

struct Rule {
  std::string name;
  std::string description;
  std::string where;  // "path:line:column" of the [[rule]], for messages
  Stage stage = Stage::Message;
  std::vector<Condition> when;

  Action action = Action::Accept;
  // reject / tempfail: the reply; an empty text template means "the default text".
  std::string code, xcode;
  std::optional<Template> reply_text;
  // tag
  struct HeaderTemplate {
    std::string name;
    Template value;
  };
  std::vector<HeaderTemplate> add_headers;
  std::optional<Template> subject_prefix;
  // quarantine
  std::optional<Template> reason;
  // RFC 9990 §4.3 PolicyOverrideType this rule records when it weakens the
  // domain owner's requested policy; "" = decided automatically.
  std::string override_type;
  std::string override_comment;
  // Some condition rests on trusted ARC sealers (arc_trusted_*): an override this
  // rule records is an ARC override (Verdict::override_arc).
  bool rests_on_arc = false;
};

// RFC 7489 §6.6.4 `pct` sampling left this message out of the policy. Read
// through a requires-expression so the engine builds whether or not
// DmarcResult (owned by the DMARC evaluation) carries `sampled_out` yet.
template <class R>
bool sampled_out(const R& dmarc) {
  if constexpr (requires { dmarc.sampled_out; }) {
    return static_cast<bool>(dmarc.sampled_out);
  } else {
    return false;
  }
}

// The policy to apply to a DMARC failure: the requested one, one level lower
// when the owner is testing (t=y, RFC 9989 §4.7: reject -> quarantine,
// quarantine -> none) or, in RFC 7489 mode, when pct sampling left the message
// out (RFC 7489 §6.6.4).
inline RequestedPolicy effective_policy(const DmarcResult& d) {
  if (!d.testing && !sampled_out(d)) return d.requested_policy;
  return d.requested_policy == RequestedPolicy::Reject ? RequestedPolicy::Quarantine
                                                       : RequestedPolicy::None;
}

// Parses every source in order. Throws PolicyError (path:line:column: message).
std::vector<Rule> compile_rules(const std::vector<PolicySource>& sources);

}  // namespace alignd::policy
