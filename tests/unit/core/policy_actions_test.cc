// Actions, replies, first-match order, MAIL FROM stage and RFC 9990 override
// reasons of the policy engine (docs/policy.md).
#include <catch2/catch.hpp>

#include "policy_test_util.h"

using namespace alignd;
using alignd::testing::compile_policy;
using alignd::testing::failing_mail;
using alignd::testing::passing_mail;

TEST_CASE("no rules: accept, with a trace saying so") {
  for (const auto& engine : {PolicyEngine(), compile_policy(""), compile_policy("# nothing\n")}) {
    Verdict v = engine.decide(failing_mail());
    CHECK(engine.rule_count() == 0);
    CHECK(v.action == Action::Accept);
    CHECK(v.rule.empty());
    CHECK(v.reply.empty());
    REQUIRE(v.trace.size() == 2);
    CHECK(v.trace[0] == "no rule matched: accept");
    // monitor mode does not apply p=reject: that is the local policy
    CHECK(v.override_reason == "local_policy");
    CHECK(v.trace[1] == "override local_policy: the domain owner asked for reject, applied none");
    CHECK_FALSE(engine.decide_mail_from(failing_mail()));
  }
}

TEST_CASE("first match wins, in file order and across files in the given order") {
  const std::string a = R"(
[[rule]]
name = "never"
when = { dmarc = "pass" }
action = "tempfail"

[[rule]]
name = "first"
when = { dmarc = "fail" }
action = "quarantine"
)";
  const std::string b = R"(
[[rule]]
name = "second"
when = { dmarc = "fail" }
action = "reject"

[[rule]]
name = "disabled"
enabled = false
action = "reject"
)";
  auto ab = PolicyEngine::compile({{"a.toml", a}, {"b.toml", b}});
  CHECK(ab.rule_count() == 3);
  Verdict v = ab.decide(failing_mail());
  CHECK(v.rule == "first");
  CHECK(v.action == Action::Quarantine);
  REQUIRE(v.trace.size() >= 2);
  CHECK(v.trace[0] == "rule 'never' did not match: dmarc=fail (wanted pass)");
  CHECK(v.trace[1] == "rule 'first' matched: dmarc=fail");

  auto ba = PolicyEngine::compile({{"b.toml", b}, {"a.toml", a}});
  CHECK(ba.decide(failing_mail()).rule == "second");
  // a disabled rule is never evaluated
  Verdict pass = ba.decide(passing_mail());
  CHECK(pass.rule == "never");
  auto only_disabled =
      compile_policy("[[rule]]\nname = \"d\"\nenabled = false\naction = \"reject\"\n");
  CHECK(only_disabled.decide(failing_mail()).action == Action::Accept);
}

TEST_CASE("reject and tempfail replies: defaults, custom codes and texts, placeholders") {
  struct Case {
    const char* rule;  // TOML body after name/when
    const char* want;  // SmtpReply::str()
  };
  const Case cases[] = {
      {R"(action = "reject")", "550 5.7.1 Message rejected: example.com DMARC policy is reject"},
      {R"(action = "reject"
reply = "Go away")",
       "550 5.7.1 Go away"},
      {R"x(action = "reject"
reply = "554 5.7.5 Bad mail from {from_domain} via {client_ip} ({rule})")x",
       "554 5.7.5 Bad mail from example.com via 203.0.113.5 (r)"},
      {R"(action = "reject"
reply = "550 5.7.1 {{literal}} {dmarc} p={dmarc_policy} at {policy_domain} spf={spf} {spf_domain} {mail_from} {helo} {queue_id}")",
       "550 5.7.1 {literal} fail p=reject at example.com spf=fail attacker.example "
       "<alice@attacker.example> mx.attacker.example 4XyZ1"},
      {R"(action = "reject"
reply = "550 5.7.1")",
       "550 5.7.1 Message rejected: example.com DMARC policy is reject"},
      {R"(action = "tempfail")", "451 4.4.3 Temporary local policy failure, try again later"},
      {R"(action = "tempfail"
reply = "450 4.7.1 Slow down")",
       "450 4.7.1 Slow down"},
  };
  for (const auto& c : cases) {
    std::string text = std::string("[[rule]]\nname = \"r\"\n") + c.rule + "\n";
    INFO(text);
    Verdict v = compile_policy(text).decide(failing_mail());
    CHECK(v.reply.str() == c.want);
  }
  // not a DMARC failure: the default text does not blame DMARC
  Verdict v =
      compile_policy("[[rule]]\nname = \"r\"\naction = \"reject\"\n").decide(passing_mail());
  CHECK(v.reply.str() == "550 5.7.1 Message rejected by local policy");
  Evidence dns = failing_mail();
  dns.dns_temperror = true;
  CHECK(compile_policy("[[rule]]\nname = \"r\"\naction = \"tempfail\"\n").decide(dns).reply.str() ==
        "451 4.4.3 Temporary DNS failure, try again later");
  // sp= applied: the text names the From domain and the tag's value
  Evidence sub = failing_mail();
  sub.dmarc.author_domain = "news.example.com";
  sub.dmarc.requested_policy = RequestedPolicy::Quarantine;
  sub.dmarc.policy_tag = "sp";
  CHECK(compile_policy("[[rule]]\nname = \"r\"\naction = \"reject\"\n").decide(sub).reply.str() ==
        "550 5.7.1 Message rejected: news.example.com DMARC policy is quarantine");
}

