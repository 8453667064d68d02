// Tests for core/report/{evaluation,destination,aggregate,period}.h: what gets
// recorded, how an Evidence becomes an Evaluation, rua destinations, RFC 9990
// §3.1.3 DKIM order, periods.
#include <catch2/catch.hpp>

#include "core/report/aggregate.h"
#include "core/report/destination.h"
#include "core/report/evaluation.h"
#include "core/report/period.h"
#include "report_fixtures.h"

using namespace alignd;

namespace {

Evidence inbound() {
  Evidence ev;
  ev.client_ip = "192.0.2.10";
  ev.helo = "mail.example.com";
  ev.mail_from = "bounce@Mail.Example.com";
  ev.rcpt_to = {"user@Receiver.Example", "other@second.example"};
  ev.headers = {{"From", " a@example.com"}, {"Subject", " hello"}};
  ev.spf_mailfrom.checked = true;
  ev.spf_mailfrom.result = Outcome::Pass;
  ev.spf_mailfrom.domain = "mail.example.com";
  DkimResult d;
  d.result = Outcome::Pass;
  d.domain = "example.com";
  d.selector = "s1";
  ev.dkim.push_back(d);
  ev.dmarc.evaluated = true;
  ev.dmarc.result = Outcome::Pass;
  ev.dmarc.author_domain = "example.com";
  ev.dmarc.policy_domain = "example.com";
  ev.dmarc.organizational_domain = "example.com";
  ev.dmarc.discovery = "tree-walk";
  ev.dmarc.record = "v=DMARC1; p=reject; rua=mailto:dmarc@example.com";
  ev.dmarc.requested_policy = RequestedPolicy::Reject;
  ev.dmarc.policy_tag = "p";
  ev.dmarc.dkim_aligned = true;
  ev.dmarc.spf_aligned = true;
  ev.dmarc.applied_disposition = "none";
  return ev;
}

}  // namespace

TEST_CASE("should_record: only attributable inbound DMARC mail with rua=", "[report]") {
  struct Case {
    const char* name;
    void (*edit)(Evidence&);
    bool want;
  };
  const Case cases[] = {
      {"plain inbound", [](Evidence&) {}, true},
      {"outbound (trusted)", [](Evidence& e) { e.trusted = true; }, false},
      {"outbound (authenticated)", [](Evidence& e) { e.authenticated = true; }, false},
      {"DMARC not evaluated", [](Evidence& e) { e.dmarc.evaluated = false; }, false},
      {"no policy domain", [](Evidence& e) { e.dmarc.policy_domain = ""; }, false},
      {"no rua", [](Evidence& e) { e.dmarc.record = "v=DMARC1; p=reject"; }, false},
      {"rua without mailto",
       [](Evidence& e) { e.dmarc.record = "v=DMARC1; p=none; rua=https://r.example/x"; }, false},
      {"not a DMARC record", [](Evidence& e) { e.dmarc.record = "v=spf1 -all"; }, false},
      // issue 10 item 2: a broken From is recorded for each domain evaluated, so
      // the domain owner sees the attack (RFC 9989 §11.5)
      {"two From fields", [](Evidence& e) { e.from_problem = "multiple-from"; }, true},
      {"several author domains", [](Evidence& e) { e.from_problem = "multiple-addresses"; }, true},
      {"aggregate report",
       [](Evidence& e) {
         e.headers.push_back({"Subject",
                              " Report Domain: example.com\r\n Submitter: big.example"
                              " Report-ID: <1@big.example>"});
         e.headers.push_back({"Content-Type", " multipart/mixed;\r\n boundary=\"x\""});
       },
       false},
      {"failure report",
       [](Evidence& e) {
         e.headers.push_back(
             {"Content-Type", " multipart/report; report-type=feedback-report;\r\n boundary=x"});
       },
       false},
      {"subject that merely mentions reports",
       [](Evidence& e) {
         e.headers.push_back({"Subject", " Report Domain names please"});
       },
       true},
      {"DMARC fail is recorded too", [](Evidence& e) { e.dmarc.result = Outcome::Fail; }, true},
      // Issue 10 item 6: a report-like Subject or Content-Type must not hide spoofed
      // mail from the domain owner's reports. Only mail that passes DMARC, i.e. that
      // the author domain itself authenticated, is skipped as a report.
      {"spoofed mail dressed as an aggregate report is recorded",
       [](Evidence& e) {
         e.dmarc.result = Outcome::Fail;
         e.dmarc.dkim_aligned = e.dmarc.spf_aligned = false;
         e.headers.push_back({"Subject", " Report Domain: example.com Submitter: big.example"});
         e.headers.push_back({"Content-Type", " multipart/mixed; boundary=x"});
       },
       true},
      {"spoofed mail dressed as a failure report is recorded",
       [](Evidence& e) {
         e.dmarc.result = Outcome::Fail;
         e.headers.push_back(
             {"Content-Type", " multipart/report; report-type=feedback-report; boundary=x"});
       },
       true},
      {"report-like mail with DMARC temperror is recorded",
       [](Evidence& e) {
         e.dmarc.result = Outcome::TempError;
         e.headers.push_back({"Subject", " Report Domain: example.com Submitter: big.example"});
       },
       true},
      {"report Subject with a text/plain body is no report",
       [](Evidence& e) {
         e.headers.push_back({"Subject", " Report Domain: example.com Submitter: big.example"});
         e.headers.push_back({"Content-Type", " text/plain"});
       },
       true},
      {"single-part gzip report",
       [](Evidence& e) {
         e.headers.push_back({"Subject", " Report Domain: example.com Submitter: big.example"});
         e.headers.push_back({"Content-Type", " application/gzip"});
       },
       false},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Evidence ev = inbound();
    c.edit(ev);
    CHECK(should_record(ev) == c.want);
  }
}

