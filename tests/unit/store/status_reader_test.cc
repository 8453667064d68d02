// Tests for store/status_reader.h (the status page's queries) against SQLite
// and, when ALIGND_TEST_PG_URL is set, PostgreSQL.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "../core/report_fixtures.h"
#include "store/sql_conn.h"
#include "store/status_reader.h"
#include "store/store.h"

using namespace alignd;
using namespace alignd::testing;

namespace {

const std::int64_t kD = 1795219200;  // 2026-11-21 00:00:00 UTC

std::vector<std::string> status_backends() {
  std::string d = capture("mktemp -d /tmp/alignd-status-test-XXXXXX");
  d.pop_back();
  std::vector<std::string> urls = {"sqlite://" + d + "/alignd.db"};
  if (const char* pg = std::getenv("ALIGND_TEST_PG_URL")) {
    auto conn = connect_postgres(pg);
    conn->exec(
        "DROP TABLE IF EXISTS evaluations, messages, report_sends, report_periods, schema_version "
        "CASCADE");
    urls.push_back(pg);
  }
  return urls;
}

}  // namespace

TEST_CASE("status reader: pass rates, failing sources, latest, report queue", "[store][status]") {
  CHECK(open_status_reader("none") == nullptr);
  CHECK_THROWS_AS(open_status_reader("mysql://x"), StoreError);
  for (const auto& url : status_backends()) {
    INFO(url);
    auto s = open_store(url);
    s->append(
        {sample_evaluation(kD + 10), sample_evaluation(kD + 20),
         failing_evaluation(kD + 30, "198.51.100.7"), failing_evaluation(kD + 40, "198.51.100.7"),
         failing_evaluation(kD + 50, "203.0.113.9"), sample_evaluation(kD + kDay + 5),
         failing_evaluation(kD + kDay + 6, "203.0.113.9"),
         sample_evaluation(kD + 7, "192.0.2.1", "b.example"), sample_evaluation(kD - 30 * kDay)});
    auto r = open_status_reader(url);
    REQUIRE(r);

    auto rates = r->pass_rates(kD);
    REQUIRE(rates.size() == 3);
    static const struct {
      const char* domain;
      std::int64_t day, total, pass;
    } want[] = {
        {"b.example", kD, 1, 1}, {"example.com", kD, 5, 2}, {"example.com", kD + kDay, 2, 1}};
    for (size_t i = 0; i < 3; ++i) {
      CHECK(rates[i].domain == want[i].domain);
      CHECK(rates[i].day == want[i].day);
      CHECK(rates[i].total == want[i].total);
      CHECK(rates[i].pass == want[i].pass);
    }

    auto failing = r->failing_sources(kD, 1);
    REQUIRE(failing.size() == 1);  // one per domain; b.example never failed
    CHECK(failing[0].domain == "example.com");
    CHECK(failing[0].source_ip == "198.51.100.7");  // 2 failures each: ties broken by IP
    CHECK(failing[0].count == 2);
    CHECK(failing[0].last == kD + 40);
    CHECK(r->failing_sources(kD, 5).size() == 2);

    auto latest = r->latest(2);
    REQUIRE(latest.size() == 2);
    CHECK(latest[0].time == kD + kDay + 6);
    CHECK(latest[0].dmarc_result == "fail");
    CHECK(latest[0].dkim.size() == 1);
    CHECK(latest[0].dkim[0].domain == "spoofer.example");
    CHECK(latest[1].time == kD + kDay + 5);

    // Report queue: day 1 sent to one destination and complete, day 2 still due
    // at kD + 3 days, the current day collecting.
    Period p1{"example.com", kD, kD + kDay};
    REQUIRE(s->claim(p1, "mailto:dmarc@example.com", "me", kD + 2 * kDay, 600));
    REQUIRE(s->mark_sent(p1, "mailto:dmarc@example.com", "me", "id1", kD + 2 * kDay));
    s->mark_complete(p1, kD + 2 * kDay);
    auto q = r->report_queue(kD + kDay + 100, kD);
    REQUIRE(q.size() == 3);
    CHECK(q[0].policy_domain == "example.com");
    CHECK(q[0].begin == kD + kDay);
    CHECK(q[0].state == "collecting");
    CHECK(q[0].evaluations == 2);
    CHECK(q[1].policy_domain == "b.example");
    CHECK(q[1].state == "due");
    CHECK(q[2].policy_domain == "example.com");
    CHECK(q[2].state == "complete");
    CHECK(q[2].sent == 1);
    CHECK(r->reports_due(kD + kDay + 100, kD) == 1);      // b.example's first day
    CHECK(r->reports_due(kD + 2 * kDay + 100, kD) == 2);  // and example.com's second
    auto totals = r->report_sends();
    CHECK(totals.sent == 1);
    CHECK(totals.failed == 0);
    CHECK(totals.refused == 0);
    CHECK(totals.too_big == 0);

    // Each outcome apart: a failed send (counted per attempt, retried), a refusal by
    // the RFC 9990 destination check, a report over the size limit, a live claim.
    Period p2{"example.com", kD + kDay, kD + 2 * kDay};
    REQUIRE(s->claim(p2, "f@example.com", "me", kD + 3 * kDay, 600));
    s->mark_failed(p2, "f@example.com", "me", "exit 75");
    REQUIRE(s->claim(p2, "f@example.com", "me", kD + 3 * kDay + 10, 600));
    s->mark_failed(p2, "f@example.com", "me", "exit 75");
    REQUIRE(s->claim(p2, "r@third.example", "me", kD + 3 * kDay, 600));
    REQUIRE(s->mark_skipped(p2, "r@third.example", "me", SendState::Refused, "no record"));
    REQUIRE(s->claim(p2, "t@example.com", "me", kD + 3 * kDay, 600));
    REQUIRE(s->mark_skipped(p2, "t@example.com", "me", SendState::TooBig, "size"));
    REQUIRE(s->claim(p2, "c@example.com", "me", kD + 3 * kDay, 600));
    totals = r->report_sends();
    CHECK(totals.sent == 1);
    CHECK(totals.failed == 1);
    CHECK(totals.refused == 1);
    CHECK(totals.too_big == 1);
    CHECK(totals.claimed == 1);
    CHECK(totals.failed_attempts == 2);
    q = r->report_queue(kD + 3 * kDay, kD);
    REQUIRE(q.size() == 3);
    CHECK(q[0].begin == kD + kDay);
    CHECK(q[0].failed == 1);
    CHECK(q[0].refused == 1);
    CHECK(q[0].too_big == 1);
    CHECK(q[0].claimed == 1);
  }
}
