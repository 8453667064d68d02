// Tests for store/store.h against SQLite (always) and PostgreSQL (when
// ALIGND_TEST_PG_URL is set: tests/integration/store_postgres.sh starts a real
// server and runs this binary with it).
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <map>
#include <thread>

#include "../core/report_fixtures.h"
#include "store/sql_conn.h"
#include "store/store.h"

using namespace alignd;
using namespace alignd::testing;

namespace {

const std::int64_t kD = 1795219200;  // 2026-11-21 00:00:00 UTC

std::string temp_dir() {
  std::string d = capture("mktemp -d /tmp/alignd-store-test-XXXXXX");
  d.pop_back();
  return d;
}

// Every backend under test: a fresh, empty database each time.
std::vector<std::string> backends() {
  std::vector<std::string> urls = {"sqlite://" + temp_dir() + "/sub/dir/alignd.db"};
  if (const char* pg = std::getenv("ALIGND_TEST_PG_URL")) {
    auto s = open_store(pg);
    auto conn = connect_postgres(pg);
    conn->exec(
        "DROP TABLE IF EXISTS evaluations, report_sends, report_periods, messages, schema_version "
        "CASCADE");
    urls.push_back(pg);
  }
  return urls;
}

}  // namespace

TEST_CASE("store: append and read back every field", "[store]") {
  for (const auto& url : backends()) {
    INFO(url);
    auto s = open_store(url);
    REQUIRE(s);
    Evaluation a = sample_evaluation(kD + 10);
    Evaluation b = failing_evaluation(kD + 20);
    b.overrides = {{"local_policy", "tab\there\nnewline \\ backslash"}, {"other", ""}};
    b.dkim.push_back({"third.example", "", "permerror", "no key"});
    b.envelope_from = "";
    s->append({a, b});
    s->append({});
    auto got = s->evaluations({"example.com", kD, kD + kDay}, ReportFormat::Rfc9990);
    REQUIRE(got.size() == 2);
    CHECK(got[0] == a);
    CHECK(got[1] == b);
    CHECK(s->evaluations({"other.example", kD, kD + kDay}, ReportFormat::Rfc9990).empty());
  }
}

TEST_CASE("store: the ARC chain of an evaluation round-trips (schema 3)", "[store]") {
  for (const auto& url : backends()) {
    INFO(url);
    auto s = open_store(url);
    Evaluation a = failing_evaluation(kD + 10);
    a.disposition = "none";
    a.overrides = {{"trusted_forwarder", "ARC chain sealed by a trusted sealer"}};
    a.arc.result = "pass";
    a.arc.sealers = {{1, "lists.example.org", "py1"}, {2, "relay.example.com", "s\tx\ny"}};
    a.arc.oldest_pass = 2;
    a.arc.trusted_instance = 1;
    a.arc.override_used = true;
    Evaluation b = failing_evaluation(kD + 20);
    b.arc.result = "fail";
    b.arc.reason = "ARC-Seal i=1: signature did not verify";
    Evaluation c = sample_evaluation(kD + 30);  // no ARC recorded: the defaults
    s->append({a, b, c});
    auto got = s->evaluations({"example.com", kD, kD + kDay}, ReportFormat::Rfc9990);
    REQUIRE(got.size() == 3);
    CHECK(got[0] == a);
    CHECK(got[1] == b);
    CHECK(got[2] == c);
    CHECK(got[2].arc == EvaluationArc{});
  }
}