TEST_CASE("placeholder values cannot inject CR LF or non-ASCII into replies and headers") {
  Evidence ev = failing_mail();
  ev.dmarc.author_domain = "evil.example\r\n250 OK\xc3\xa9";
  auto engine = compile_policy(R"(
[[rule]]
name = "r"
action = "reject"
reply = "550 5.7.1 from {from_domain}"
)");
  CHECK(engine.decide(ev).reply.str() == "550 5.7.1 from evil.example??250 OK??");
  Verdict def = compile_policy("[[rule]]\nname = \"r\"\naction = \"reject\"\n").decide(ev);
  CHECK(def.reply.text.find('\r') == std::string::npos);
  CHECK(def.reply.text.find('\n') == std::string::npos);
}

TEST_CASE("tag: headers and Subject prefix") {
  auto engine = compile_policy(R"(
[[rule]]
name = "tag-spf-fail"
when = { spf = "fail" }
action = "tag"
add_header = ["X-Alignd-Warning: SPF {spf} for {spf_domain}", "X-Spam-Flag:YES"]
subject_prefix = "[SPF FAIL] "
)");
  Verdict v = engine.decide(failing_mail());
  CHECK(v.action == Action::Tag);
  REQUIRE(v.add_headers.size() == 2);
  CHECK(v.add_headers[0].name == "X-Alignd-Warning");
  CHECK(v.add_headers[0].value == "SPF fail for attacker.example");
  CHECK(v.add_headers[1].name == "X-Spam-Flag");
  CHECK(v.add_headers[1].value == "YES");
  CHECK(v.subject_prefix == "[SPF FAIL] ");
  CHECK(v.reply.empty());
  REQUIRE(v.trace.size() >= 2);
  CHECK(v.trace[1] ==
        "action tag: add X-Alignd-Warning, add X-Spam-Flag, Subject prefix '[SPF FAIL] '");

  auto single =
      compile_policy("[[rule]]\nname = \"t\"\naction = \"tag\"\nadd_header = \"X-One: 1\"\n");
  REQUIRE(single.decide(failing_mail()).add_headers.size() == 1);
}

TEST_CASE("quarantine: reason, default and custom") {
  Verdict def =
      compile_policy("[[rule]]\nname = \"q\"\naction = \"quarantine\"\n").decide(failing_mail());
  CHECK(def.action == Action::Quarantine);
  CHECK(def.quarantine_reason == "alignd rule 'q': dmarc=fail from=example.com");
  Verdict custom = compile_policy(
                       "[[rule]]\nname = \"q\"\naction = \"quarantine\"\n"
                       "reason = \"DMARC {dmarc} for {from_domain} (p={dmarc_policy})\"\n")
                       .decide(failing_mail());
  CHECK(custom.quarantine_reason == "DMARC fail for example.com (p=reject)");
  CHECK(custom.reply.empty());
}

