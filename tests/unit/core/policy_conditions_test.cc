// Every condition of the policy language (docs/policy.md), matched and not
// matched, through PolicyEngine::decide on varied Evidence.
#include <catch2/catch.hpp>

#include <functional>

#include "policy_test_util.h"

using namespace alignd;
using alignd::testing::compile_policy;
using alignd::testing::failing_mail;
using alignd::testing::passing_mail;

namespace {

struct Case {
  const char* when;                      // TOML inline table
  std::function<void(Evidence&)> setup;  // changes to failing_mail()
  bool want;
};

void none(Evidence&) {}

void run(const Case& c) {
  // reject: a weaker action on forgeable conditions is refused (forgeable.h)
  std::string text =
      std::string("[[rule]]\nname = \"r\"\naction = \"reject\"\n") + "when = " + c.when + "\n";
  INFO(text);
  auto engine = compile_policy(text);
  Evidence ev = failing_mail();
  c.setup(ev);
  Verdict v = engine.decide(ev);
  for (const auto& t : v.trace) INFO(t);
  CHECK((v.rule == "r") == c.want);
  CHECK((v.action == Action::Reject) == c.want);
  REQUIRE_FALSE(v.trace.empty());
}

}  // namespace

TEST_CASE("condition: dmarc result and requested policy, testing, alignment") {
  const Case cases[] = {
      {R"({ dmarc = "fail" })", none, true},
      {R"({ dmarc = ["pass", "fail"] })", none, true},
      {R"({ dmarc = "FAIL" })", none, true},
      {R"({ dmarc = "pass" })", none, false},
      {R"({ dmarc = "pass" })", [](Evidence& e) { e = passing_mail(); }, true},
      {R"({ dmarc = "temperror" })", [](Evidence& e) { e.dmarc.result = Outcome::TempError; },
       true},
      {R"({ dmarc = "permerror" })", [](Evidence& e) { e.dmarc.result = Outcome::PermError; },
       true},
      {R"({ dmarc = "none" })", [](Evidence& e) { e.dmarc = {}; }, true},
      {R"({ dmarc_policy = "reject" })", none, true},
      {R"({ dmarc_policy = ["quarantine"] })", none, false},
      {R"({ dmarc_policy = "quarantine" })",
       [](Evidence& e) { e.dmarc.requested_policy = RequestedPolicy::Quarantine; }, true},
      {R"({ dmarc_policy = "none" })",
       [](Evidence& e) { e.dmarc.requested_policy = RequestedPolicy::None; }, true},
      {R"({ dmarc = "fail", dmarc_policy = "reject" })", none, true},
      {R"({ dmarc = "fail", dmarc_policy = "reject" })", [](Evidence& e) { e = passing_mail(); },
       false},
      {R"({ effective_policy = "reject" })", none, true},
      {R"({ effective_policy = "reject" })", [](Evidence& e) { e.dmarc.testing = true; }, false},
      {R"({ effective_policy = "quarantine" })", [](Evidence& e) { e.dmarc.testing = true; }, true},
      {R"({ effective_policy = "none" })",
       [](Evidence& e) {
         e.dmarc.testing = true;
         e.dmarc.requested_policy = RequestedPolicy::Quarantine;
       },
       true},
      {R"({ effective_policy = "none" })",
       [](Evidence& e) {
         e.dmarc.testing = true;
         e.dmarc.requested_policy = RequestedPolicy::None;
       },
       true},
      {R"({ testing = false })", none, true},
      {R"({ testing = true })", none, false},
      {R"({ testing = true })", [](Evidence& e) { e.dmarc.testing = true; }, true},
      {R"({ spf_aligned = false })", none, true},
      {R"({ spf_aligned = true })", [](Evidence& e) { e = passing_mail(); }, true},
      {R"({ dkim_aligned = true })", none, false},
      {R"({ dkim_aligned = true })", [](Evidence& e) { e = passing_mail(); }, true},
      {R"({ sampled_out = false })", none, true},
  };
  for (const auto& c : cases) run(c);
}

