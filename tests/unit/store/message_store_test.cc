// The messages table (`alignd simulate`): evidence encoding round trip,
// append/read with the period and --domain filters, purge; on SQLite (and
// PostgreSQL when ALIGND_TEST_PG_URL is set, as store_test.cc).
#include <catch2/catch.hpp>

#include <cstdlib>

#include "../core/report_fixtures.h"
#include "core/arc/trust.h"
#include "store/message_codec.h"
#include "store/sql_conn.h"
#include "store/store.h"

using namespace alignd;
using namespace alignd::testing;

namespace {

Evidence sample() {
  Evidence ev;
  ev.client_ip = "198.51.100.7";
  ev.client_names = {"lists.example.org", "b.example.org"};
  ev.client_name = "lists.example.org";
  ev.client_name_status = "verified";
  ev.trusted = false;
  ev.authenticated = true;
  ev.dns_temperror = true;
  ev.helo = "lists.example.org";
  ev.queue_id = "4XyZ1";
  ev.mail_from = "bounce@lists.example.org";
  ev.rcpt_to = {"a@rcpt.example", "b@other.example"};
  ev.headers = {{"List-Id", " tab\there <dev.lists.example.org>\r\n folded"}};
  ev.spf_helo.result = Outcome::None;
  ev.spf_helo.checked = true;
  ev.spf_mailfrom.result = Outcome::SoftFail;
  ev.spf_mailfrom.domain = "lists.example.org";
  ev.spf_mailfrom.checked = true;
  DkimResult d;
  d.result = Outcome::Pass;
  d.domain = "lists.example.org";
  d.selector = "s1";
  ev.dkim = {d};
  ev.dmarc.result = Outcome::Fail;
  ev.dmarc.evaluated = true;
  ev.dmarc.author_domain = "example.com";
  ev.dmarc.policy_domain = "example.com";
  ev.dmarc.requested_policy = RequestedPolicy::Reject;
  ev.dmarc.policy_tag = "sp";
  ev.dmarc.testing = true;
  ev.dmarc.effective_policy = RequestedPolicy::Quarantine;
  ev.dmarc.dkim_aligned = false;
  ev.from_problem = "multiple-addresses";
  return ev;
}

std::vector<std::string> backends() {
  std::string d = capture("mktemp -d /tmp/alignd-msg-test-XXXXXX");
  d.pop_back();
  std::vector<std::string> urls = {"sqlite://" + d + "/alignd.db"};
  if (const char* pg = std::getenv("ALIGND_TEST_PG_URL")) {
    connect_postgres(pg)->exec(
        "DROP TABLE IF EXISTS evaluations, report_sends, report_periods, messages, schema_version "
        "CASCADE");
    urls.push_back(pg);
  }
  return urls;
}

}  // namespace

TEST_CASE("message codec: every fact decide() reads survives", "[store]") {
  Evidence ev = sample();
  Evidence got = decode_evidence(encode_evidence(ev));
  CHECK(got.client_ip == ev.client_ip);
  CHECK(got.client_names == ev.client_names);
  CHECK(got.client_name == ev.client_name);
  CHECK(got.client_name_status == "verified");
  CHECK(got.authenticated);
  CHECK_FALSE(got.trusted);
  CHECK(got.dns_temperror);
  CHECK(got.helo == ev.helo);
  CHECK(got.queue_id == ev.queue_id);
  CHECK(got.mail_from == ev.mail_from);
  CHECK(got.rcpt_to == ev.rcpt_to);
  REQUIRE(got.headers.size() == 1);
  CHECK(got.headers[0].value == ev.headers[0].value);
  CHECK(got.spf_mailfrom.result == Outcome::SoftFail);
  CHECK(got.spf_mailfrom.domain == "lists.example.org");
  CHECK(got.spf_helo.checked);
  REQUIRE(got.dkim.size() == 1);
  CHECK(got.dkim[0].selector == "s1");
  CHECK(got.dmarc.result == Outcome::Fail);
  CHECK(got.dmarc.evaluated);
  CHECK(got.dmarc.policy_tag == "sp");
  CHECK(got.dmarc.testing);
  CHECK(got.dmarc.requested_policy == RequestedPolicy::Reject);
  CHECK(got.dmarc.effective_policy == RequestedPolicy::Quarantine);
  CHECK(got.from_problem == "multiple-addresses");
  CHECK(decode_evidence("future\tkey\nip\t192.0.2.1").client_ip == "192.0.2.1");
}

