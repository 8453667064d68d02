// Services: the store writer's lifetime; see services.h.
#include "milter/services.h"

#include <stdexcept>

namespace alignd {

void Services::open_store(const std::string& url, size_t capacity, size_t batch, int flush_ms) {
  store_url_ = url;
  if (url.empty() || url == "none") return;
  std::unique_ptr<Store> store;
  try {
    store = alignd::open_store(url);
  } catch (const std::exception& e) {
    throw std::runtime_error("store.url '" + url + "': " + e.what());
  }
  writer_ = std::make_unique<EvaluationWriter>(std::move(store), capacity, batch,
                                               std::chrono::milliseconds(flush_ms));
}

void Services::drain() {
  if (writer_) writer_->drain();
}

}  // namespace alignd
