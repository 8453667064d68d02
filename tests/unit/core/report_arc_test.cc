// ARC in evaluations and aggregate reports (core/report/evaluation_arc.h, issue 13):
// make_evaluation keeps the chain and whether the override rested on it, the
// engine marks overrides of rules on arc_trusted_* conditions, the report comment
// names the chain (RFC 9990 has no ARC element), rows with different chains stay
// apart, and the XML still validates against RFC 9990's schema.
#include <catch2/catch.hpp>

#include "core/arc/trust.h"
#include "core/report/aggregate.h"
#include "core/report/evaluation.h"
#include "core/report/xml.h"
#include "policy_test_util.h"
#include "report_fixtures.h"

using namespace alignd;
using alignd::testing::compile_policy;
using alignd::testing::failing_mail;

namespace {

// failing_mail() with rua=, arriving through a chain sealed by `sealers` (oldest
// first), the oldest AAR recording dmarc=pass for example.com.
Evidence rescued(const std::vector<std::string>& sealers,
                 const std::vector<std::string>& trusted = {"lists.example.org"}) {
  Evidence ev = failing_mail();
  ev.client_ip = "192.0.2.77";  // not kPolicy's forwarder network
  ev.dmarc.record = "v=DMARC1; p=reject; rua=mailto:dmarc@example.com";
  ev.arc.checked = true;
  ev.arc.status = Outcome::Pass;
  ev.arc.oldest_pass = 0;
  int i = 0;
  for (const auto& d : sealers) {
    ArcSetInfo s;
    s.instance = ++i;
    s.seal_domain = d;
    s.seal_selector = "sel" + std::to_string(i);
    if (i == 1) {
      s.aar.dmarc = "pass";
      s.aar.dmarc_from = "example.com";
    }
    ev.arc.sets.push_back(s);
  }
  ev.arc.max_instance = i;
  apply_arc_trust(ev.arc, trusted, ev.dmarc.author_domain);
  return ev;
}

const char* const kPolicy = R"(
[[rule]]
name = "arc"
when = { dmarc = "fail", arc_trusted_pass = true }
action = "accept"
override = "trusted_forwarder"
comment = "trusted ARC"

[[rule]]
name = "forwarder"
when = { dmarc = "fail", client_network = "203.0.113.0/24" }
action = "accept"
override = "mailing_list"

[[rule]]
name = "reject"
when = { dmarc = "fail" }
action = "reject"
)";

EvaluationArc arc_of(std::vector<ArcSetSealer> sealers, bool used = true) {
  EvaluationArc a;
  a.result = "pass";
  a.sealers = std::move(sealers);
  a.oldest_pass = 0;
  a.trusted_instance = 1;
  a.override_used = used;
  return a;
}

Evaluation rescued_row(std::int64_t t, EvaluationArc arc) {
  Evaluation e = alignd::testing::failing_evaluation(t);
  e.disposition = "none";
  e.overrides = {{"trusted_forwarder", "trusted ARC"}};
  e.arc = std::move(arc);
  return e;
}

}  // namespace

TEST_CASE("engine: an override is an ARC override only from a rule on arc_trusted_*", "[report]") {
  auto engine = compile_policy(kPolicy);
  Verdict v = engine.decide(rescued({"lists.example.org"}));
  CHECK(v.rule == "arc");
  CHECK(v.override_reason == "trusted_forwarder");
  CHECK(v.override_arc);

  Evidence fwd = failing_mail();                     // 203.0.113.5: the client_network rule
  fwd.arc = rescued({"lists.example.org"}, {}).arc;  // a chain, but nobody trusted
  v = engine.decide(fwd);
  CHECK(v.rule == "forwarder");
  CHECK(v.override_reason == "mailing_list");
  CHECK_FALSE(v.override_arc);

  auto negated = compile_policy(R"(
[[rule]]
name = "no-arc"
when = { dmarc = "fail", arc_trusted_pass = false }
action = "accept"
override = "local_policy"
)");
  v = negated.decide(failing_mail());
  CHECK(v.override_reason == "local_policy");
  CHECK_FALSE(v.override_arc);
}

