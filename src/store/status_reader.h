// Read-only queries for the status page (app/status_page.h): DMARC pass rates
// per domain and day, the top failing sources, the latest evaluations, the
// report queue and what was sent. Its own connection (the writer's is never
// shared); nothing here writes except the idempotent schema migration.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/report/evaluation.h"

namespace alignd {

struct DomainDay {
  std::string domain;      // header_from (the author domain)
  std::int64_t day = 0;    // UTC midnight, unix seconds
  std::int64_t total = 0;  // evaluations that day
  std::int64_t pass = 0;   // of them with dmarc_result = pass
};

struct FailingSource {
  std::string domain;  // header_from
  std::string source_ip;
  std::int64_t count = 0;  // DMARC failures since `since`
  std::int64_t last = 0;   // time of the latest one
};

struct QueuedReport {
  std::string policy_domain;
  std::int64_t begin = 0, end = 0;  // RFC 9990 period: one UTC day
  std::int64_t evaluations = 0;
  std::string state;  // "collecting" (period not over), "due" (over, not complete), "complete"
  // Destinations by delivery state (store/store.h SendState; report_sends.state).
  std::int64_t sent = 0, failed = 0, refused = 0, too_big = 0, claimed = 0;
};

// Destinations (period x rua=) by delivery state, over the periods the store keeps.
struct ReportSendTotals {
  std::int64_t sent = 0;             // delivered
  std::int64_t failed = 0;           // last send failed (send_command non-zero); retried next run
  std::int64_t refused = 0;          // RFC 9990 §4 external destination not authorized: never sent
  std::int64_t too_big = 0;          // over the destination's size limit: never sent
  std::int64_t claimed = 0;          // a run in progress, or one that crashed (lease)
  std::int64_t failed_attempts = 0;  // failed sends, summed over the rows (later sent or not)
};

class StatusReader {
 public:
  virtual ~StatusReader() = default;
  // Per author domain and UTC day since `since`, oldest first.
  virtual std::vector<DomainDay> pass_rates(std::int64_t since) = 0;
  // Per author domain the `per_domain` source IPs with most DMARC failures.
  virtual std::vector<FailingSource> failing_sources(std::int64_t since, int per_domain) = 0;
  // The newest `n` evaluations, newest first.
  virtual std::vector<Evaluation> latest(int n) = 0;
  // Report periods (RFC 9990 days) since `since`, newest first (at most 1000), with
  // delivery state.
  virtual std::vector<QueuedReport> report_queue(std::int64_t now, std::int64_t since) = 0;
  // Report periods since `since` that are over at `now` but not complete (one query).
  virtual std::int64_t reports_due(std::int64_t now, std::int64_t since) = 0;
  // Delivery states in the store (alignd report send writes them).
  virtual ReportSendTotals report_sends() = 0;
};

// Same URLs as open_store(); nullptr for "" / "none". Throws StoreError.
std::unique_ptr<StatusReader> open_status_reader(const std::string& url);

}  // namespace alignd