TEST_CASE("store: migration 3 adds the ARC columns to an existing database once", "[store]") {
  for (const auto& url : backends()) {
    INFO(url);
    const bool pg = url.starts_with("postgres");
    std::string path = pg ? "" : url.substr(std::string("sqlite://").size());
    auto conn = [&] { return pg ? connect_postgres(url) : connect_sqlite(path); };
    open_store(url)->append({sample_evaluation(kD)});
    // Turn it back into a version 2 database holding one row.
    {
      auto c = conn();
      for (const char* col : {"arc_result", "arc_reason", "arc_sets", "arc_oldest_pass",
                              "arc_trusted_instance", "arc_override"})
        c->exec(std::string("ALTER TABLE evaluations DROP COLUMN ") + col);
      c->exec("ALTER TABLE report_sends DROP COLUMN failures");  // version 4
      c->exec("DELETE FROM schema_version WHERE version >= 3");
    }
    Evaluation rescued = failing_evaluation(kD + 5);
    rescued.arc.result = "pass";
    rescued.arc.sealers = {{1, "lists.example.org", "py1"}};
    rescued.arc.override_used = true;
    open_store(url)->append({rescued});  // migrates, then writes
    open_store(url)->ping();             // and does not migrate again
    auto got = open_store(url)->evaluations({"example.com", kD, kD + kDay}, ReportFormat::Rfc9990);
    REQUIRE(got.size() == 2);
    CHECK(got[0] == sample_evaluation(kD));  // the old row: ARC not recorded
    CHECK(got[0].arc.result.empty());
    CHECK(got[0].arc.oldest_pass == -1);
    CHECK(got[1] == rescued);
    auto c = conn();
    auto rows = c->query("SELECT COUNT(*), MAX(version) FROM schema_version WHERE version = 3");
    CHECK(*rows[0][0] == "1");
  }
}

TEST_CASE("store: due periods are whole UTC days past the grace time", "[store]") {
  for (const auto& url : backends()) {
    INFO(url);
    auto s = open_store(url);
    s->append({sample_evaluation(kD + 5), sample_evaluation(kD + kDay - 1),
               sample_evaluation(kD + kDay + 7),
               sample_evaluation(kD + 3, "192.0.2.1", "b.example"),
               sample_evaluation(kD - kDay * 40)});
    const std::int64_t since = kD - kDay * 30;
    struct Case {
      std::int64_t now;
      size_t want;
    };
    const Case cases[] = {
        {kD + kDay, 0},            // day just ended: inside the grace time
        {kD + kDay + 299, 0},      // still inside
        {kD + kDay + 300, 2},      // example.com and b.example, day kD
        {kD + 2 * kDay + 300, 3},  // and example.com's second day
    };
    for (const auto& c : cases) {
      INFO(c.now);
      CHECK(s->due_periods(ReportFormat::Rfc9990, c.now, since, 300).size() == c.want);
    }
    auto due = s->due_periods(ReportFormat::Rfc9990, kD + kDay + 300, since, 300);
    REQUIRE(due.size() == 2);
    CHECK(due[0] == Period{"b.example", kD, kD + kDay});
    CHECK(due[1] == Period{"example.com", kD, kD + kDay});
    CHECK(s->evaluations(due[1], ReportFormat::Rfc9990).size() == 2);
    s->mark_complete(due[1], kD + kDay + 300);
    s->mark_complete(due[1], kD + kDay + 301);  // idempotent
    due = s->due_periods(ReportFormat::Rfc9990, kD + kDay + 300, since, 300);
    REQUIRE(due.size() == 1);
    CHECK(due[0].policy_domain == "b.example");
  }
}

TEST_CASE("store: RFC 7489 mode uses each record's ri= in whole hours", "[store]") {
  for (const auto& url : backends()) {
    INFO(url);
    auto s = open_store(url);
    Evaluation hourly = sample_evaluation(kD + 3600 + 5);
    hourly.policy.ri = 3600;
    Evaluation odd = sample_evaluation(kD + 7 * 3600 + 1, "192.0.2.9", "odd.example");
    odd.policy.ri = 5 * 3600 + 1234;  // -> 5 h slots from the epoch
    Evaluation tiny = sample_evaluation(kD + 10, "192.0.2.8", "tiny.example");
    tiny.policy.ri = 60;  // -> 1 h
    s->append({hourly, odd, tiny});
    auto due = s->due_periods(ReportFormat::Rfc7489, kD + kDay, kD - kDay, 0);
    REQUIRE(due.size() == 3);
    std::map<std::string, Period> by;
    for (auto& p : due) by[p.policy_domain] = p;
    CHECK(by["example.com"].begin == kD + 3600);
    CHECK(by["example.com"].end == kD + 7200);
    CHECK(by["tiny.example"].end - by["tiny.example"].begin == 3600);
    CHECK(by["odd.example"].end - by["odd.example"].begin == 5 * 3600);
    CHECK(by["odd.example"].begin % 3600 == 0);
    CHECK(s->evaluations(by["example.com"], ReportFormat::Rfc7489).size() == 1);
    // The same rows by day in RFC 9990 mode.
    CHECK(s->due_periods(ReportFormat::Rfc9990, kD + kDay + 1, kD - kDay, 0).size() == 3);
  }
}