TEST_CASE("make_evaluation keeps the ARC chain and whether the override used it", "[report]") {
  auto engine = compile_policy(kPolicy);
  Evidence ev = rescued({"lists.example.org", "lists.example.org"});
  ev.arc.oldest_pass = 2;
  Verdict v = engine.decide(ev);
  REQUIRE(should_record(ev));
  Evaluation e = make_evaluation(ev, v, 100);
  CHECK(e.disposition == "none");
  REQUIRE(e.overrides.size() == 1);
  CHECK(e.overrides[0].type == "trusted_forwarder");
  CHECK(e.overrides[0].comment == "trusted ARC");  // the chain is added in the report
  CHECK(e.arc.result == "pass");
  CHECK(e.arc.sealers == std::vector<ArcSetSealer>{{1, "lists.example.org", "sel1"},
                                                   {2, "lists.example.org", "sel2"}});
  CHECK(e.arc.oldest_pass == 2);
  CHECK(e.arc.trusted_instance == 1);
  CHECK(e.arc.override_used);

  // Untrusted sealer: the chain is kept, no override, rejected.
  ev = rescued({"evil.example"});
  v = engine.decide(ev);
  e = make_evaluation(ev, v, 100);
  CHECK(e.disposition == "reject");
  CHECK(e.overrides.empty());
  CHECK(e.arc.result == "pass");
  CHECK(e.arc.sealers == std::vector<ArcSetSealer>{{1, "evil.example", "sel1"}});
  CHECK(e.arc.trusted_instance == 0);
  CHECK_FALSE(e.arc.override_used);

  // A failed chain: its reason, no oldest-pass; no chain at all: "none".
  ev = failing_mail();
  ev.arc.checked = true;
  ev.arc.status = Outcome::Fail;
  ev.arc.reason = "ARC-Seal i=2: signature did not verify";
  e = make_evaluation(ev, engine.decide(ev), 100);
  CHECK(e.arc.result == "fail");
  CHECK(e.arc.reason == "ARC-Seal i=2: signature did not verify");
  CHECK(e.arc.oldest_pass == -1);
  ev.arc = {};
  ev.arc.checked = true;
  CHECK(make_evaluation(ev, engine.decide(ev), 100).arc.result == "none");
  ev.arc.checked = false;  // [arc] verify = false: not recorded
  CHECK(make_evaluation(ev, engine.decide(ev), 100).arc == EvaluationArc{});
}

TEST_CASE("arc_reason_comment: newest instance first, then the rule's comment", "[report]") {
  EvaluationArc a = arc_of({{1, "lists.example.org", "s1"}, {2, "relay.example.com", "s2"}});
  CHECK(arc_reason_comment(a, "rule text") ==
        "arc=pass as[2].d=relay.example.com as[2].s=s2 as[1].d=lists.example.org as[1].s=s1 "
        "oldest-pass=0 aar[1].dmarc=pass; rule text");
  CHECK(arc_reason_comment(a, "").ends_with("aar[1].dmarc=pass"));
  // Names from the message become one printable word each.
  a = arc_of({{1, "bad name\x01", ""}});
  CHECK(arc_reason_comment(a, "") ==
        "arc=pass as[1].d=bad?name? as[1].s=? oldest-pass=0 "
        "aar[1].dmarc=pass");
  // At most 10 instances are named (a chain may have 50).
  std::vector<ArcSetSealer> many;
  for (int i = 1; i <= 12; ++i) many.push_back({i, "l" + std::to_string(i) + ".example", "s"});
  std::string c = arc_reason_comment(arc_of(many), "");
  CHECK(c.find("as[12].d=l12.example") != std::string::npos);
  CHECK(c.find("as[3].d=l3.example") != std::string::npos);
  CHECK(c.find("as[2].d=") == std::string::npos);
  CHECK(c.find("(2 older)") != std::string::npos);
}

TEST_CASE("aggregate: the ARC comment, and rows apart per chain", "[report]") {
  const std::int64_t day = 1795219200;
  EvaluationArc one = arc_of({{1, "lists.example.org", "s1"}});
  EvaluationArc two = arc_of({{1, "lists.example.org", "s1"}, {2, "relay.example.com", "s2"}});
  std::vector<Evaluation> evs = {rescued_row(day + 1, one), rescued_row(day + 2, one),
                                 rescued_row(day + 3, two)};
  // The same DMARC-level row without an ARC override: the chain is not reported,
  // so different chains merge (the report shows nothing that tells them apart).
  Evaluation plain_a = alignd::testing::failing_evaluation(day + 4);
  plain_a.arc = arc_of({{1, "evil.example", "x"}}, false);
  Evaluation plain_b = alignd::testing::failing_evaluation(day + 5);
  plain_b.arc = arc_of({{1, "other.example", "y"}}, false);
  evs.push_back(plain_a);
  evs.push_back(plain_b);

  auto r = aggregate({"R", "r@receiver.example", "", "receiver.example", "alignd test"},
                     {"example.com", day, day + kDay}, evs);
  REQUIRE(r.rows.size() == 3);
  // Equal counts and IPs keep the order of first appearance: rescued first.
  CHECK(r.rows[1].count == 2);
  CHECK(r.rows[1].reasons.empty());  // the two rejects, merged
  CHECK(r.rows[0].count == 2);
  REQUIRE(r.rows[0].reasons.size() == 1);
  CHECK(r.rows[0].reasons[0].comment ==
        "arc=pass as[1].d=lists.example.org as[1].s=s1 oldest-pass=0 aar[1].dmarc=pass; "
        "trusted ARC");
  CHECK(r.rows[2].count == 1);
  CHECK(r.rows[2].reasons[0].comment.starts_with("arc=pass as[2].d=relay.example.com"));

  std::string xml = report_xml(r, ReportFormat::Rfc9990);
  CHECK(xml.find("<type>trusted_forwarder</type>") != std::string::npos);
  CHECK(xml.find("<comment>arc=pass as[1].d=lists.example.org") != std::string::npos);
  std::string path = alignd::testing::write_temp(xml);
  CHECK(alignd::testing::run("xmllint --noout --schema '" +
                             std::string(alignd::testing::kRfc9990Xsd) + "' '" + path + "'") == 0);
  std::remove(path.c_str());
  // The legacy format carries the same comment (RFC 7489 reasons have one too).
  CHECK(report_xml(r, ReportFormat::Rfc7489).find("<comment>arc=pass as[2].d=relay") !=
        std::string::npos);
}