TEST_CASE("make_evaluation copies identifiers, results and policy", "[report]") {
  Evidence ev = inbound();
  DkimResult bad;
  bad.result = Outcome::Fail;
  bad.domain = "Other.Example";
  bad.selector = "k";
  bad.reason = "body hash mismatch";
  ev.dkim.push_back(bad);
  Verdict v;
  Evaluation e = make_evaluation(ev, v, 1795219200);
  CHECK(e.time == 1795219200);
  CHECK(e.source_ip == "192.0.2.10");
  CHECK(e.envelope_from == "mail.example.com");
  CHECK(e.envelope_to == "receiver.example");
  CHECK(e.header_from == "example.com");
  CHECK(e.policy_domain == "example.com");
  CHECK(e.policy.p == "reject");
  CHECK(e.policy.discovery == "treewalk");
  CHECK(e.policy.adkim == "r");
  CHECK(e.policy.testing == "n");
  CHECK(e.spf_scope == "mfrom");
  CHECK(e.spf_result == "pass");
  REQUIRE(e.dkim.size() == 2);
  CHECK(e.dkim[1] == DkimAuth{"other.example", "k", "fail", "body hash mismatch"});
  CHECK(e.dmarc_result == "pass");
  CHECK(e.disposition == "none");
  CHECK(e.requested == "reject");
  CHECK(e.overrides.empty());
}

