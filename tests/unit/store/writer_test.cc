// Tests for store/writer.h: batches reach the store, a full queue drops (and
// counts) instead of blocking, a failing store is counted and never blocks
// submit, drain() flushes everything queued.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "../core/report_fixtures.h"
#include "store/sql_conn.h"
#include "store/writer.h"

using namespace alignd;
using namespace alignd::testing;
using namespace std::chrono_literals;

namespace {

// A store whose append() waits until the test opens the gate.
class GatedStore : public Store {
 public:
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  std::vector<size_t> batches;

  void append(const std::vector<Evaluation>& rows) override {
    std::unique_lock lock(mu);
    cv.wait(lock, [this] { return open; });
    batches.push_back(rows.size());
  }
  void release_gate() {
    {
      std::lock_guard lock(mu);
      open = true;
    }
    cv.notify_all();
  }
  void ping() override {}
  std::vector<Period> due_periods(ReportFormat, std::int64_t, std::int64_t, std::int64_t) override {
    return {};
  }
  std::vector<Evaluation> evaluations(const Period&, ReportFormat) override { return {}; }
  SendState send_state(const Period&, const std::string&) override { return SendState::None; }
  bool claim(const Period&, const std::string&, const std::string&, std::int64_t,
             std::int64_t) override {
    return false;
  }
  bool mark_sent(const Period&, const std::string&, const std::string&, const std::string&,
                 std::int64_t) override {
    return false;
  }
  bool mark_skipped(const Period&, const std::string&, const std::string&, SendState,
                    const std::string&) override {
    return false;
  }
  void mark_failed(const Period&, const std::string&, const std::string&,
                   const std::string&) override {}
  void mark_complete(const Period&, std::int64_t) override {}
  PurgeCounts purge(std::int64_t) override { return {}; }
  std::string describe() const override { return "gated"; }
};

std::string temp_dir() {
  std::string d = capture("mktemp -d /tmp/alignd-writer-test-XXXXXX");
  d.pop_back();
  return d;
}

}  // namespace

TEST_CASE("writer: everything submitted reaches SQLite in batches; drain flushes", "[writer]") {
  std::string dir = temp_dir();
  std::string path = dir + "/alignd.db";
  {
    EvaluationWriter w(open_store("sqlite://" + path), 10000, 50, 10000ms);  // flush only by size
    for (int i = 0; i < 1234; ++i) REQUIRE(w.submit(sample_evaluation(1795219200 + i)));
    w.drain();  // the last 34 are below the batch size: drain must write them
    auto st = w.stats();
    CHECK(st.written == 1234);
    CHECK(st.dropped == 0);
    CHECK(st.failed == 0);
    CHECK_FALSE(w.submit(sample_evaluation(1)));  // stopped
    CHECK(w.stats().dropped == 1);
  }
  CHECK(*connect_sqlite(path)->query("SELECT COUNT(*) FROM evaluations")[0][0] == "1234");
  run("rm -rf '" + dir + "'");
}

TEST_CASE("writer: the flush interval commits a partial batch", "[writer]") {
  std::string dir = temp_dir();
  std::string path = dir + "/alignd.db";
  EvaluationWriter w(open_store("sqlite://" + path), 100, 50, 20ms);
  REQUIRE(w.submit(sample_evaluation(1795219200)));
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (w.stats().written < 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  CHECK(w.stats().written == 1);
  w.drain();
  run("rm -rf '" + dir + "'");
}

TEST_CASE("writer: a full queue drops and counts, submit never waits", "[writer]") {
  auto gated = std::make_unique<GatedStore>();
  GatedStore* g = gated.get();
  EvaluationWriter w(std::move(gated), 100, 10, 1ms);
  auto t0 = std::chrono::steady_clock::now();
  int accepted = 0;
  for (int i = 0; i < 1000; ++i) accepted += w.submit(sample_evaluation(i)) ? 1 : 0;
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took < 1s);  // the store is stuck, submit is not
  // At most capacity queued plus the one batch the stuck writer took out.
  CHECK(accepted <= 110);
  CHECK(accepted >= 100);
  CHECK(w.stats().dropped == static_cast<std::uint64_t>(1000 - accepted));
  g->release_gate();
  w.drain();
  CHECK(w.stats().written == static_cast<std::uint64_t>(accepted));
  size_t total = 0;
  for (size_t b : g->batches) {
    CHECK(b <= 10);
    total += b;
  }
  CHECK(total == static_cast<size_t>(accepted));
}

TEST_CASE("writer: an unwritable SQLite path is counted, never blocks", "[writer]") {
  std::string dir = temp_dir();
  // A regular file where a directory should be: fails even for root.
  run("touch '" + dir + "/file'");
  EvaluationWriter w(open_store("sqlite://" + dir + "/file/sub/alignd.db"), 1000, 20, 5ms);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 500; ++i) CHECK(w.submit(sample_evaluation(i)));
  CHECK(std::chrono::steady_clock::now() - t0 < 1s);
  w.drain();
  CHECK(std::chrono::steady_clock::now() - t0 < 10s);
  auto st = w.stats();
  CHECK(st.written == 0);
  CHECK(st.failed == 500);
  CHECK(st.dropped == 0);
  run("rm -rf '" + dir + "'");
}
