// PolicyEngine: first matching rule decides; the reason trace says which rule
// fired and why each earlier one did not; an override of the domain owner's
// request records its RFC 9990 §4.3 PolicyOverrideType for the reports.
#include "core/policy/engine.h"

#include "core/policy/reader.h"
#include "core/policy/rule.h"

namespace alignd {

using policy::Rule;
using policy::Stage;

struct PolicyEngine::Impl {
  std::vector<Rule> rules;
};

PolicyEngine::PolicyEngine() : impl_(std::make_unique<Impl>()) {}
PolicyEngine::~PolicyEngine() = default;
PolicyEngine::PolicyEngine(PolicyEngine&&) noexcept = default;
PolicyEngine& PolicyEngine::operator=(PolicyEngine&&) noexcept = default;

PolicyEngine PolicyEngine::compile(const std::vector<PolicySource>& sources) {
  PolicyEngine e;
  e.impl_->rules = policy::compile_rules(sources);
  return e;
}

bool PolicyEngine::uses_condition(std::string_view key) const {
  if (!impl_) return false;
  for (const auto& rule : impl_->rules)
    for (const auto& c : rule.when)
      if (c.key == key) return true;
  return false;
}

size_t PolicyEngine::rule_count() const {
  return impl_ ? impl_->rules.size() : 0;
}

namespace {

// Evaluates one rule; on a match `why` lists every condition, else the first that failed.
bool matches(const Rule& rule, const Evidence& ev, std::string& why) {
  std::vector<std::string> notes;
  for (const auto& c : rule.when) {
    std::string note;
    if (!c.test(ev, note)) {
      why = note;
      return false;
    }
    notes.push_back(note);
  }
  why = notes.empty() ? "no conditions" : policy::join(notes);
  return true;
}

// The default texts name what the reply is about.
std::string default_text(const Rule& rule, const Evidence& ev) {
  if (rule.stage == Stage::MailFrom) {
    std::string d = policy::printable(ev.spf_mailfrom.domain);
    std::string for_d = d.empty() ? "" : " for " + d;
    // RFC 7372 §3.2: 5.7.23 SPF validation failed, 4.7.24 SPF validation error.
    return rule.action == Action::Reject ? "SPF validation failed" + for_d
                                         : "SPF validation error" + for_d + ", try again later";
  }
  if (rule.action == Action::TempFail)
    return ev.dns_temperror ? "Temporary DNS failure, try again later"
                            : "Temporary local policy failure, try again later";
  // RFC 9989 §11.5: a From that does not name one author is a threat of its own.
  if (!ev.from_problem.empty() && ev.from_problem != "multiple-addresses")
    return "Message rejected: the From header field does not name one author (" +
           policy::printable(ev.from_problem) + ")";
  if (ev.dmarc.result == Outcome::Fail) {
    std::string d =
        ev.dmarc.author_domain.empty() ? ev.dmarc.policy_domain : ev.dmarc.author_domain;
    return "Message rejected: " + policy::printable(d) + " DMARC policy is " +
           std::string(to_string(ev.dmarc.requested_policy));
  }
  return "Message rejected by local policy";
}

SmtpReply reply_for(const Rule& rule, const Evidence& ev) {
  SmtpReply r;
  if (!rule.code.empty()) {
    r.code = rule.code;
    r.xcode = rule.xcode;
  } else if (rule.stage == Stage::MailFrom) {
    r.code = rule.action == Action::Reject ? "550" : "451";
    r.xcode = rule.action == Action::Reject ? "5.7.23" : "4.7.24";
  } else {
    r.code = rule.action == Action::Reject ? "550" : "451";
    r.xcode = rule.action == Action::Reject ? "5.7.1" : "4.4.3";
  }
  r.text = rule.reply_text ? rule.reply_text->expand(ev, rule.name) : default_text(rule, ev);
  return r;
}

void apply(const Rule& rule, const Evidence& ev, Verdict& v) {
  v.action = rule.action;
  v.rule = rule.name;
  std::string detail;
  switch (rule.action) {
    case Action::Accept: break;
    case Action::Tag:
      for (const auto& h : rule.add_headers) {
        v.add_headers.push_back({h.name, h.value.expand(ev, rule.name)});
        detail += (detail.empty() ? "" : ", ") + ("add " + h.name);
      }
      if (rule.subject_prefix) {
        v.subject_prefix = rule.subject_prefix->expand(ev, rule.name);
        detail += (detail.empty() ? "" : ", ") + ("Subject prefix '" + v.subject_prefix + "'");
      }
      break;
    case Action::Quarantine:
      v.quarantine_reason = rule.reason
                                ? rule.reason->expand(ev, rule.name)
                                : "alignd rule '" + rule.name +
                                      "': dmarc=" + std::string(to_string(ev.dmarc.result)) +
                                      " from=" + policy::printable(ev.dmarc.author_domain);
      detail = "reason '" + v.quarantine_reason + "'";
      break;
    case Action::Reject:
    case Action::TempFail:
      v.reply = reply_for(rule, ev);
      detail = v.reply.str();
      break;
  }
  v.trace.push_back("action " + std::string(to_string(rule.action)) +
                    (detail.empty() ? "" : ": " + detail));
}

// Dispositions ordered by strength (RFC 9989 §4.7: none < quarantine < reject).
int strength(RequestedPolicy p) {
  return static_cast<int>(p);
}
std::optional<RequestedPolicy> disposition(Action a) {
  switch (a) {
    case Action::Accept:
    case Action::Tag: return RequestedPolicy::None;
    case Action::Quarantine: return RequestedPolicy::Quarantine;
    case Action::Reject: return RequestedPolicy::Reject;
    case Action::TempFail: return std::nullopt;  // no final disposition yet
  }
  return std::nullopt;
}

// RFC 9990 §4.3: when DMARC failed and we applied less than the domain owner
// asked for, say why. A rule's `override` wins; else t=y, pct sampling, local policy.
void record_override(const Rule* rule, const Evidence& ev, Verdict& v) {
  if (ev.dmarc.result != Outcome::Fail) {
    if (rule && !rule->override_type.empty())
      v.trace.push_back("override '" + rule->override_type +
                        "' not recorded: DMARC did not fail, nothing was overridden");
    return;
  }
  auto applied = disposition(v.action);
  if (!applied || strength(*applied) >= strength(ev.dmarc.requested_policy)) return;
  if (rule && !rule->override_type.empty()) {
    v.override_reason = rule->override_type;
    v.override_comment = rule->override_comment;
    v.override_arc = rule->rests_on_arc;
  } else if (ev.dmarc.testing) {
    v.override_reason = "policy_test_mode";
  } else if (policy::sampled_out(ev.dmarc)) {
    v.override_reason = "sampled_out";
  } else {
    v.override_reason = "local_policy";
    if (rule) v.override_comment = rule->override_comment;
  }
  v.trace.push_back("override " + v.override_reason + ": the domain owner asked for " +
                    std::string(to_string(ev.dmarc.requested_policy)) + ", applied " +
                    std::string(to_string(*applied)));
}

}  // namespace

Verdict PolicyEngine::decide(const Evidence& ev) const {
  Verdict v;
  const Rule* fired = nullptr;
  static const std::vector<Rule> kNone;
  for (const auto& rule : impl_ ? impl_->rules : kNone) {
    if (rule.stage != Stage::Message) continue;
    std::string why;
    if (!matches(rule, ev, why)) {
      v.trace.push_back("rule '" + rule.name + "' did not match: " + why);
      continue;
    }
    v.trace.push_back("rule '" + rule.name + "' matched: " + why);
    apply(rule, ev, v);
    fired = &rule;
    break;
  }
  if (!fired) v.trace.push_back("no rule matched: accept");
  record_override(fired, ev, v);
  return v;
}

std::optional<Verdict> PolicyEngine::decide_mail_from(const Evidence& ev) const {
  if (!impl_) return std::nullopt;  // moved-from
  for (const auto& rule : impl_->rules) {
    if (rule.stage != Stage::MailFrom) continue;
    std::string why;
    if (!matches(rule, ev, why)) continue;
    if (rule.action == Action::Accept) return std::nullopt;  // first match: go on
    Verdict v;
    v.trace.push_back("rule '" + rule.name + "' matched at MAIL FROM: " + why);
    apply(rule, ev, v);
    return v;
  }
  return std::nullopt;
}

}  // namespace alignd
