// The shipped policies (policies/*.toml, policies/examples/*.toml) compile
// and do what their comments and docs/policy.md say on representative mail.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/policy/rule.h"
#include "policy_test_util.h"

using namespace alignd;
using alignd::testing::failing_mail;
using alignd::testing::passing_mail;

namespace {

std::string policy_path(const std::string& rel) {
  return std::string(ALIGND_SOURCE_DIR) + "/policies/" + rel;
}

PolicySource read_policy(const std::string& rel) {
  std::ifstream in(policy_path(rel), std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return {policy_path(rel), s.str()};
}

PolicyEngine load(const std::string& rel) {
  return PolicyEngine::compile({read_policy(rel)});
}

std::vector<std::string> example_files() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(policy_path("examples")))
    if (e.path().extension() == ".toml") out.push_back("examples/" + e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct Case {
  const char* name;
  std::function<void(Evidence&)> setup;  // changes to failing_mail() (DMARC fail, p=reject)
  Action action;
  const char* rule;
  const char* reply;     // SmtpReply::str(), "" = none
  const char* override;  // Verdict::override_reason
};

void check(const PolicyEngine& engine, const Case& c) {
  INFO(c.name);
  Evidence ev = failing_mail();
  c.setup(ev);
  Verdict v = engine.decide(ev);
  for (const auto& t : v.trace) INFO(t);
  CHECK(v.action == c.action);
  CHECK(v.rule == c.rule);
  CHECK(v.reply.str() == c.reply);
  CHECK(v.override_reason == c.override);
  CHECK_FALSE(v.trace.empty());
}

void same(Evidence&) {}
void quarantine(Evidence& e) {
  e.dmarc.requested_policy = RequestedPolicy::Quarantine;
}
void p_none(Evidence& e) {
  e.dmarc.requested_policy = RequestedPolicy::None;
}
void list_id(Evidence& e) {
  e.headers.push_back({"List-Id", " <dev.lists.example.org>"});
}
void list_signed(Evidence& e) {
  list_id(e);
  e.dkim[0].result = Outcome::Pass;
  e.dkim[0].domain = "lists.example.org";
}
// Issue 10 item 1: everything a spoofer can write into its own message.
void list_forged(Evidence& e) {
  e.headers.push_back({"List-Id", " Bank news <news.bank.example>"});
  e.headers.push_back({"Precedence", " list"});
  e.headers.push_back({"Sender", " owner-news@lists.example.org"});
  e.headers.push_back({"List-Unsubscribe", " <mailto:leave@lists.example.org>"});
  e.dkim[0].result = Outcome::Pass;  // the attacker's own key
  e.dkim[0].domain = "attacker.example";
}
// The client's PTR name resolved back to its address (FCrDNS, core/fcrdns.h).
void verified_host(Evidence& e, const char* name) {
  e.client_names = {name};
  e.client_name = name;
  e.client_name_status = "verified";
}
// Issue 10 item 2: a From that does not name one author; DMARC as the session
// leaves it (permerror without any domain, else the strictest domain's result).
void broken_from(Evidence& e, const char* problem) {
  e.from_problem = problem;
  if (std::string(problem) == "no-from" || std::string(problem) == "unparseable") {
    e.dmarc = {};
    e.dmarc.result = Outcome::PermError;
  }
}
#define BROKEN_FROM_REPLY(problem)                                                       \
  "550 5.7.1 Message rejected: the From header field does not name one author (" problem \
  "), RFC 5322 section 3.6"

// RFC 7489 §6.6.4: a message left out by pct= gets the next milder policy.
// A template so it compiles before DmarcResult has `sampled_out`; then it is skipped.
template <class E>
void check_sampled_out(const PolicyEngine& engine, E s) {
  if constexpr (requires { s.dmarc.sampled_out; }) {
    s.dmarc.sampled_out = true;
    Verdict v = engine.decide(s);
    CHECK(v.rule == "dmarc-quarantine");
    CHECK(v.action == Action::Quarantine);
    CHECK(v.override_reason == "sampled_out");
    s.dmarc.requested_policy = RequestedPolicy::Quarantine;
    v = engine.decide(s);
    CHECK(v.rule.empty());
    CHECK(v.action == Action::Accept);
    CHECK(v.override_reason == "sampled_out");
  } else {
    WARN("DmarcResult has no sampled_out yet: pct sampling rules not exercised");
  }
}

}  // namespace

TEST_CASE("every shipped policy file compiles, alone and all examples together") {
  std::vector<std::string> files = {"default.toml", "enforce.toml"};
  auto examples = example_files();
  CHECK(examples.size() >= 5);
  files.insert(files.end(), examples.begin(), examples.end());
  for (const auto& f : files) {
    INFO(f);
    PolicyEngine e;
    CHECK_NOTHROW(e = load(f));
    CHECK(e.rule_count() >= (f == "default.toml" ? 0u : 1u));
  }
  std::vector<PolicySource> all;
  for (const auto& f : examples) all.push_back(read_policy(f));
  CHECK_NOTHROW(PolicyEngine::compile(all));
}

TEST_CASE("default.toml monitors: never rejects, reports the local override") {
  auto engine = load("default.toml");
  CHECK(engine.rule_count() == 0);  // no rule: beside enforce.toml it shadows nothing
  const Case cases[] = {
      {"DMARC fail p=reject", same, Action::Accept, "", "", "local_policy"},
      {"DMARC fail t=y", [](Evidence& e) { e.dmarc.testing = true; }, Action::Accept, "", "",
       "policy_test_mode"},
      {"DMARC fail p=none", p_none, Action::Accept, "", "", ""},
      {"DMARC pass", [](Evidence& e) { e = passing_mail(); }, Action::Accept, "", "", ""},
      {"DNS temperror", [](Evidence& e) { e.dmarc.result = Outcome::TempError; }, Action::Accept,
       "", "", ""},
  };
  for (const auto& c : cases) check(engine, c);
  CHECK_FALSE(engine.decide_mail_from(failing_mail()));
}

TEST_CASE("enforce.toml honours p=/sp=/np= with the documented exceptions") {
  auto engine = load("enforce.toml");
  const Case cases[] = {
      {"p=reject fail", same, Action::Reject, "dmarc-reject",
       "550 5.7.1 Message rejected: example.com DMARC policy is reject", ""},
      {"np=reject on a non-existent subdomain",
       [](Evidence& e) {
         e.dmarc.author_domain = "nosuch.example.com";
         e.dmarc.policy_tag = "np";
       },
       Action::Reject, "dmarc-reject",
       "550 5.7.1 Message rejected: nosuch.example.com DMARC policy is reject", ""},
      {"p=quarantine fail", quarantine, Action::Quarantine, "dmarc-quarantine", "", ""},
      {"p=none fail: delivered", p_none, Action::Accept, "", "", ""},
      {"pass", [](Evidence& e) { e = passing_mail(); }, Action::Accept, "", "", ""},
      {"no DMARC record", [](Evidence& e) { e.dmarc = {}; }, Action::Accept, "", "", ""},
      {"DMARC temperror",
       [](Evidence& e) {
         e.dmarc.result = Outcome::TempError;
         e.dns_temperror = true;
       },
       Action::TempFail, "dmarc-temperror",
       "451 4.4.3 Temporary DNS failure checking DMARC for example.com, try again later", ""},
      // Issue 10 item 3: DMARC failed, so no DNS failure could have made it pass
      // (an aligned one would have made it temperror): the owner's reject applies.
      {"fail with a DNS temperror elsewhere: still rejected",
       [](Evidence& e) { e.dns_temperror = true; }, Action::Reject, "dmarc-reject",
       "550 5.7.1 Message rejected: example.com DMARC policy is reject", ""},
      {"p=none fail with a DNS temperror: delivered",
       [](Evidence& e) {
         p_none(e);
         e.dns_temperror = true;
       },
       Action::Accept, "", "", ""},
      // RFC 9989 §4.7: t=y applies the policy one level below the requested one
      {"t=y p=reject: quarantined", [](Evidence& e) { e.dmarc.testing = true; }, Action::Quarantine,
       "dmarc-quarantine", "", "policy_test_mode"},
      {"t=y p=quarantine: delivered",
       [](Evidence& e) {
         e.dmarc.testing = true;
         quarantine(e);
       },
       Action::Accept, "", "", "policy_test_mode"},
      {"t=y p=quarantine with a DNS temperror: delivered",
       [](Evidence& e) {
         e.dmarc.testing = true;
         e.dns_temperror = true;
         quarantine(e);
       },
       Action::Accept, "", "", "policy_test_mode"},
      {"trusted client", [](Evidence& e) { e.trusted = true; }, Action::Accept, "trusted-clients",
       "", "local_policy"},
      {"authenticated user", [](Evidence& e) { e.authenticated = true; }, Action::Accept,
       "authenticated-senders", "", "local_policy"},
      {"forwarder (placeholder range)", [](Evidence& e) { e.client_ip = "233.252.0.25"; },
       Action::Accept, "trusted-forwarders", "", "trusted_forwarder"},
      {"forwarder over IPv6 (placeholder range)", [](Evidence& e) { e.client_ip = "3fff::25"; },
       Action::Accept, "trusted-forwarders", "", "trusted_forwarder"},
      // Issue 10 item 1: nothing written in the message lifts p=reject
      {"List-Id and a DKIM pass of some domain", list_signed, Action::Reject, "dmarc-reject",
       "550 5.7.1 Message rejected: example.com DMARC policy is reject", ""},
      {"spoof: List-*, Precedence, Sender and the attacker's own signature", list_forged,
       Action::Reject, "dmarc-reject",
       "550 5.7.1 Message rejected: example.com DMARC policy is reject", ""},
      {"bare List-Id is not enough", list_id, Action::Reject, "dmarc-reject",
       "550 5.7.1 Message rejected: example.com DMARC policy is reject", ""},
      {"spoof under p=quarantine: held", [](Evidence& e) { list_forged(e), quarantine(e); },
       Action::Quarantine, "dmarc-quarantine", "", ""},
      {"the MTA's unverified PTR name is not enough",
       [](Evidence& e) { e.client_ptr = "mail.lists.invalid"; }, Action::Reject, "dmarc-reject",
       "550 5.7.1 Message rejected: example.com DMARC policy is reject", ""},
      {"list host by verified name (placeholder pattern)",
       [](Evidence& e) { verified_host(e, "mail.lists.invalid"); }, Action::Accept, "mailing-lists",
       "", "mailing_list"},
      {"list host by verified name under p=quarantine",
       [](Evidence& e) { verified_host(e, "mail.lists.invalid"), quarantine(e); }, Action::Accept,
       "mailing-lists", "", "mailing_list"},
      {"a verified name outside the list",
       [](Evidence& e) { verified_host(e, "lists.invalid.attacker.example"); }, Action::Reject,
       "dmarc-reject", "550 5.7.1 Message rejected: example.com DMARC policy is reject", ""},
      // Issue 10 item 2: RFC 9989 §11.5, a From that does not name one author
      {"no From", [](Evidence& e) { broken_from(e, "no-from"); }, Action::Reject, "broken-from",
       BROKEN_FROM_REPLY("no-from"), ""},
      {"two From fields (DMARC fail)", [](Evidence& e) { broken_from(e, "multiple-from"); },
       Action::Reject, "broken-from", BROKEN_FROM_REPLY("multiple-from"), ""},
      {"two From fields, both passing DMARC",
       [](Evidence& e) {
         e = passing_mail();
         broken_from(e, "multiple-from");
       },
       Action::Reject, "broken-from", BROKEN_FROM_REPLY("multiple-from"), ""},
      {"unparseable From", [](Evidence& e) { broken_from(e, "unparseable"); }, Action::Reject,
       "broken-from", BROKEN_FROM_REPLY("unparseable"), ""},
      {"too many author domains", [](Evidence& e) { broken_from(e, "too-many-authors"); },
       Action::Reject, "broken-from", BROKEN_FROM_REPLY("too-many-authors"), ""},
      {"several authors, the strictest fails p=reject",
       [](Evidence& e) { e.from_problem = "multiple-addresses"; }, Action::Reject, "dmarc-reject",
       "550 5.7.1 Message rejected: example.com DMARC policy is reject", ""},
      {"several authors, all pass",
       [](Evidence& e) {
         e = passing_mail();
         e.from_problem = "multiple-addresses";
       },
       Action::Accept, "", "", ""},
      {"broken From from a forwarder is still refused",
       [](Evidence& e) {
         broken_from(e, "multiple-from");
         e.client_ip = "233.252.0.25";
       },
       Action::Reject, "broken-from", BROKEN_FROM_REPLY("multiple-from"), ""},
      {"our own users' broken From: not judged",
       [](Evidence& e) {
         broken_from(e, "no-from");
         e.authenticated = true;
       },
       Action::Accept, "authenticated-senders", "", ""},
  };
  for (const auto& c : cases) check(engine, c);
  // the quarantine reason names the domain
  Evidence q = failing_mail();
  quarantine(q);
  CHECK(engine.decide(q).quarantine_reason ==
        "DMARC fail for example.com (policy quarantine, applied quarantine)");
  // enforce.toml has no MAIL FROM rules
  CHECK_FALSE(engine.decide_mail_from(failing_mail()));
  // RFC 7489 mode: pct sampling (once DmarcResult reports it)
  check_sampled_out(engine, failing_mail());
}

TEST_CASE("examples behave as their comments say") {
  SECTION("reject-multiple-from") {
    auto engine = load("examples/reject-multiple-from.toml");
    const Case cases[] = {
        {"two From fields", [](Evidence& e) { e.from_problem = "multiple-from"; }, Action::Reject,
         "reject-ambiguous-from",
         "550 5.7.1 Message must have exactly one From address (RFC 5322 section 3.6): "
         "multiple-from",
         ""},
        {"no From", [](Evidence& e) { e.from_problem = "no-from"; }, Action::Reject,
         "reject-ambiguous-from",
         "550 5.7.1 Message must have exactly one From address (RFC 5322 section 3.6): no-from",
         ""},
        // no longer a tag: a sender-written From problem must not lift a reject
        {"unparseable", [](Evidence& e) { e.from_problem = "unparseable"; }, Action::Reject,
         "reject-ambiguous-from",
         "550 5.7.1 Message must have exactly one From address (RFC 5322 section 3.6): "
         "unparseable",
         ""},
        {"several authors", [](Evidence& e) { e.from_problem = "multiple-addresses"; },
         Action::Reject, "reject-ambiguous-from",
         "550 5.7.1 Message must have exactly one From address (RFC 5322 section 3.6): "
         "multiple-addresses",
         ""},
        {"one From", same, Action::Accept, "", "", "local_policy"},
    };
    for (const auto& c : cases) check(engine, c);
  }
  SECTION("tag-spf-fail") {
    auto engine = load("examples/tag-spf-fail.toml");
    Verdict v = engine.decide(failing_mail());
    CHECK(v.rule == "tag-spf-fail");
    REQUIRE(v.add_headers.size() == 1);
    CHECK(v.add_headers[0].name == "X-Alignd-SPF");
    CHECK(v.add_headers[0].value == "fail for attacker.example from 203.0.113.5");
    CHECK(v.subject_prefix == "[SPF FAIL] ");
    Evidence soft = failing_mail();
    soft.spf_mailfrom.result = Outcome::SoftFail;
    CHECK(engine.decide(soft).rule == "tag-spf-softfail");
    soft.authenticated = true;
    CHECK(engine.decide(soft).rule.empty());
  }
  SECTION("early-spf-reject") {
    auto engine = load("examples/early-spf-reject.toml");
    auto v = engine.decide_mail_from(failing_mail());
    REQUIRE(v);
    CHECK(v->reply.str() == "550 5.7.23 SPF validation failed for attacker.example");
    Evidence t = failing_mail();
    t.spf_mailfrom.result = Outcome::TempError;
    REQUIRE(engine.decide_mail_from(t));
    CHECK(engine.decide_mail_from(t)->reply.str() ==
          "451 4.7.24 SPF validation error for attacker.example, try again later");
    Evidence own = failing_mail();
    own.trusted = true;
    CHECK_FALSE(engine.decide_mail_from(own));
    own.trusted = false;
    own.authenticated = true;
    CHECK_FALSE(engine.decide_mail_from(own));
    CHECK_FALSE(engine.decide_mail_from(passing_mail()));
    // nothing at end of message
    CHECK(engine.decide(failing_mail()).rule.empty());
  }
  SECTION("per-recipient-domain") {
    auto engine = load("examples/per-recipient-domain.toml");
    auto finance = [](Evidence& e) { e.rcpt_to = {"cfo@finance.example.net"}; };
    const Case cases[] = {
        {"bank impersonation to finance",
         [&](Evidence& e) {
           finance(e);
           e.dmarc.author_domain = "bank.example";
           e.dmarc.result = Outcome::None;
         },
         Action::Reject, "finance-bank-impersonation",
         "550 5.7.1 Unauthenticated mail from bank.example is not accepted here", ""},
        {"DMARC fail to finance", finance, Action::Quarantine, "finance-hold-dmarc-failures", "",
         "local_policy"},
        {"DMARC fail elsewhere", same, Action::Tag, "others-tag-dmarc-failures", "",
         "local_policy"},
        {"finance among several recipients",
         [](Evidence& e) {
           e.rcpt_to = {"a@example.org", "b@FINANCE.example.net"};
         },
         Action::Quarantine, "finance-hold-dmarc-failures", "", "local_policy"},
    };
    for (const auto& c : cases) check(engine, c);
    Evidence ev = failing_mail();
    finance(ev);
    CHECK(engine.decide(ev).override_comment == "stricter local policy for finance.example.net");
  }
  SECTION("protect-own-domain") {
    auto engine = load("examples/protect-own-domain.toml");
    auto ours = [](Evidence& e) {
      e.dmarc.author_domain = "example.net";
      e.dmarc.result = Outcome::None;  // our own record still missing or p=none
    };
    const Case cases[] = {
        {"spoofed own domain", ours, Action::Reject, "own-domain-spoofed",
         "550 5.7.1 You are not allowed to send as example.net", ""},
        {"own domain from our servers",
         [&](Evidence& e) {
           ours(e);
           e.trusted = true;
         },
         Action::Accept, "own-domain-from-our-servers", "", ""},
        {"someone else's domain", same, Action::Accept, "", "", "local_policy"},
    };
    for (const auto& c : cases) check(engine, c);
  }
  SECTION("mailing-lists") {
    auto engine = load("examples/mailing-lists.toml");
    const Case cases[] = {
        {"known list host (FCrDNS) with List-Id",
         [](Evidence& e) {
           list_id(e);
           verified_host(e, "mx1.lists.example.org");
         },
         Action::Accept, "known-lists", "", "mailing_list"},
        // Issue 10 item 1: the old example accepted a List-Id matching a glob
        {"forged List-Id of a known list", list_id, Action::Accept, "", "", "local_policy"},
        {"forged List-Id and the attacker's DKIM pass", list_forged, Action::Accept, "", "",
         "local_policy"},
        {"unknown list under p=none: tagged",
         [](Evidence& e) {
           p_none(e);
           list_forged(e);
         },
         Action::Tag, "other-lists", "", ""},
        {"forwarding service", [](Evidence& e) { e.client_ip = "198.51.100.3"; }, Action::Accept,
         "forwarding-service", "", "trusted_forwarder"},
        {"IPv6 forwarding service", [](Evidence& e) { e.client_ip = "2001:db8:f00::1"; },
         Action::Accept, "forwarding-service", "", "trusted_forwarder"},
    };
    for (const auto& c : cases) check(engine, c);
  }
}

TEST_CASE("enforce.toml: the reason trace of a rejected message reads top to bottom") {
  Verdict v = load("enforce.toml").decide(failing_mail());
  const std::vector<std::string> want = {
      "rule 'trusted-clients' did not match: trusted=false (wanted true)",
      "rule 'authenticated-senders' did not match: authenticated=false (wanted true)",
      "rule 'broken-from' did not match: from_problem=none (wanted no-from or multiple-from or "
      "unparseable or too-many-authors)",
      "rule 'dmarc-temperror' did not match: dmarc=fail (wanted temperror)",
      "rule 'trusted-forwarders' did not match: client 203.0.113.5 not in 233.252.0.0/24, "
      "3fff::/20",
      "rule 'mailing-lists' did not match: client 203.0.113.5 has no verified name (not looked up)",
      "rule 'arc-trusted-sealer' did not match: arc_trusted_pass=false (arc=none) (wanted true)",
      "rule 'dmarc-reject' matched: dmarc=fail, effective_policy=reject",
      "action reject: 550 5.7.1 Message rejected: example.com DMARC policy is reject",
  };
  CHECK(v.trace == want);
  // docs/policy.md shows this very trace
  std::ifstream doc(std::string(ALIGND_SOURCE_DIR) + "/docs/policy.md");
  REQUIRE(doc);
  std::ostringstream text;
  text << doc.rdbuf();
  std::string block;
  for (const auto& line : want) block += line + "\n";
  CHECK_THAT(text.str(), Catch::Contains(block));
}

TEST_CASE("every complete rule example in docs/policy.md compiles") {
  std::ifstream in(std::string(ALIGND_SOURCE_DIR) + "/docs/policy.md");
  REQUIRE(in);
  std::string line, block;
  bool in_toml = false;
  int compiled = 0;
  while (std::getline(in, line)) {
    if (!in_toml && line == "```toml") {
      in_toml = true;
      block.clear();
    } else if (in_toml && line == "```") {
      in_toml = false;
      if (block.find("[[rule]]") == std::string::npos) continue;  // a fragment
      INFO(block);
      CHECK_NOTHROW(PolicyEngine::compile({{"docs/policy.md", block}}));
      ++compiled;
    } else if (in_toml) {
      block += line + "\n";
    }
  }
  CHECK(compiled >= 6);
}

TEST_CASE("enforce.toml: the trace of a t=y message explains the milder policy") {
  Evidence ev = failing_mail();
  ev.dmarc.testing = true;
  Verdict v = load("enforce.toml").decide(ev);
  REQUIRE(v.trace.size() >= 3);
  CHECK(v.trace[v.trace.size() - 3] ==
        "rule 'dmarc-quarantine' matched: dmarc=fail, effective_policy=quarantine (p=reject, t=y)");
  CHECK(v.trace.back() ==
        "override policy_test_mode: the domain owner asked for reject, applied quarantine");
}