TEST_CASE("store: claims make each destination's send exactly-once", "[store]") {
  for (const auto& url : backends()) {
    INFO(url);
    auto s = open_store(url);
    const Period p{"example.com", kD, kD + kDay};
    const std::string dest = "dmarc@example.com";
    CHECK(s->send_state(p, dest) == SendState::None);
    CHECK(s->claim(p, dest, "run-a", 1000, 3600));
    CHECK(s->send_state(p, dest) == SendState::Claimed);
    CHECK_FALSE(s->claim(p, dest, "run-b", 1001, 3600));       // live claim
    CHECK(s->claim(p, dest, "run-c", 1000 + 3601, 3600));      // run-a crashed: lease ran out
    CHECK_FALSE(s->mark_sent(p, dest, "run-a", "rid", 5000));  // run-a lost it
    CHECK(s->mark_sent(p, dest, "run-c", "rid", 5000));
    CHECK(s->send_state(p, dest) == SendState::Sent);
    CHECK_FALSE(s->claim(p, dest, "run-d", 99999999, 3600));  // sent is final

    const std::string other = "reports@other.example";
    CHECK(s->claim(p, other, "run-e", 1000, 3600));
    s->mark_failed(p, other, "run-e", "send_command exit 75");
    CHECK(s->send_state(p, other) == SendState::Failed);
    CHECK(s->claim(p, other, "run-f", 1001, 3600));  // retried at once: no lease to wait for
    CHECK(s->send_state(p, other) == SendState::Claimed);
    CHECK_FALSE(s->claim(p, other, "run-x", 1002, 3600));  // and claimed like any other
    CHECK(s->mark_skipped(p, other, "run-f", SendState::TooBig, "too big"));
    CHECK(s->send_state(p, other) == SendState::TooBig);
    CHECK_FALSE(s->claim(p, other, "run-g", 99999999, 3600));

    const std::string third = "x@third.example";
    CHECK(s->claim(p, third, "run-h", 1000, 3600));
    CHECK(s->mark_skipped(p, third, "run-h", SendState::Refused, "not authorized"));
    CHECK(s->send_state(p, third) == SendState::Refused);
    CHECK_FALSE(s->claim(p, third, "run-i", 99999999, 3600));
    CHECK_THROWS(s->mark_skipped(p, third, "run-h", SendState::Sent, "no"));
  }
}

TEST_CASE("store: concurrent claimers, one winner", "[store]") {
  for (const auto& url : backends()) {
    INFO(url);
    open_store(url)->ping();  // schema in place before the race
    for (int round = 0; round < 5; ++round) {
      const Period p{"race.example", kD + round * kDay, kD + (round + 1) * kDay};
      std::atomic<int> winners{0}, errors{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
          try {
            auto s = open_store(url);
            if (s->claim(p, "d@race.example", "owner-" + std::to_string(t), 100, 3600)) winners++;
          } catch (const std::exception&) {
            errors++;
          }
        });
      }
      for (auto& th : threads) th.join();
      CHECK(errors == 0);
      CHECK(winners == 1);
    }
  }
}

TEST_CASE("store: purge drops old evaluations and delivery state", "[store]") {
  for (const auto& url : backends()) {
    INFO(url);
    auto s = open_store(url);
    s->append({sample_evaluation(kD - 40 * kDay), sample_evaluation(kD - 40 * kDay + 1),
               sample_evaluation(kD)});
    const Period old{"example.com", kD - 40 * kDay, kD - 39 * kDay};
    REQUIRE(s->claim(old, "a@example.com", "o", 1, 10));
    s->mark_complete(old, 2);
    PurgeCounts n = s->purge(kD - 30 * kDay);
    CHECK(n.evaluations == 2);
    CHECK(n.sends == 1);
    CHECK(s->due_periods(ReportFormat::Rfc9990, kD + 2 * kDay, 0, 0).size() == 1);
  }
}