TEST_CASE("message codec: DKIM l= and the ARC chain survive; ARC trust is judged again",
          "[store]") {
  Evidence ev = sample();
  ev.dkim[0].algorithm = "rsa-sha256";
  ev.dkim[0].key_bits = 2048;
  ev.dkim[0].has_body_length = true;
  ev.dkim[0].unsigned_body_content = true;
  ev.dkim[0].unsigned_body_bytes = 4242;
  ArcResult& a = ev.arc;
  a.checked = true;
  a.status = Outcome::Pass;
  a.max_instance = 2;
  a.oldest_pass = 0;
  for (int i = 1; i <= 2; ++i) {
    ArcSetInfo set;
    set.instance = i;
    set.seal_domain = i == 1 ? "relay.example.net" : "lists.example.org";
    set.seal_selector = "arc" + std::to_string(i);
    set.ams_domain = set.seal_domain;
    set.cv = i == 1 ? "none" : "pass";
    set.ams_checked = set.ams_pass = set.as_pass = true;
    set.aar.authserv_id = set.seal_domain;
    set.aar.dmarc = "pass";
    set.aar.dmarc_from = "example.com";
    set.aar.spf = {"pass"};
    set.aar.dkim = {"pass", "fail"};
    a.sets.push_back(set);
  }
  apply_arc_trust(a, {"lists.example.org"}, "example.com");
  REQUIRE(a.trusted_pass);

  Evidence got = decode_evidence(encode_evidence(ev));
  REQUIRE(got.dkim.size() == 1);
  CHECK(got.dkim[0].algorithm == "rsa-sha256");
  CHECK(got.dkim[0].key_bits == 2048);
  CHECK(got.dkim[0].has_body_length);
  CHECK(got.dkim[0].unsigned_body_content);
  CHECK(got.dkim[0].unsigned_body_bytes == 4242);
  CHECK(got.arc.checked);
  CHECK(got.arc.status == Outcome::Pass);
  CHECK(got.arc.max_instance == 2);
  CHECK(got.arc.oldest_pass == 0);
  REQUIRE(got.arc.sets.size() == 2);
  CHECK(got.arc.sets[1].seal_domain == "lists.example.org");
  CHECK(got.arc.sets[1].seal_selector == "arc2");
  CHECK(got.arc.sets[1].cv == "pass");
  CHECK(got.arc.sets[1].as_pass);
  CHECK(got.arc.sets[0].aar.dmarc_from == "example.com");
  CHECK(got.arc.sets[0].aar.dkim == std::vector<std::string>{"pass", "fail"});
  // Trust is local configuration, not a stored fact: simulate judges it again.
  CHECK_FALSE(got.arc.trusted_pass);
  apply_arc_trust(got.arc, {"lists.example.org"}, "example.com");
  CHECK(got.arc.trusted_pass);
  CHECK(got.arc.trusted_instance == 2);
  apply_arc_trust(got.arc, {}, "example.com");
  CHECK_FALSE(got.arc.trusted_pass);

  // A record written before these fields existed reads as before.
  Evidence old = decode_evidence("dkim\tpass\tlists.example.org\ts1");
  REQUIRE(old.dkim.size() == 1);
  CHECK(old.dkim[0].unsigned_body_bytes == 0);
  CHECK_FALSE(old.arc.checked);
  CHECK(old.arc.oldest_pass == -1);
}

TEST_CASE("store: messages for simulate, by period and domain; purged", "[store]") {
  for (const auto& url : backends()) {
    INFO(url);
    auto s = open_store(url);
    Evidence a = sample();
    Evidence b = sample();
    b.dmarc.author_domain = "news.example.com";
    Evidence c = sample();
    c.dmarc.author_domain = "examplexcom.net";
    s->append_messages(
        {{100, a, "accept", ""}, {200, b, "reject", "dmarc-reject"}, {300, c, "accept", ""}});
    s->append({sample_evaluation(100)});
    auto all = s->messages(0, 1000, "");
    REQUIRE(all.size() == 3);
    CHECK(all[1].action == "reject");
    CHECK(all[1].rule == "dmarc-reject");
    CHECK(all[1].ev.dmarc.author_domain == "news.example.com");
    CHECK(s->messages(150, 1000, "").size() == 2);
    CHECK(s->messages(0, 1000, "example.com").size() == 2);  // and below; not examplexcom.net
    CHECK(s->messages(0, 1000, "news.example.com").size() == 1);
    s->purge(250);
    CHECK(s->messages(0, 1000, "").size() == 1);
  }
}

TEST_CASE("store: a version 1 database gains the messages table, rows kept", "[store]") {
  std::string d = capture("mktemp -d /tmp/alignd-msg-test-XXXXXX");
  d.pop_back();
  const std::string path = d + "/v1.db";
  {
    auto c = connect_sqlite(path);
    migrate(*c);  // the newest schema, then pretend it is version 1
    c->exec("DROP TABLE messages; DELETE FROM schema_version WHERE version > 1");
    for (const char* col : {"arc_result", "arc_reason", "arc_sets", "arc_oldest_pass",
                            "arc_trusted_instance", "arc_override"})  // version 3
      c->exec(std::string("ALTER TABLE evaluations DROP COLUMN ") + col);
    c->exec("ALTER TABLE report_sends DROP COLUMN failures");  // version 4
  }
  auto s = open_store("sqlite://" + path);
  s->append({sample_evaluation(100)});
  s->append_messages({{100, sample(), "accept", ""}});
  CHECK(s->messages(0, 1000, "").size() == 1);
  auto c = connect_sqlite(path);
  CHECK(std::stoi(*c->query("SELECT MAX(version) FROM schema_version")[0][0]) == schema_version());
  run("rm -rf '" + d + "'");
}
