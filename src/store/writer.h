// EvaluationWriter: the milter threads hand evaluations to a bounded queue and
// return at once; one background thread commits them in batches. The SMTP path
// never waits on the disk: a full queue drops (counted), a failing store is
// logged and counted (the batch is lost), and drain() flushes on shutdown.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>

#include "core/report/evaluation.h"
#include "core/simulate/record.h"
#include "store/store.h"

namespace alignd {

class EvaluationWriter {
 public:
  // Starts the writer thread. capacity, batch >= 1.
  EvaluationWriter(std::unique_ptr<Store> store, size_t capacity, size_t batch,
                   std::chrono::milliseconds flush);
  ~EvaluationWriter();  // drains
  EvaluationWriter(const EvaluationWriter&) = delete;
  EvaluationWriter& operator=(const EvaluationWriter&) = delete;

  // Never blocks on I/O (a short mutex hold only). False, and counted as dropped,
  // when the queue is full or the writer is stopping.
  bool submit(Evaluation e) noexcept;
  // The same for a decided message (`alignd simulate`'s rows); counted alike.
  bool submit(MessageRecord m) noexcept;

  // Stops accepting, commits what is queued (one last attempt each batch), joins.
  // Idempotent. Call on SIGTERM.
  void drain();

  struct Stats {
    std::uint64_t written = 0;  // committed evaluations (report rows; not simulate's message rows)
    std::uint64_t dropped = 0;  // refused by submit (queue full / stopping)
    std::uint64_t failed = 0;   // lost because the store failed
    std::uint64_t batches = 0;  // committed transactions
  };
  Stats stats() const;
  size_t queued() const;

 private:
  using Row = std::variant<Evaluation, MessageRecord>;
  bool push(Row r) noexcept;
  void run();
  void write(std::deque<Row>& batch);
  void log_failure(const std::string& error, size_t lost);

  std::unique_ptr<Store> store_;
  const size_t capacity_;
  const size_t batch_;
  const std::chrono::milliseconds flush_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Row> queue_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> written_{0}, dropped_{0}, failed_{0}, batches_{0};
  std::chrono::steady_clock::time_point last_error_log_{};
  std::thread thread_;
};

}  // namespace alignd