TEST_CASE("MAIL FROM stage: early SPF reject (RFC 7372) and defer") {
  auto engine = compile_policy(R"(
[[rule]]
name = "trusted-clients"
stage = "mail_from"
when = { client_network = "192.0.2.0/24" }
action = "accept"

[[rule]]
name = "spf-reject"
stage = "mail_from"
when = { spf = "fail", authenticated = false }
action = "reject"

[[rule]]
name = "spf-defer"
stage = "mail_from"
when = { spf = "temperror" }
action = "tempfail"

[[rule]]
name = "custom"
stage = "mail_from"
when = { spf = "permerror" }
action = "reject"
reply = "550 5.7.24 Broken SPF record for {spf_domain}"

[[rule]]
name = "at-eom"
action = "tag"
subject_prefix = "[seen] "
)");
  CHECK(engine.rule_count() == 5);
  Evidence ev = failing_mail();
  auto v = engine.decide_mail_from(ev);
  REQUIRE(v);
  CHECK(v->action == Action::Reject);
  CHECK(v->rule == "spf-reject");
  CHECK(v->reply.str() == "550 5.7.23 SPF validation failed for attacker.example");
  REQUIRE_FALSE(v->trace.empty());
  CHECK(v->trace[0] == "rule 'spf-reject' matched at MAIL FROM: spf=fail, authenticated=false");

  ev.spf_mailfrom.result = Outcome::TempError;
  v = engine.decide_mail_from(ev);
  REQUIRE(v);
  CHECK(v->action == Action::TempFail);
  CHECK(v->reply.str() == "451 4.7.24 SPF validation error for attacker.example, try again later");

  ev.spf_mailfrom.result = Outcome::PermError;
  CHECK(engine.decide_mail_from(ev)->reply.str() ==
        "550 5.7.24 Broken SPF record for attacker.example");

  // an accept at MAIL FROM ends the MAIL FROM rules: go on
  ev = failing_mail();
  ev.client_ip = "192.0.2.99";
  CHECK_FALSE(engine.decide_mail_from(ev));
  // nothing matches: go on
  CHECK_FALSE(engine.decide_mail_from(passing_mail()));
  ev = failing_mail();
  ev.authenticated = true;
  CHECK_FALSE(engine.decide_mail_from(ev));

  // decide() at end of message skips the MAIL FROM rules
  Verdict eom = engine.decide(failing_mail());
  CHECK(eom.rule == "at-eom");
  REQUIRE(eom.trace.size() >= 1);
  CHECK(eom.trace[0] == "rule 'at-eom' matched: no conditions");
}

TEST_CASE("override reasons (RFC 9990 §4.3)") {
  struct Case {
    const char* name;
    const char* rule;  // TOML body of one rule named "r" (may be empty: no rule)
    std::function<void(Evidence&)> setup;
    const char* want_reason;
    const char* want_comment;
  };
  auto none = [](Evidence&) {};
  auto testing = [](Evidence& e) { e.dmarc.testing = true; };
  auto quarantine = [](Evidence& e) { e.dmarc.requested_policy = RequestedPolicy::Quarantine; };
  auto p_none = [](Evidence& e) { e.dmarc.requested_policy = RequestedPolicy::None; };
  auto pass = [](Evidence& e) { e = passing_mail(); };
  const Case cases[] = {
      {"reject applied: no override", R"(action = "reject")", none, "", ""},
      {"accept p=reject: local policy", R"(action = "accept")", none, "local_policy", ""},
      {"tag p=reject: local policy", "action = \"tag\"\nsubject_prefix = \"x\"", none,
       "local_policy", ""},
      {"quarantine p=reject: weaker", R"(action = "quarantine")", none, "local_policy", ""},
      {"quarantine p=quarantine: no override", R"(action = "quarantine")", quarantine, "", ""},
      {"accept p=quarantine", R"(action = "accept")", quarantine, "local_policy", ""},
      {"accept p=none: nothing requested", R"(action = "accept")", p_none, "", ""},
      {"tempfail: no disposition yet", R"(action = "tempfail")", none, "", ""},
      {"t=y: policy_test_mode", R"(action = "accept")", testing, "policy_test_mode", ""},
      {"no rule, t=y", "", testing, "policy_test_mode", ""},
      {"mailing list", "action = \"accept\"\noverride = \"mailing_list\"", none, "mailing_list",
       ""},
      {"forwarder with comment",
       "action = \"accept\"\noverride = \"trusted_forwarder\"\ncomment = \"our backup MX\"", none,
       "trusted_forwarder", "our backup MX"},
      {"rule's override wins over t=y", "action = \"accept\"\noverride = \"mailing_list\"", testing,
       "mailing_list", ""},
      {"other with comment", "action = \"accept\"\noverride = \"other\"\ncomment = \"why\"", none,
       "other", "why"},
      {"DMARC pass: nothing overridden", "action = \"accept\"\noverride = \"mailing_list\"", pass,
       "", ""},
      {"reject applied despite override key: none",
       "action = \"quarantine\"\noverride = \"local_policy\"", quarantine, "", ""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::string text = *c.rule ? std::string("[[rule]]\nname = \"r\"\n") + c.rule + "\n" : "";
    Evidence ev = failing_mail();
    c.setup(ev);
    Verdict v = compile_policy(text).decide(ev);
    for (const auto& t : v.trace) INFO(t);
    CHECK(v.override_reason == c.want_reason);
    CHECK(v.override_comment == c.want_comment);
  }
  // the trace says when a rule's override was not needed
  Verdict v =
      compile_policy("[[rule]]\nname = \"r\"\naction = \"accept\"\noverride = \"mailing_list\"\n")
          .decide(passing_mail());
  REQUIRE(v.trace.size() == 3);
  CHECK(v.trace[2] ==
        "override 'mailing_list' not recorded: DMARC did not fail, nothing was overridden");
}
