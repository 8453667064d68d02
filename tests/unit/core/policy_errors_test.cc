// Every policy compile error: path:line:column, what is wrong, the valid choices.
#include <catch2/catch.hpp>

#include "policy_test_util.h"

using namespace alignd;
using alignd::testing::policy_error;

namespace {

const char* const kValidRuleKeys =
    "(valid: name, description, enabled, stage, when, action, reply, reason, add_header, "
    "subject_prefix, override, comment)";
const char* const kValidConditions =
    "(valid: dmarc, dmarc_policy, effective_policy, testing, sampled_out, spf, spf_helo, "
    "spf_aligned, dkim, "
    "dkim_aligned, dkim_unsigned_bytes, arc, arc_trusted_sealer, arc_trusted_pass, "
    "arc_trusted_dmarc, arc_trusted_spf, arc_trusted_dkim, from_domain, from_problem, "
    "mail_from_domain, recipient_domain, client_network, client_name, authenticated, trusted, "
    "dns_temperror, header)";

struct Case {
  const char* text;
  std::string want;  // the whole message
};

}  // namespace

TEST_CASE("policy errors name path:line:column and the valid choices") {
  const Case cases[] = {
      // rule structure
      {"[[rule]]\nname = \"r\"\naction = \"rejet\"\n",
       "t.toml:3:10: unknown action 'rejet' (valid: accept, tag, quarantine, reject, tempfail)"},
      {"[[rule]]\nname = \"r\"\nactoin = \"reject\"\n",
       std::string("t.toml:3:1: unknown key 'actoin' in rule 'r' ") + kValidRuleKeys},
      {"[[rule]]\nname = \"r\"\n",
       "t.toml:1:1: rule 'r' needs an 'action' (valid: accept, tag, quarantine, reject, "
       "tempfail)"},
      {"\n[[rule]]\naction = \"accept\"\n",
       "t.toml:2:1: rule without 'name' (every [[rule]] needs a unique name)"},
      {"[[rule]]\nname = \"r\"\naction = 5\n",
       "t.toml:3:10: 'action' must be a string, not an integer"},
      {"[[rule]]\nname = \"it's\"\naction = \"accept\"\n",
       "t.toml:2:8: rule name 'it's' may hold printable ASCII only, without quotes"},
      {"[[rule]]\nname = \"\"\naction = \"accept\"\n",
       "t.toml:2:8: rule name must be 1 to 100 characters without leading or trailing blanks"},
      {"[[rule]]\nname = \"a\"\naction = \"accept\"\n[[rule]]\nname = \"a\"\naction = \"reject\"\n",
       "t.toml:5:8: duplicate rule name 'a' (first defined at t.toml:1:1)"},
      {"[[rule]]\nname = \"r\"\nstage = \"rcpt\"\naction = \"accept\"\n",
       "t.toml:3:9: unknown stage 'rcpt' (valid: message, mail_from)"},
      {"[[rule]]\nname = \"r\"\nenabled = \"no\"\naction = \"accept\"\n",
       "t.toml:3:11: 'enabled' must be true or false, not a string"},
      {"rules = 1\n",
       "t.toml:1:1: unknown top-level key 'rules' (valid: rule, written as [[rule]] tables)"},
      {"[rule]\nname = \"r\"\naction = \"accept\"\n",
       "t.toml:1:2: 'rule' must be written as [[rule]] tables (an array of tables)"},
      // conditions
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { dmrac = \"fail\" }\n",
       std::string("t.toml:4:10: unknown key 'dmrac' in 'when' (conditions) ") + kValidConditions},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = \"dmarc=fail\"\n",
       "t.toml:4:8: 'when' must be a table, not a string"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { dmarc = \"fial\" }\n",
       "t.toml:4:18: unknown dmarc value 'fial' (valid: pass, fail, none, temperror, permerror)"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { dmarc = [\"fail\", 3] }\n",
       "t.toml:4:27: 'dmarc' must be a string or a list of strings, not an integer"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { dmarc = [] }\n",
       "t.toml:4:18: 'dmarc' is an empty list and would never match"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { dmarc_policy = \"quarantaine\" }\n",
       "t.toml:4:25: unknown dmarc_policy value 'quarantaine' (valid: none, quarantine, reject)"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { spf = \"softfial\" }\n",
       "t.toml:4:16: unknown spf value 'softfial' (valid: none, neutral, pass, fail, softfail, "
       "temperror, permerror)"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { dkim = \"softfail\" }\n",
       "t.toml:4:17: unknown dkim value 'softfail' (valid: none, pass, fail, policy, neutral, "
       "temperror, permerror)"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { testing = \"yes\" }\n",
       "t.toml:4:20: 'testing' must be true or false, not a string"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { client_network = [\"192.0.2.0/24\", "
       "\"10.0.0.300/8\"] }\n",
       "t.toml:4:44: bad CIDR '10.0.0.300/8' in client_network (write an address or network such "
       "as 192.0.2.0/24 or 2001:db8::/32)"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { client_network = \"2001:db8::/129\" "
       "}\n",
       "t.toml:4:27: bad CIDR '2001:db8::/129' in client_network (write an address or network "
       "such as 192.0.2.0/24 or 2001:db8::/32)"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { from_domain = \"alice@example.com\" "
       "}\n",
       "t.toml:4:24: domain pattern 'alice@example.com' must be a domain name, not an address or "
       "text with spaces"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { recipient_domain = \"\" }\n",
       "t.toml:4:29: empty domain pattern"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { from_problem = \"two-from\" }\n",
       "t.toml:4:25: unknown from_problem value 'two-from' (valid: no-from, multiple-from, "
       "multiple-addresses, unparseable, too-many-authors)"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { header = { matches = \"*\" } }\n",
       "t.toml:4:19: header condition needs 'name' (the header field name, e.g. \"List-Id\")"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { header = { name = \"List-Id\", "
       "value = \"x\" } }\n",
       "t.toml:4:39: unknown key 'value' in header condition (valid: name, present, matches, "
       "contains)"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { header = { name = \"List Id\" } }\n",
       "t.toml:4:28: 'List Id' is not a header field name"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { header = { name = \"X\", matches = "
       "\"a\", contains = \"b\" } }\n",
       "t.toml:4:19: header condition: use either 'matches' or 'contains', not both"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { header = { name = \"X\", present = "
       "false, matches = \"a\" } }\n",
       "t.toml:4:19: header condition: 'present = false' cannot be combined with 'matches' or "
       "'contains'"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nwhen = { header = \"List-Id\" }\n",
       "t.toml:4:19: 'header' must be a table such as { name = \"List-Id\" } or a list of them"},
      // stage
      {"[[rule]]\nname = \"r\"\nstage = \"mail_from\"\naction = \"reject\"\nwhen = { dmarc = "
       "\"fail\" }\n",
       "t.toml:5:18: condition 'dmarc' is not known at stage 'mail_from' (valid there: spf, "
       "spf_helo, mail_from_domain, client_network, client_name, authenticated, trusted, "
       "dns_temperror)"},
      {"[[rule]]\nname = \"r\"\nstage = \"mail_from\"\naction = \"quarantine\"\n",
       "t.toml:4:10: action 'quarantine' is not possible at stage 'mail_from' (valid there: "
       "accept, reject, tempfail)"},
      // replies
      {"[[rule]]\nname = \"r\"\naction = \"reject\"\nreply = \"450 4.7.1 later\"\n",
       "t.toml:4:9: reply code 450 does not fit action 'reject' (it needs a 5xx code, e.g. '550 "
       "5.7.1 ...')"},
      {"[[rule]]\nname = \"r\"\naction = \"tempfail\"\nreply = \"550 5.7.1 no\"\n",
       "t.toml:4:9: reply code 550 does not fit action 'tempfail' (it needs a 4xx code, e.g. '451 "
       "4.4.3 ...')"},
      {"[[rule]]\nname = \"r\"\naction = \"reject\"\nreply = \"550 4.7.1 no\"\n",
       "t.toml:4:9: enhanced status code 4.7.1 does not match reply code 550 (its first digit "
       "must be 5)"},
      {"[[rule]]\nname = \"r\"\naction = \"reject\"\nreply = \"550 go away\"\n",
       "t.toml:4:9: reply '550 go away' lacks an enhanced status code after 550 (RFC 3463), e.g. "
       "'550 5.7.1 ...'"},
      {"[[rule]]\nname = \"r\"\naction = \"reject\"\nreply = \"5.7.1 go away\"\n",
       "t.toml:4:9: reply '5.7.1 go away' starts with an enhanced status code but no reply code, "
       "e.g. '550 5.7.1 ...'"},
      {"[[rule]]\nname = \"r\"\naction = \"reject\"\nreply = \"590 5.7.1 x\"\n",
       "t.toml:4:9: reply code '590' is not an SMTP reply code (RFC 5321 §4.2)"},
      {"[[rule]]\nname = \"r\"\naction = \"reject\"\nreply = \"5500 5.7.1 x\"\n",
       "t.toml:4:9: reply code '5500' is not an SMTP reply code (RFC 5321 §4.2)"},
      {"[[rule]]\nname = \"r\"\naction = \"reject\"\nreply = \"550 5.7.1 {fromdomain}\"\n",
       "t.toml:4:9: 'reply': unknown placeholder '{fromdomain}' (valid: {rule}, {from_domain}, "
       "{policy_domain}, {dmarc_policy}, {effective_policy}, {dmarc}, {spf}, {spf_domain}, "
       "{mail_from}, {client_ip}, "
       "{helo}, {queue_id}, {from_problem}, {client_name})"},
      {"[[rule]]\nname = \"r\"\naction = \"reject\"\nreply = \"550 5.7.1 a { b\"\n",
       "t.toml:4:9: 'reply': unclosed '{' (write '{{' for a literal brace)"},
      {"[[rule]]\nname = \"r\"\naction = \"reject\"\nreply = \"550 5.7.1 a\\r\\n250 ok\"\n",
       "t.toml:4:9: 'reply': text must not contain control characters"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nreply = \"250 ok\"\n",
       "t.toml:4:9: 'reply' does not apply to action 'accept' (only to reject and tempfail)"},
      // tag, quarantine
      {"[[rule]]\nname = \"r\"\naction = \"tag\"\n",
       "t.toml:3:10: action 'tag' needs 'add_header' and/or 'subject_prefix'"},
      {"[[rule]]\nname = \"r\"\naction = \"tag\"\nadd_header = \"X-No-Colon\"\n",
       "t.toml:4:14: 'add_header' must look like \"X-Name: value\", not 'X-No-Colon'"},
      {"[[rule]]\nname = \"r\"\naction = \"tag\"\nadd_header = [\"X-Ok: 1\", \"Bad Name: 2\"]\n",
       "t.toml:4:26: 'add_header' must look like \"X-Name: value\", not 'Bad Name: 2'"},
      {"[[rule]]\nname = \"r\"\naction = \"tag\"\nsubject_prefix = \"{subject}\"\n",
       "t.toml:4:18: 'subject_prefix': unknown placeholder '{subject}' (valid: {rule}, "
       "{from_domain}, {policy_domain}, {dmarc_policy}, {effective_policy}, {dmarc}, {spf}, "
       "{spf_domain}, "
       "{mail_from}, {client_ip}, {helo}, {queue_id}, {from_problem}, {client_name})"},
      {"[[rule]]\nname = \"r\"\naction = \"reject\"\nsubject_prefix = \"x\"\n",
       "t.toml:4:18: 'subject_prefix' does not apply to action 'reject' (only to tag)"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\nreason = \"x\"\n",
       "t.toml:4:10: 'reason' does not apply to action 'accept' (only to quarantine)"},
      // overrides
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\noverride = \"mailinglist\"\n",
       "t.toml:4:12: unknown override 'mailinglist' (valid: local_policy, trusted_forwarder, "
       "mailing_list, policy_test_mode, sampled_out, other)"},
      {"[[rule]]\nname = \"r\"\naction = \"reject\"\noverride = \"local_policy\"\n",
       "t.toml:4:12: 'override' does not apply to action 'reject' (only to accept, tag and "
       "quarantine: the actions that can weaken the domain owner's policy)"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\ncomment = \"x\"\n",
       "t.toml:4:11: 'comment' explains an 'override'; set 'override' too"},
      {"[[rule]]\nname = \"r\"\naction = \"accept\"\noverride = \"other\"\n",
       "t.toml:4:12: override 'other' needs a 'comment' saying what it is (RFC 9990 §4.3)"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(policy_error(c.text) == c.want);
  }
}

TEST_CASE("TOML syntax errors carry the position too") {
  std::string e = policy_error("[[rule]]\nname = \"r\nacti", "/etc/alignd/policies/x.toml");
  CHECK_THAT(e, Catch::StartsWith("/etc/alignd/policies/x.toml:2:"));
}

TEST_CASE("duplicate names across files name both places") {
  try {
    PolicyEngine::compile({{"a.toml", "[[rule]]\nname = \"dup\"\naction = \"accept\"\n"},
                           {"b.toml", "\n\n[[rule]]\naction = \"accept\"\nname = \"dup\"\n"}});
    FAIL("compiled");
  } catch (const PolicyError& e) {
    CHECK(std::string(e.what()) ==
          "b.toml:5:8: duplicate rule name 'dup' (first defined at a.toml:1:1)");
  }
}

TEST_CASE("a valid policy compiles") {
  CHECK(policy_error("[[rule]]\nname = \"r\"\naction = \"accept\"\n") == "(compiled)");
}

// Issue 10 item 1: an exemption from a DMARC failure that any sender can claim.
TEST_CASE("a rule lifting a DMARC failure on forgeable conditions is refused") {
  auto rule = [](const std::string& action, const std::string& when) {
    std::string extra = action == "tag" ? "add_header = \"X-A: b\"\n" : "";
    return "[[rule]]\nname = \"r\"\naction = \"" + action + "\"\n" + extra + "when = " + when +
           "\n";
  };
  struct Verdict {
    const char* action;
    const char* when;
    bool refused;
  };
  const Verdict cases[] = {
      // the shipped rule of old: List-Id plus anybody's DKIM pass
      {"accept", R"({ dmarc = "fail", dkim = "pass", header = { name = "List-Id" } })", true},
      {"accept",
       R"({ dmarc = "fail", header = { name = "List-Id", matches = "*<dev.lists.example.org>" } })",
       true},
      {"tag", R"({ dmarc = ["fail"], header = { name = "Precedence", matches = "list" } })", true},
      {"accept", R"({ dmarc = "fail", spf = "pass" })", true},
      {"accept", R"({ dmarc = "fail", mail_from_domain = "lists.example.org" })", true},
      {"accept", R"({ dmarc = "fail", from_problem = "multiple-from" })", true},
      {"quarantine", R"({ dmarc = "fail", header = { name = "List-Id" } })", true},
      {"accept", R"({ dmarc = "fail", dmarc_policy = "reject", dkim = "pass" })", true},
      // anchored to the sending host
      {"accept",
       R"({ dmarc = "fail", client_name = "*.lists.example.org", header = { name = "List-Id" } })",
       false},
      {"accept", R"({ dmarc = "fail", client_network = "192.0.2.0/24", dkim = "pass" })", false},
      {"accept", R"({ dmarc = "fail", mail_from_domain = "lists.example.org", spf = "pass" })",
       false},
      {"accept", R"({ dmarc = "fail", trusted = true, header = { name = "X-Our-Relay" } })", false},
      // nothing to lift
      {"tag", R"({ dmarc = "fail", effective_policy = "none", header = { name = "List-Id" } })",
       false},
      {"quarantine", R"({ dmarc = "fail", effective_policy = "quarantine", dkim = "pass" })",
       false},
      {"reject", R"({ dmarc = "fail", header = { name = "List-Id" } })", false},
      {"accept", R"({ dmarc = "pass", header = { name = "List-Id" } })", false},
      // a blanket local choice, not something the sender opts into
      {"quarantine", R"({ dmarc = "fail", dmarc_policy = ["quarantine", "reject"] })", false},
      {"tag", R"({ dmarc = "fail", recipient_domain = "finance.example.net" })", false},
  };
  for (const auto& c : cases) {
    std::string text = rule(c.action, c.when);
    INFO(text);
    std::string err = policy_error(text);
    if (c.refused) {
      CHECK_THAT(err, Catch::StartsWith("t.toml:"));
      CHECK_THAT(err, Catch::Contains(":8: rule 'r': this rule lets a DMARC failure through"));
      CHECK_THAT(err, Catch::Contains("any sender can forge"));
    } else {
      CHECK(err == "(compiled)");
    }
  }
}

TEST_CASE("a forgeable rule without a dmarc condition is refused before an enforcing rule") {
  const std::string reject =
      "\n[[rule]]\nname = \"dmarc-reject\"\nwhen = { dmarc = \"fail\", effective_policy = "
      "\"reject\" }\naction = \"reject\"\n";
  const std::string quarantine =
      "\n[[rule]]\nname = \"hold\"\nwhen = { dmarc = \"fail\" }\naction = \"quarantine\"\n";
  auto rule = [](const std::string& action, const std::string& when) {
    std::string extra = action == "tag" ? "add_header = \"X-A: b\"\n" : "";
    return "[[rule]]\nname = \"r\"\naction = \"" + action + "\"\n" + extra + "when = " + when +
           "\n";
  };
  struct Case {
    const char* action;
    const char* when;
    bool before_reject_refused;
  };
  const Case cases[] = {
      // the audit's bypass: no dmarc condition, so the old check never looked
      {"accept", R"({ header = { name = "List-Id" } })", true},
      {"accept", R"({ dkim = "pass" })", true},
      {"tag", R"({ spf = "fail" })", true},
      {"quarantine", R"({ header = { name = "X-Spam", present = true } })", true},
      {"accept", R"({ from_problem = "multiple-addresses" })", true},
      // anchored, limited, or nothing the sender writes
      {"accept", R"({ client_network = "192.0.2.0/24", header = { name = "List-Id" } })", false},
      {"accept", R"({ authenticated = true })", false},
      {"accept", R"({ header = { name = "List-Id" }, dmarc = "pass" })", false},
      {"tag", R"({ header = { name = "List-Id" }, effective_policy = "none" })", false},
      {"accept", R"({ recipient_domain = "postmaster.example.net" })", false},
      {"reject", R"({ header = { name = "X-Spam", present = true } })", false},
  };
  for (const auto& c : cases) {
    const std::string first = rule(c.action, c.when);
    INFO(first);
    // After the enforcing rule: harmless, the enforcing rule decided first.
    CHECK(policy_error(reject + "\n" + first) == "(compiled)");
    std::string err = policy_error(first + reject);
    if (c.before_reject_refused) {
      CHECK_THAT(err, Catch::StartsWith("t.toml:"));
      CHECK_THAT(err, Catch::Contains("rule 'r': this rule comes before rule 'dmarc-reject'"));
      CHECK_THAT(err, Catch::Contains("any sender can forge"));
    } else {
      CHECK(err == "(compiled)");
    }
  }
  // Only an enforcing rule stronger than the forgeable one counts: a quarantine
  // before a hold lifts nothing; a tag before it does.
  CHECK(policy_error(rule("quarantine", R"({ header = { name = "List-Id" } })") + quarantine) ==
        "(compiled)");
  CHECK_THAT(policy_error(rule("tag", R"({ header = { name = "List-Id" } })") + quarantine),
             Catch::Contains("comes before rule 'hold'"));
  // Across files, in load order: the refusal names both places.
  std::string across;
  try {
    PolicyEngine::compile({{"mine.toml", rule("accept", R"({ header = { name = "List-Id" } })")},
                           {"enforce.toml", reject}});
  } catch (const PolicyError& e) {
    across = e.what();
  }
  CHECK_THAT(across, Catch::StartsWith("mine.toml:"));
  CHECK_THAT(across, Catch::Contains("(enforce.toml:2:1, action 'reject' on a DMARC failure)"));
}