TEST_CASE("condition: spf (MAIL FROM and HELO) and dkim results") {
  const Case cases[] = {
      {R"({ spf = "fail" })", none, true},
      {R"({ spf = ["softfail", "fail"] })", none, true},
      {R"({ spf = "pass" })", none, false},
      {R"({ spf = "softfail" })", [](Evidence& e) { e.spf_mailfrom.result = Outcome::SoftFail; },
       true},
      {R"({ spf = "none" })", [](Evidence& e) { e.spf_mailfrom = {}; }, true},
      {R"({ spf_helo = "none" })", none, true},
      {R"({ spf_helo = "pass" })", none, false},
      {R"({ spf_helo = "pass" })", [](Evidence& e) { e.spf_helo.result = Outcome::Pass; }, true},
      {R"({ dkim = "fail" })", none, true},
      {R"({ dkim = "pass" })", none, false},
      {R"({ dkim = "none" })", [](Evidence& e) { e.dkim.clear(); }, true},
      {R"({ dkim = "none" })", none, false},
      // any signature: one failing and one passing both match
      {R"({ dkim = "pass" })",
       [](Evidence& e) {
         e.dkim.push_back(e.dkim[0]);
         e.dkim[1].result = Outcome::Pass;
       },
       true},
      {R"({ dkim = "policy" })", [](Evidence& e) { e.dkim[0].result = Outcome::Policy; }, true},
  };
  for (const auto& c : cases) run(c);
}

TEST_CASE("condition: from, envelope and recipient domains") {
  const Case cases[] = {
      {R"({ from_domain = "example.com" })", none, true},
      {R"({ from_domain = "EXAMPLE.COM." })", none, true},
      {R"({ from_domain = ".example.com" })", none, false},
      {R"({ from_domain = ".example.com" })",
       [](Evidence& e) { e.dmarc.author_domain = "news.example.com"; }, true},
      {R"({ from_domain = ["example.org", "*.example.*"] })",
       [](Evidence& e) { e.dmarc.author_domain = "a.example.net"; }, true},
      {R"({ from_domain = "*.example.*" })", none, false},
      {R"({ from_domain = "example.com" })", [](Evidence& e) { e.dmarc.author_domain.clear(); },
       false},
      {R"({ mail_from_domain = "attacker.example" })", none, true},
      {R"({ mail_from_domain = ".example" })", none, true},
      {R"({ mail_from_domain = "example.com" })", none, false},
      {R"({ mail_from_domain = "*" })", [](Evidence& e) { e.mail_from.clear(); }, false},
      {R"({ recipient_domain = "example.net" })", none, true},
      {R"({ recipient_domain = "example.org" })", none, false},
      {R"({ recipient_domain = "example.org" })",
       [](Evidence& e) { e.rcpt_to.push_back("carol@Example.ORG"); }, true},
      {R"({ recipient_domain = "example.net" })", [](Evidence& e) { e.rcpt_to.clear(); }, false},
  };
  for (const auto& c : cases) run(c);
}

TEST_CASE("condition: client network (IPv4, IPv6), authenticated, trusted, DNS temperror") {
  const Case cases[] = {
      {R"({ client_network = "203.0.113.0/24" })", none, true},
      {R"({ client_network = ["192.0.2.0/24", "203.0.113.5"] })", none, true},
      {R"({ client_network = "192.0.2.0/24" })", none, false},
      {R"({ client_network = "2001:db8::/32" })", [](Evidence& e) { e.client_ip = "2001:db8::25"; },
       true},
      {R"({ client_network = "2001:db8::/32" })", [](Evidence& e) { e.client_ip = "2001:db9::25"; },
       false},
      {R"({ client_network = "203.0.113.0/24" })",
       [](Evidence& e) { e.client_ip = "::ffff:203.0.113.9"; }, true},
      {R"({ client_network = "0.0.0.0/0" })", [](Evidence& e) { e.client_ip.clear(); }, false},
      {R"({ authenticated = true })", none, false},
      {R"({ authenticated = true })", [](Evidence& e) { e.authenticated = true; }, true},
      {R"({ authenticated = false })", none, true},
      {R"({ trusted = true })", [](Evidence& e) { e.trusted = true; }, true},
      {R"({ trusted = false })", [](Evidence& e) { e.trusted = true; }, false},
      {R"({ dns_temperror = true })", none, false},
      {R"({ dns_temperror = true })", [](Evidence& e) { e.dns_temperror = true; }, true},
  };
  for (const auto& c : cases) run(c);
}

