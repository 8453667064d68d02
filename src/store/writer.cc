// The evaluation writer thread: wait for a full batch or the flush interval,
// move the batch out under the lock, commit it outside the lock.
#include "store/writer.h"

#include <algorithm>

#include "core/log.h"

namespace alignd {

EvaluationWriter::EvaluationWriter(std::unique_ptr<Store> store, size_t capacity, size_t batch,
                                   std::chrono::milliseconds flush)
    : store_(std::move(store)),
      capacity_(std::max<size_t>(capacity, 1)),
      batch_(std::max<size_t>(batch, 1)),
      flush_(flush.count() > 0 ? flush : std::chrono::milliseconds(1)) {
  thread_ = std::thread([this] { run(); });
}

EvaluationWriter::~EvaluationWriter() {
  drain();
}

bool EvaluationWriter::submit(Evaluation e) noexcept {
  return push(Row(std::move(e)));
}

bool EvaluationWriter::submit(MessageRecord m) noexcept {
  return push(Row(std::move(m)));
}

bool EvaluationWriter::push(Row e) noexcept {
  try {
    std::unique_lock lock(mu_);
    if (stopping_ || queue_.size() >= capacity_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    queue_.push_back(std::move(e));
    bool wake = queue_.size() >= batch_;
    lock.unlock();
    if (wake) cv_.notify_one();
    return true;
  } catch (...) {  // bad_alloc: count it, never throw into the milter
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
}

void EvaluationWriter::drain() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

EvaluationWriter::Stats EvaluationWriter::stats() const {
  return {written_.load(), dropped_.load(), failed_.load(), batches_.load()};
}

size_t EvaluationWriter::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void EvaluationWriter::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait_for(lock, flush_, [this] { return stopping_ || queue_.size() >= batch_; });
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    std::deque<Row> batch;
    size_t n = std::min(batch_, queue_.size());
    std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n),
              std::back_inserter(batch));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();
    write(batch);
    lock.lock();
  }
}

void EvaluationWriter::write(std::deque<Row>& batch) {
  std::vector<Evaluation> rows;
  std::vector<MessageRecord> messages;
  for (auto& r : batch) {
    if (auto* e = std::get_if<Evaluation>(&r))
      rows.push_back(std::move(*e));
    else
      messages.push_back(std::move(std::get<MessageRecord>(r)));
  }
  try {
    if (!store_) throw StoreError("no store");
    store_->append(rows);
    written_.fetch_add(rows.size(), std::memory_order_relaxed);
    batches_.fetch_add(1, std::memory_order_relaxed);
  } catch (const std::exception& e) {
    failed_.fetch_add(rows.size(), std::memory_order_relaxed);
    log_failure(e.what(), rows.size());
  }
  try {
    if (!messages.empty()) {
      if (!store_) throw StoreError("no store");
      store_->append_messages(messages);  // not in written_: that counts report rows
    }
  } catch (const std::exception& e) {
    failed_.fetch_add(messages.size(), std::memory_order_relaxed);
    log_failure(e.what(), messages.size());
  }
}

void EvaluationWriter::log_failure(const std::string& error, size_t lost) {
  // At most one line every 10 s: a dead database must not flood the log.
  auto now = std::chrono::steady_clock::now();
  if (now - last_error_log_ >= std::chrono::seconds(10)) {
    last_error_log_ = now;
    log_error("store write failed " + kv("store", store_ ? store_->describe() : "none") + " " +
              kv("rows_lost", std::to_string(lost)) + " " +
              kv("failed_total", std::to_string(failed_.load())) + " " + kv("error", error));
  }
}

}  // namespace alignd
