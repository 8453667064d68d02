// ARC policy conditions (core/policy/arc_conditions.h) and enforce.toml's
// arc-trusted-sealer rule, one case per way an attacker might try to get the
// DMARC override (docs/arc.md).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "core/arc/trust.h"
#include "policy_test_util.h"

using namespace alignd;
using alignd::testing::compile_policy;
using alignd::testing::failing_mail;
using alignd::testing::policy_error;

namespace {

const std::vector<std::string> kTrusted = {"lists.example.org", "fwd.example.net"};

struct Hop {
  std::string sealer;
  std::string dmarc;       // AAR dmarc= ("" = none)
  std::string dmarc_from;  // its header.from
  std::vector<std::string> spf = {}, dkim = {};
};

// failing_mail() (DMARC fail for example.com, p=reject) arriving through `hops`.
Evidence through(std::vector<Hop> hops, Outcome status = Outcome::Pass) {
  Evidence ev = failing_mail();
  ev.arc.checked = true;
  ev.arc.status = status;
  int i = 0;
  for (auto& h : hops) {
    ArcSetInfo s;
    s.instance = ++i;
    s.seal_domain = h.sealer;
    s.aar.dmarc = h.dmarc;
    s.aar.dmarc_from = h.dmarc_from;
    s.aar.spf = h.spf;
    s.aar.dkim = h.dkim;
    ev.arc.sets.push_back(s);
  }
  ev.arc.max_instance = i;
  apply_arc_trust(ev.arc, kTrusted, ev.dmarc.author_domain);
  return ev;
}

PolicyEngine enforce() {
  std::ifstream in(std::string(ALIGND_SOURCE_DIR) + "/policies/enforce.toml");
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return PolicyEngine::compile({PolicySource{"enforce.toml", s.str()}});
}

}  // namespace

TEST_CASE("enforce.toml: ARC overrides DMARC only for a trusted sealer's recorded pass") {
  auto engine = enforce();
  struct Case {
    const char* name;
    Evidence ev;
    Action action;
    const char* rule;
    const char* override;
  };
  Evidence quarantine = through({{"lists.example.org", "pass", "example.com"}});
  quarantine.dmarc.requested_policy = RequestedPolicy::Quarantine;
  Evidence dmarc_pass = through({{"lists.example.org", "pass", "example.com"}});
  dmarc_pass.dmarc.result = Outcome::Pass;
  const Case cases[] = {
      {"trusted list saw dmarc=pass", through({{"lists.example.org", "pass", "example.com"}}),
       Action::Accept, "arc-trusted-sealer", "trusted_forwarder"},
      {"trusted list, then a trusted forwarder",
       through({{"lists.example.org", "pass", "example.com"},
                {"fwd.example.net", "fail", "example.com"}}),
       Action::Accept, "arc-trusted-sealer", "trusted_forwarder"},
      {"p=quarantine", quarantine, Action::Accept, "arc-trusted-sealer", "trusted_forwarder"},
      {"DMARC passed anyway: nothing to override", dmarc_pass, Action::Accept, "", ""},
      {"no ARC at all", failing_mail(), Action::Reject, "dmarc-reject", ""},
      {"untrusted sealer claims dmarc=pass", through({{"evil.example", "pass", "example.com"}}),
       Action::Reject, "dmarc-reject", ""},
      {"trusted sealer recorded dmarc=fail",
       through({{"lists.example.org", "fail", "example.com"}}), Action::Reject, "dmarc-reject", ""},
      {"trusted sealer recorded pass for another domain",
       through({{"lists.example.org", "pass", "evil.example"}}), Action::Reject, "dmarc-reject",
       ""},
      {"trusted sealer recorded dmarc=pass without header.from",
       through({{"lists.example.org", "pass", ""}}), Action::Reject, "dmarc-reject", ""},
      {"chain failed (tampered after sealing)",
       through({{"lists.example.org", "pass", "example.com"}}, Outcome::Fail), Action::Reject,
       "dmarc-reject", ""},
      {"untrusted hop's pass resealed by a trusted list",
       through({{"evil.example", "pass", "example.com"}, {"lists.example.org", "", ""}}),
       Action::Reject, "dmarc-reject", ""},
      {"trusted pass, then an untrusted newest seal",
       through({{"lists.example.org", "pass", "example.com"}, {"evil.example", "", ""}}),
       Action::Reject, "dmarc-reject", ""},
      {"look-alike sealer domain",
       through({{"lists.example.org.evil.example", "pass", "example.com"}}), Action::Reject,
       "dmarc-reject", ""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Verdict v = engine.decide(c.ev);
    for (const auto& t : v.trace) INFO(t);
    CHECK(v.action == c.action);
    CHECK(v.rule == c.rule);
    CHECK(v.override_reason == c.override);
  }
  Verdict v = engine.decide(through({{"lists.example.org", "pass", "example.com"}}));
  CHECK(std::find(v.trace.begin(), v.trace.end(),
                  "rule 'arc-trusted-sealer' matched: dmarc=fail, arc_trusted_pass=true (i=1 "
                  "lists.example.org recorded dmarc=pass for example.com)") != v.trace.end());
}

TEST_CASE("condition: arc, arc_trusted_sealer, arc_trusted_dmarc/spf/dkim") {
  struct Case {
    const char* when;
    Evidence ev;
    bool want;
  };
  Evidence trusted =
      through({{"lists.example.org", "pass", "example.com", {"fail"}, {"pass", "fail"}}});
  Evidence untrusted = through({{"other.example", "pass", "example.com", {"pass"}, {"pass"}}});
  const Case cases[] = {
      {R"({ arc = "pass" })", trusted, true},
      {R"({ arc = ["fail", "none"] })", trusted, false},
      {R"({ arc = "none" })", failing_mail(), true},
      {R"({ arc = "fail" })", through({{"lists.example.org", "", ""}}, Outcome::Fail), true},
      {R"({ arc_trusted_sealer = true })", trusted, true},
      {R"({ arc_trusted_sealer = true })", untrusted, false},
      {R"({ arc_trusted_sealer = false })", untrusted, true},
      {R"({ arc_trusted_pass = true })", untrusted, false},
      {R"({ arc_trusted_dmarc = "pass" })", trusted, true},
      {R"({ arc_trusted_dmarc = "pass" })", untrusted, false},
      {R"({ arc_trusted_dmarc = "none" })", untrusted, true},
      {R"({ arc_trusted_spf = "fail" })", trusted, true},
      {R"({ arc_trusted_spf = "pass" })", trusted, false},
      {R"({ arc_trusted_dkim = "pass" })", trusted, true},
      {R"({ arc_trusted_dkim = ["PASS"] })", untrusted, false},
  };
  for (const auto& c : cases) {
    std::string text =
        std::string("[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = ") + c.when + "\n";
    INFO(text);
    Verdict v = compile_policy(text).decide(c.ev);
    for (const auto& t : v.trace) INFO(t);
    CHECK((v.rule == "r") == c.want);
  }
  CHECK(policy_error("[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { arc = \"maybe\" }\n")
            .find("arc value") != std::string::npos);
  CHECK(policy_error("[[rule]]\nname = \"r\"\nstage = \"mail_from\"\naction = \"reject\"\n"
                     "when = { arc_trusted_pass = true }\n")
            .find("not known at stage 'mail_from'") != std::string::npos);
}