// Issue 10 item 1: the client's host name, only when forward-confirmed.
TEST_CASE("condition: client_name (FCrDNS-verified PTR name)") {
  auto verified = [](const char* name) {
    return [name](Evidence& e) {
      e.client_names = {name};
      e.client_name = name;
      e.client_name_status = "verified";
    };
  };
  const Case cases[] = {
      {R"({ client_name = "*.lists.example.org" })", verified("mx1.lists.example.org"), true},
      {R"({ client_name = ".example.org" })", verified("mx1.lists.example.org"), true},
      {R"({ client_name = "lists.example.org" })", verified("mx1.lists.example.org"), false},
      {R"({ client_name = "*.lists.example.org" })", verified("lists.example.org.evil.example"),
       false},
      // what the MTA or the client says about itself does not count
      {R"({ client_name = "*.lists.example.org" })",
       [](Evidence& e) {
         e.client_ptr = "mx1.lists.example.org";
         e.helo = "mx1.lists.example.org";
       },
       false},
      {R"({ client_name = "*.lists.example.org" })",
       [](Evidence& e) { e.client_name_status = "temperror"; }, false},
  };
  for (const auto& c : cases) run(c);
}

TEST_CASE("condition: header presence, value, absence; From problems") {
  auto list_id = [](Evidence& e) {
    e.headers.push_back({"List-ID", " Dev list <dev.lists.example.org>"});
  };
  auto folded = [](Evidence& e) {
    e.headers.push_back({"List-Id", " Dev list\r\n <dev.lists.example.org>"});
  };
  const Case cases[] = {
      {R"({ header = { name = "List-Id" } })", none, false},
      {R"({ header = { name = "List-Id" } })", list_id, true},
      {R"({ header = { name = "list-id", matches = "*" } })", list_id, true},
      {R"({ header = { name = "List-Id", matches = "*<dev.lists.example.org>" } })", list_id, true},
      // RFC 5322 §2.2.3 unfolding drops the CRLF and keeps the blank after it
      {R"({ header = { name = "List-Id", matches = "Dev list <dev.lists.example.org>" } })", folded,
       true},
      {R"({ header = { name = "List-Id", matches = "Dev list  <dev.lists.example.org>" } })",
       folded, false},
      {R"({ header = { name = "List-Id", matches = "Dev list <*" } })", folded, true},
      {R"({ header = { name = "List-Id", matches = ["*other*", "*example.org>"] } })", list_id,
       true},
      {R"({ header = { name = "List-Id", matches = "*other*" } })", list_id, false},
      {R"({ header = { name = "List-Id", contains = "LISTS.example" } })", list_id, true},
      {R"({ header = { name = "List-Id", contains = "nope" } })", list_id, false},
      {R"({ header = { name = "List-Id", present = false } })", none, true},
      {R"({ header = { name = "List-Id", present = false } })", list_id, false},
      {R"({ header = [{ name = "List-Id" }, { name = "Subject", contains = "hello" }] })", list_id,
       true},
      {R"({ header = [{ name = "List-Id" }, { name = "Subject", contains = "bye" }] })", list_id,
       false},
      {R"({ from_problem = "multiple-from" })", none, false},
      {R"({ from_problem = ["multiple-from", "no-from"] })",
       [](Evidence& e) { e.from_problem = "no-from"; }, true},
      {R"({ from_problem = "too-many-authors" })",
       [](Evidence& e) { e.from_problem = "too-many-authors"; }, true},
      {R"({ from_problem = "multiple-addresses" })",
       [](Evidence& e) { e.from_problem = "multiple-addresses"; }, true},
      {R"({ from_problem = "unparseable" })", [](Evidence& e) { e.from_problem = "multiple-from"; },
       false},
  };
  for (const auto& c : cases) run(c);
}

TEST_CASE("conditions are ANDed; a rule without conditions always matches") {
  const Case cases[] = {
      {R"({ dmarc = "fail", spf = "fail", client_network = "203.0.113.0/24" })", none, true},
      {R"({ dmarc = "fail", spf = "fail", client_network = "192.0.2.0/24" })", none, false},
      {R"({ dmarc = "fail", spf = "pass" })", none, false},
      {R"({})", none, true},
  };
  for (const auto& c : cases) run(c);
}

