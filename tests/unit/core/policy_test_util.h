// Helpers shared by the policy engine tests: compile TOML text, catch the
// error text, and a baseline Evidence (DMARC fail, p=reject) to vary.
#pragma once
#include <string>

#include "core/policy/engine.h"

namespace alignd::testing {

inline PolicyEngine compile_policy(const std::string& text, const std::string& path = "t.toml") {
  return PolicyEngine::compile({PolicySource{path, text}});
}

// The PolicyError text, or "(compiled)" when the text was accepted.
inline std::string policy_error(const std::string& text, const std::string& path = "t.toml") {
  try {
    compile_policy(text, path);
  } catch (const PolicyError& e) {
    return e.what();
  }
  return "(compiled)";
}

// A message from example.com that fails DMARC under p=reject, received from
// 203.0.113.5 for bob@example.net; SPF and DKIM fail.
inline Evidence failing_mail() {
  Evidence ev;
  ev.client_ip = "203.0.113.5";
  ev.helo = "mx.attacker.example";
  ev.queue_id = "4XyZ1";
  ev.mail_from = "alice@attacker.example";
  ev.rcpt_to = {"bob@example.net"};
  ev.headers = {{"From", " Alice <alice@example.com>"}, {"Subject", " hello"}};
  ev.spf_helo = {Outcome::None, "mx.attacker.example", "mx.attacker.example", "", "", true};
  ev.spf_mailfrom = {Outcome::Fail, "alice@attacker.example", "attacker.example", "", "", true};
  DkimResult sig;
  sig.result = Outcome::Fail;
  sig.domain = "attacker.example";
  sig.selector = "s1";
  ev.dkim = {sig};
  ev.dmarc.result = Outcome::Fail;
  ev.dmarc.evaluated = true;
  ev.dmarc.author_domain = "example.com";
  ev.dmarc.policy_domain = "example.com";
  ev.dmarc.organizational_domain = "example.com";
  ev.dmarc.discovery = "tree-walk";
  ev.dmarc.record = "v=DMARC1; p=reject";
  ev.dmarc.requested_policy = RequestedPolicy::Reject;
  ev.dmarc.policy_tag = "p";
  return ev;
}

// The same message, authenticated properly: DMARC pass through aligned DKIM.
inline Evidence passing_mail() {
  Evidence ev = failing_mail();
  ev.client_ip = "192.0.2.10";
  ev.mail_from = "alice@example.com";
  ev.spf_mailfrom = {Outcome::Pass, "alice@example.com", "example.com", "", "", true};
  ev.dkim[0].result = Outcome::Pass;
  ev.dkim[0].domain = "example.com";
  ev.dmarc.result = Outcome::Pass;
  ev.dmarc.spf_aligned = true;
  ev.dmarc.dkim_aligned = true;
  ev.dmarc.aligned_dkim_domain = "example.com";
  return ev;
}

}  // namespace alignd::testing