TEST_CASE("make_evaluation: override reasons", "[report]") {
  struct Case {
    const char* name;
    Outcome dmarc;
    bool testing;
    const char* applied;
    const char* verdict_reason;
    const char* want_type;  // "" = no reason
  };
  const Case cases[] = {
      {"pass needs no reason", Outcome::Pass, false, "none", "", ""},
      {"fail, policy applied", Outcome::Fail, false, "reject", "", ""},
      {"fail, monitor mode", Outcome::Fail, false, "none", "", "local_policy"},
      {"fail, t=y", Outcome::Fail, true, "quarantine", "", "policy_test_mode"},
      {"fail, engine says why", Outcome::Fail, false, "none", "trusted_forwarder",
       "trusted_forwarder"},
      {"temperror", Outcome::TempError, false, "none", "", "other"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Evidence ev = inbound();
    ev.dmarc.result = c.dmarc;
    ev.dmarc.testing = c.testing;
    ev.dmarc.applied_disposition = c.applied;
    Verdict v;
    v.override_reason = c.verdict_reason;
    Evaluation e = make_evaluation(ev, v, 1);
    if (*c.want_type == 0) {
      CHECK(e.overrides.empty());
    } else {
      REQUIRE(e.overrides.size() == 1);
      CHECK(e.overrides[0].type == c.want_type);
    }
  }
}

TEST_CASE("make_evaluation: null sender and missing disposition", "[report]") {
  Evidence ev = inbound();
  ev.mail_from = "";
  ev.spf_mailfrom.domain = "mail.example.com";  // postmaster@HELO
  ev.dmarc.applied_disposition = "";
  ev.dmarc.result = Outcome::Fail;
  Verdict v;
  v.action = Action::Quarantine;
  Evaluation e = make_evaluation(ev, v, 1);
  CHECK(e.envelope_from == "");
  CHECK(e.spf_domain == "mail.example.com");
  CHECK(e.disposition == "quarantine");
}

TEST_CASE("mailto destinations from rua=", "[report]") {
  auto d = mailto_destinations(
      "v=DMARC1; p=none; rua=mailto:Agg@Example.COM!10m, https://x.example/r,"
      "mailto:a%2Bb@r.example?subject=x, mailto:agg@example.com, mailto:nobody");
  REQUIRE(d.mailto.size() == 2);
  CHECK(d.mailto[0].address == "Agg@example.com");
  CHECK(d.mailto[0].domain == "example.com");
  CHECK(d.mailto[0].max_size == 10u << 20);
  CHECK(d.mailto[1].address == "a+b@r.example");
  CHECK(d.mailto[1].max_size == 0);
  CHECK(mailto_destinations("v=DMARC1; p=none").mailto.empty());
  CHECK(mailto_destinations("not dmarc; rua=mailto:a@b.example").mailto.empty());
}

TEST_CASE("DKIM results in RFC 9990 §3.1.3 priority order, at most 100", "[report]") {
  std::vector<DkimAuth> in = {
      {"fail.example", "a", "fail", ""},     {"other.example", "b", "pass", ""},
      {"mail.example.com", "c", "pass", ""}, {"example.com", "d", "pass", ""},
      {"example.com", "e", "temperror", ""},
  };
  auto out = prioritize_dkim(in, "example.com", "example.com");
  REQUIRE(out.size() == 5);
  CHECK(out[0].selector == "d");  // pass, strict
  CHECK(out[1].selector == "c");  // pass, relaxed
  CHECK(out[2].selector == "b");  // other pass
  CHECK(out[3].selector == "a");  // not passing, in received order
  CHECK(out[4].selector == "e");
  std::vector<DkimAuth> many(150, DkimAuth{"x.example", "s", "fail", ""});
  many.push_back({"example.com", "winner", "pass", ""});
  auto capped = prioritize_dkim(many, "example.com", "example.com");
  CHECK(capped.size() == 100);
  CHECK(capped[0].selector == "winner");
}

TEST_CASE("report periods", "[report]") {
  struct Case {
    std::int64_t ri;
    std::int64_t want;
  };
  for (auto c : {Case{86400, 86400}, Case{3600, 3600}, Case{60, 3600}, Case{7200 + 59, 7200},
                 Case{604800, 86400}, Case{0, 3600}}) {
    INFO(c.ri);
    CHECK(ri_interval(c.ri) == c.want);
    CHECK(report_interval(ReportFormat::Rfc9990, c.ri) == kDay);
    CHECK(report_interval(ReportFormat::Rfc7489, c.ri) == c.want);
  }
  CHECK(period_start(1795219200 + 5, kDay) == 1795219200);
  CHECK(period_start(1795219200 + 3 * 3600 + 1, 3600) == 1795219200 + 3 * 3600);
  CHECK(parse_report_format("rfc7489") == ReportFormat::Rfc7489);
  CHECK_FALSE(parse_report_format("rfc9999"));
}

TEST_CASE("report identifiers are stable and well-formed", "[report]") {
  ReportMeta m{"Org", "r@receiver.example", "", "receiver.example", "alignd"};
  Period p{"example.com", 1795219200, 1795219200 + kDay};
  auto a = aggregate(m, p, {testing::sample_evaluation(1795219201)});
  auto b = aggregate(m, p, {testing::sample_evaluation(1795219299)});
  CHECK(a.report_id == b.report_id);  // a re-send keeps its identifiers (RFC 9990 §3.5.2)
  CHECK(a.unique_id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(report_filename(a) ==
        "receiver.example!example.com!1795219200!1795305599!" + a.unique_id + ".xml.gz");
  CHECK(report_subject(a) ==
        "Report Domain: example.com Submitter: receiver.example Report-ID: <" + a.report_id + ">");
  auto c = aggregate(m, {"example.com", 1795219200 + kDay, 1795219200 + 2 * kDay}, {});
  CHECK(c.report_id != a.report_id);
}

// Issue 10 item 2: a message naming several author domains is recorded once for
// each (RFC 9989 §11.5), each row with its own domain's result and policy.
TEST_CASE("make_evaluation: one row per author domain of a broken From", "[report]") {
  Evidence ev = inbound();
  ev.from_problem = "multiple-from";
  ev.dmarc.result = Outcome::Fail;  // the strictest: example.com, p=reject
  ev.dmarc.dkim_aligned = false;
  ev.dmarc.applied_disposition = "none";
  DmarcResult other = ev.dmarc;  // a second author domain that passed
  other.result = Outcome::Pass;
  other.author_domain = "attacker.example";
  other.policy_domain = "attacker.example";
  other.record = "v=DMARC1; p=none; rua=mailto:d@attacker.example";
  other.requested_policy = RequestedPolicy::None;
  other.applied_disposition = "none";
  ev.dmarc_each = {other, ev.dmarc};
  Verdict v;
  v.action = Action::Accept;
  v.override_reason = "mailing_list";
  CHECK(should_record(ev, ev.dmarc_each[0]));
  CHECK(should_record(ev, ev.dmarc_each[1]));
  Evaluation a = make_evaluation(ev, ev.dmarc_each[0], v, 1);
  Evaluation b = make_evaluation(ev, ev.dmarc_each[1], v, 1);
  CHECK(a.header_from == "attacker.example");
  CHECK(a.dmarc_result == "pass");
  CHECK(a.overrides.empty());  // nothing of attacker.example's was overridden
  CHECK(b.header_from == "example.com");
  CHECK(b.dmarc_result == "fail");
  REQUIRE(b.overrides.size() == 1);
  CHECK(b.overrides[0].type == "mailing_list");
}