TEST_CASE("store: schema migrations run once and are versioned", "[store]") {
  std::string dir = temp_dir();
  std::string path = dir + "/alignd.db";
  open_store("sqlite://" + path)->append({sample_evaluation(kD)});
  open_store("sqlite://" + path)->append({sample_evaluation(kD + 1)});  // reopen: no re-create
  auto c = connect_sqlite(path);
  auto rows = c->query("SELECT COUNT(*), MAX(version) FROM schema_version");
  CHECK(std::stoi(*rows[0][0]) == schema_version());  // one row per migration, each once
  CHECK(std::stoi(*rows[0][1]) == schema_version());
  CHECK(*c->query("SELECT COUNT(*) FROM evaluations")[0][0] == "2");
  CHECK(*c->query("PRAGMA journal_mode")[0][0] == "wal");
  // A database from a newer alignd is refused, not silently used.
  c->exec("INSERT INTO schema_version (version) VALUES (999)");
  CHECK_THROWS_AS(open_store("sqlite://" + path)->ping(), StoreError);
  run("rm -rf '" + dir + "'");
}

TEST_CASE("store: migration 4 splits skipped deliveries into refused and too_big", "[store]") {
  std::string dir = temp_dir();
  std::string path = dir + "/alignd.db";
  open_store("sqlite://" + path)->ping();
  {
    // Back to a version-3 database holding the old single "skipped" state.
    auto c = connect_sqlite(path);
    c->exec("DELETE FROM schema_version WHERE version >= 4");
    c->exec("DROP TABLE report_sends");
    c->exec(
        "CREATE TABLE report_sends (policy_domain TEXT NOT NULL, period_begin BIGINT NOT NULL, "
        "period_end BIGINT NOT NULL, destination TEXT NOT NULL, state TEXT NOT NULL, owner TEXT "
        "NOT NULL, claimed_at BIGINT NOT NULL, sent_at BIGINT NOT NULL, report_id TEXT NOT NULL, "
        "detail TEXT NOT NULL, PRIMARY KEY (policy_domain, period_begin, period_end, "
        "destination))");
    c->exec(
        "INSERT INTO report_sends VALUES "
        "('example.com', 0, 86400, 'a@x.example', 'skipped', 'o', 1, 0, '', "
        "'external destination not authorized (RFC 9990 §4): no record'), "
        "('example.com', 0, 86400, 'b@example.com', 'skipped', 'o', 1, 0, '', "
        "'report exceeds the destination''s size limit'), "
        "('example.com', 0, 86400, 'c@example.com', 'sent', 'o', 1, 2, 'id', '')");
  }
  auto s = open_store("sqlite://" + path);
  const Period p{"example.com", 0, 86400};
  CHECK(s->send_state(p, "a@x.example") == SendState::Refused);
  CHECK(s->send_state(p, "b@example.com") == SendState::TooBig);
  CHECK(s->send_state(p, "c@example.com") == SendState::Sent);
  auto c = connect_sqlite(path);
  CHECK(*c->query("SELECT MAX(version) FROM schema_version")[0][0] == "4");
  CHECK(*c->query("SELECT SUM(failures) FROM report_sends")[0][0] == "0");
  run("rm -rf '" + dir + "'");
}

TEST_CASE("open_store: URL forms", "[store]") {
  CHECK(open_store("") == nullptr);
  CHECK(open_store("none") == nullptr);
  CHECK(open_store("sqlite:///var/lib/alignd/alignd.db")->describe() ==
        "sqlite:///var/lib/alignd/alignd.db");
  CHECK(open_store("postgresql://alignd:secret@db.example/alignd")->describe() ==
        "postgresql://alignd:***@db.example/alignd");
  for (const char* bad : {"mysql://x", "sqlite://relative/x.db", "sqlite:///", "/plain/path"}) {
    INFO(bad);
    CHECK_THROWS_AS(open_store(bad), StoreError);
  }
  // Unreachable database: the error comes from the first operation, not open_store.
  auto s = open_store("sqlite:///proc/alignd-no-such-dir/x.db");
  CHECK_THROWS_AS(s->ping(), StoreError);
}
