// The evaluation store: one row per recorded message (core/report/evaluation.h)
// and the bookkeeping that makes report delivery exactly-once per destination.
// Implementations: SQLite (embedded default) and PostgreSQL (fleets), chosen by
// URL. A Store object is used by one thread at a time; errors throw StoreError
// (the writer counts them, `alignd report send` reports them).
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/report/aggregate.h"
#include "core/report/evaluation.h"
#include "core/report/period.h"
#include "core/simulate/record.h"

namespace alignd {

struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Delivery state of one report (policy domain + period) to one destination, as
// report_sends.state stores it: "claimed", "sent", "failed" (the send command
// failed; the next run retries), "refused" (RFC 9990 §4 external destination not
// authorized) and "too_big" (RFC 7489 §7.2.1 size limit). Refused and TooBig are final.
enum class SendState { None, Claimed, Sent, Failed, Refused, TooBig };

// The report_sends.state text of `s` ("" for None).
const char* send_state_name(SendState s);

struct PurgeCounts {
  std::int64_t evaluations = 0;
  std::int64_t sends = 0;
};

class Store {
 public:
  virtual ~Store();

  // Connects (creating the SQLite file and its directory) and migrates the schema
  // if not done yet. Every other call does this implicitly.
  virtual void ping() = 0;

  // One transaction: all rows or none.
  virtual void append(const std::vector<Evaluation>& rows) = 0;

  // `alignd simulate`: every decided message, one row each (one transaction).
  // (Not pure: a test fake that records no messages need not implement them.)
  virtual void append_messages(const std::vector<MessageRecord>& rows);
  // Messages with since <= time < until, oldest first; `from_domain` "" = all,
  // else that From domain and its subdomains.
  virtual std::vector<MessageRecord> messages(std::int64_t since, std::int64_t until,
                                              const std::string& from_domain);

  // Periods holding evaluations at or after `since` that ended at least `grace`
  // seconds before `now` and are not complete (see mark_complete). Periods are
  // UTC days for RFC 9990; for RFC 7489 each evaluation's ri= interval.
  virtual std::vector<Period> due_periods(ReportFormat f, std::int64_t now, std::int64_t since,
                                          std::int64_t grace) = 0;
  // The evaluations belonging to `p` (same format as due_periods returned it for).
  virtual std::vector<Evaluation> evaluations(const Period& p, ReportFormat f) = 0;

  virtual SendState send_state(const Period& p, const std::string& destination) = 0;
  // Atomically takes (p, destination) for `owner`: true if it had no state, a
  // failed send, or a claim older than `lease` seconds (a crashed run). False when
  // sent, refused, too big or claimed by a live run. Safe across processes and
  // hosts sharing the store.
  virtual bool claim(const Period& p, const std::string& destination, const std::string& owner,
                     std::int64_t now, std::int64_t lease) = 0;
  // Claimed -> Sent, only if `owner` still holds the claim; false otherwise.
  virtual bool mark_sent(const Period& p, const std::string& destination, const std::string& owner,
                         const std::string& report_id, std::int64_t now) = 0;
  // Claimed -> Refused or TooBig (`final`: never to be sent), with the reason.
  virtual bool mark_skipped(const Period& p, const std::string& destination,
                            const std::string& owner, SendState final, const std::string& why) = 0;
  // Claimed -> Failed: the send failed (`error`), a later run retries; the row
  // counts the failed attempts (report_sends.failures).
  virtual void mark_failed(const Period& p, const std::string& destination,
                           const std::string& owner, const std::string& error) = 0;
  // Every destination of `p` is sent, refused or too big: due_periods stops returning it.
  virtual void mark_complete(const Period& p, std::int64_t now) = 0;

  // Retention: deletes evaluations and messages older than `before` and the delivery state
  // of periods that ended before it.
  virtual PurgeCounts purge(std::int64_t before) = 0;

  virtual std::string describe() const = 0;  // URL without password, for logs
};

// "sqlite:///var/lib/alignd/alignd.db" (absolute path), "sqlite:relative.db",
// "postgresql://user@host/db?..." or "postgres://..." (libpq URI). Returns nullptr
// for "" and "none" (store disabled). Throws StoreError for any other
// URL (StoreError, a std::runtime_error). Does not connect: the first operation
// (or ping) does, so a daemon starts even while its database is down.
std::unique_ptr<Store> open_store(const std::string& url);

}  // namespace alignd