TEST_CASE("the trace explains each condition") {
  auto engine = compile_policy(R"(
[[rule]]
name = "lists"
when = { header = { name = "List-Id" }, dmarc = "fail" }
action = "reject"

[[rule]]
name = "reject-dmarc"
when = { dmarc = "fail", dmarc_policy = "reject", client_network = "203.0.113.0/24" }
action = "reject"
)");
  Verdict v = engine.decide(failing_mail());
  REQUIRE(v.trace.size() >= 3);
  // a rule that did not match names its first failing condition; one that
  // matched lists them all, in documented order
  CHECK(v.trace[0] == "rule 'lists' did not match: no List-Id header");
  CHECK(v.trace[1] ==
        "rule 'reject-dmarc' matched: dmarc=fail, p=reject, client 203.0.113.5 in 203.0.113.0/24");
  CHECK(v.trace[2] ==
        "action reject: 550 5.7.1 Message rejected: example.com DMARC policy is reject");
}

TEST_CASE("effective_policy explains a lowered policy in the trace") {
  auto engine = compile_policy(
      "[[rule]]\nname = \"r\"\nwhen = { effective_policy = \"reject\" }\naction = \"reject\"\n");
  Evidence ev = failing_mail();
  ev.dmarc.testing = true;
  ev.dmarc.policy_tag = "sp";
  Verdict v = engine.decide(ev);
  REQUIRE_FALSE(v.trace.empty());
  CHECK(v.trace[0] ==
        "rule 'r' did not match: effective_policy=quarantine (sp=reject, t=y) (wanted reject)");
}

// Issue 10 item 4: a rule can act on content appended after a DKIM l= limit.
TEST_CASE("condition: dkim_unsigned_bytes (l= leaving body content unsigned)") {
  auto unsigned_bytes = [](size_t n) {
    return [n](Evidence& e) {
      e = passing_mail();
      e.dkim[0].has_body_length = true;
      e.dkim[0].unsigned_body_content = n > 0;
      e.dkim[0].unsigned_body_bytes = n;
    };
  };
  const Case cases[] = {
      {R"({ dkim_unsigned_bytes = 1 })", unsigned_bytes(43), true},
      {R"({ dkim_unsigned_bytes = 1 })", unsigned_bytes(0), false},
      {R"({ dkim_unsigned_bytes = 1 })", none, false},  // no l= at all
      {R"({ dkim_unsigned_bytes = { at_least = 44 } })", unsigned_bytes(43), false},
      {R"({ dkim_unsigned_bytes = { at_least = 43 } })", unsigned_bytes(43), true},
      {R"({ dkim_unsigned_bytes = { at_most = 100 } })", unsigned_bytes(43), true},
      {R"({ dkim_unsigned_bytes = { at_most = 42 } })", unsigned_bytes(43), false},
      {R"({ dkim_unsigned_bytes = { at_least = 1, at_most = 100 } })", unsigned_bytes(43), true},
      {R"({ dkim_unsigned_bytes = { at_least = 1, at_most = 10 } })", unsigned_bytes(43), false},
      {R"({ dkim_unsigned_bytes = 1, dkim = "policy" })",
       [&](Evidence& e) {
         unsigned_bytes(43)(e);
         e.dkim[0].result = Outcome::Policy;
       },
       true},
  };
  for (const auto& c : cases) run(c);
  auto engine = compile_policy(
      "[[rule]]\nname = \"r\"\naction = \"reject\"\nwhen = { dkim_unsigned_bytes = 1 }\n");
  Evidence ev;
  unsigned_bytes(43)(ev);
  ev.dkim.push_back(ev.dkim[0]);
  ev.dkim[0].unsigned_body_bytes = 5;
  Verdict v = engine.decide(ev);
  REQUIRE(v.action == Action::Reject);
  std::string trace;
  for (const auto& t : v.trace) trace += t + "|";
  CHECK_THAT(trace, Catch::Contains("dkim_unsigned_bytes=43 (d=example.com)"));

  for (const char* bad : {"-1", "\"many\"", "{ at_least = 5, at_most = 4 }", "{ above = 3 }", "{}",
                          "{ at_least = -2 }"}) {
    INFO(bad);
    std::string err = alignd::testing::policy_error(
        std::string(
            "[[rule]]\nname = \"r\"\naction = \"reject\"\nwhen = { dkim_unsigned_bytes = ") +
        bad + " }\n");
    CHECK_THAT(err, Catch::Contains("t.toml:4:"));
    CHECK_THAT(err, Catch::Contains("dkim_unsigned_bytes"));
  }
}
