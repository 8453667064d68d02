// Services: the process-wide parts that outlive configuration reloads — today
// the evaluation writer (the store queue). Created once by `serve`; `eval`
// runs without one (it records nothing). Every Runtime points at the same
// Services.
#pragma once
#include <memory>
#include <string>

#include "store/writer.h"

namespace alignd {

class Services {
 public:
  Services() = default;
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  // Opens the store named by `url` ("" or "none": recording off) and starts the
  // writer thread. Throws std::runtime_error naming the url on failure.
  void open_store(const std::string& url, size_t capacity, size_t batch, int flush_ms);
  EvaluationWriter* writer() const { return writer_.get(); }
  const std::string& store_url() const { return store_url_; }
  // Commits what is queued; call on SIGTERM before exit.
  void drain();

 private:
  std::unique_ptr<EvaluationWriter> writer_;
  std::string store_url_;
};

}  // namespace alignd
