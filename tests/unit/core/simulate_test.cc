// core/simulate: records of decided messages replayed through a candidate
// policy; what moves where, grouped by From domain and source, and the summary.
#include <catch2/catch.hpp>

#include "core/simulate/compare.h"
#include "policy_test_util.h"

using namespace alignd;
using namespace alignd::testing;

namespace {

const char* kEnforce = R"(
[[rule]]
name = "trusted"
when = { trusted = true }
action = "accept"
[[rule]]
name = "dmarc-reject"
when = { dmarc = "fail", effective_policy = "reject" }
action = "reject"
[[rule]]
name = "dmarc-quarantine"
when = { dmarc = "fail", effective_policy = "quarantine" }
action = "quarantine"
)";

MessageRecord rec(Evidence ev, const std::string& queue, const std::string& action = "accept") {
  ev.queue_id = queue;
  Verdict v;
  v.action = action == "reject"       ? Action::Reject
             : action == "quarantine" ? Action::Quarantine
                                      : Action::Accept;
  return make_message_record(ev, v, 1000, {"List-Id"});
}

Evidence via_list() {
  Evidence ev = failing_mail();
  ev.client_ip = "198.51.100.7";
  ev.headers.push_back({"List-Id", " <dev.lists.example.org>"});
  return ev;
}

}  // namespace

TEST_CASE("simulate: what moves, per From domain and source", "[simulate]") {
  Evidence quarantined = failing_mail();
  quarantined.dmarc.author_domain = "quar.example";
  quarantined.dmarc.requested_policy = RequestedPolicy::Quarantine;
  Evidence testing = failing_mail();
  testing.dmarc.testing = true;  // t=y: reject -> quarantine
  Evidence own = failing_mail();
  own.trusted = true;

  std::vector<MessageRecord> recs = {
      rec(via_list(), "L1"),
      rec(via_list(), "L2"),
      rec(via_list(), "L3"),
      rec(via_list(), "L4"),
      rec(passing_mail(), "P1"),
      rec(quarantined, "Q1"),
      rec(testing, "T1"),
      rec(own, "O1"),
      rec(failing_mail(), "R1", "reject"),  // already rejected: no change
  };
  SimulationResult r = simulate_policy(recs, compile_policy(kEnforce));
  CHECK(r.messages == 9);
  CHECK(r.changed == 6);
  CHECK(r.moves["accept"]["reject"] == 4);
  CHECK(r.moves["accept"]["quarantine"] == 2);
  REQUIRE(r.groups.size() == 3);
  const ChangeGroup& g = r.groups[0];  // the biggest first
  CHECK(g.from_domain == "example.com");
  CHECK(g.source == "198.51.100.7");
  CHECK(g.rule == "dmarc-reject");
  CHECK(g.count == 4);
  CHECK(g.examples == std::vector<std::string>{"L1", "L2", "L3"});
  CHECK(g.with_list_id == 4);
  CHECK(g.hint.find("a list") != std::string::npos);
  CHECK(g.hint.find("client_network = \"198.51.100.7\"") != std::string::npos);

  auto lines = simulation_summary(r, "enforce.toml", "last week");
  REQUIRE(lines.size() >= 3);
  CHECK(lines[0] ==
        "9 messages last week replayed through enforce.toml; 6 would be handled differently");
  CHECK(simulation_summary(r, "enforce.toml", "last week", "example.com")[0] ==
        "9 messages from example.com (and its subdomains) last week replayed through "
        "enforce.toml; 6 would be handled differently");  // the --domain filter, echoed
  CHECK(
      lines[1].rfind("switching to enforce.toml would have rejected 4 messages last week, all from "
                     "198.51.100.7 (a list",
                     0) == 0);
  CHECK(lines[2] ==
        "switching to enforce.toml would have quarantined 2 messages last week, all from "
        "203.0.113.5");
}

TEST_CASE("simulate: the way back, and no change under the same policy", "[simulate]") {
  std::vector<MessageRecord> recs = {rec(failing_mail(), "R1", "reject"),
                                     rec(passing_mail(), "P1")};
  SimulationResult back = simulate_policy(recs, PolicyEngine());  // monitor: accept all
  CHECK(back.changed == 1);
  CHECK(back.moves["reject"]["accept"] == 1);
  auto lines = simulation_summary(back, "default.toml", "last week");
  CHECK(lines.back() ==
        "switching to default.toml would have delivered 1 message that was held or refused");

  // A stricter move counts as newly refused too: quarantined before, rejected now.
  Evidence held = failing_mail();
  SimulationResult harder =
      simulate_policy({rec(held, "H1", "quarantine"), rec(held, "H2", "reject")},
                      compile_policy(kEnforce));
  CHECK(harder.changed == 1);
  auto hl = simulation_summary(harder, "enforce.toml", "last week");
  REQUIRE(hl.size() == 2);
  CHECK(hl[1].rfind("switching to enforce.toml would have rejected 1 message last week", 0) == 0);

  SimulationResult same = simulate_policy(recs, compile_policy(kEnforce));
  CHECK(same.changed == 0);
  CHECK(same.groups.empty());
}

TEST_CASE("simulate: MAIL FROM rules refuse first, as in the milter", "[simulate]") {
  Evidence ev = passing_mail();
  ev.spf_mailfrom.result = Outcome::Fail;
  auto p = compile_policy(R"(
[[rule]]
name = "early-spf"
stage = "mail_from"
when = { spf = "fail" }
action = "reject"
)");
  SimulationResult r = simulate_policy({rec(ev, "E1")}, p);
  REQUIRE(r.groups.size() == 1);
  CHECK(r.groups[0].after == "reject");
  CHECK(r.groups[0].rule == "early-spf");
}

TEST_CASE("simulate: records keep what conditions read, and only the kept fields", "[simulate]") {
  Evidence ev = via_list();
  ev.headers.push_back({"X-Secret", " not kept"});
  ev.client_names = {"lists.example.org"};
  ev.client_name_status = "verified";
  MessageRecord r = rec(ev, "Q9");
  REQUIRE(r.ev.headers.size() == 1);
  CHECK(r.ev.headers[0].name == "List-Id");
  CHECK(r.ev.dmarc.requested_policy == RequestedPolicy::Reject);
  CHECK(r.ev.rcpt_to == ev.rcpt_to);
  CHECK(message_source(r.ev) == "lists.example.org");
  auto p = compile_policy(R"(
[[rule]]
name = "lists"
when = { dmarc = "fail", client_name = "lists.example.org", header = { name = "List-Id" } }
action = "accept"
override = "mailing_list"
[[rule]]
name = "dmarc-reject"
when = { dmarc = "fail" }
action = "reject"
)");
  CHECK(simulate_policy({r}, p).changed == 0);  // the list exemption matches the stored facts
}
