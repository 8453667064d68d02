// GET /metrics: the daemon's Prometheus exposition. The hot-path counters come
// from metrics/alignd_metrics.h and dns/metrics.h; what only the daemon's
// surroundings know (store queue, signing keys, report deliveries in the
// store, build) comes in MetricsInputs. Names, types, labels: docs/operations.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/alignd_metrics.h"
#include "store/status_reader.h"
#include "store/writer.h"

namespace alignd {

struct KeyExpiry {
  std::string domain, selector, algorithm;
  int bits = 0;
  std::optional<std::int64_t> not_before, not_after;  // unix seconds
};

struct MetricsInputs {
  std::string version;
  double start_time = 0;  // unix seconds
  bool store_enabled = false;
  EvaluationWriter::Stats writer;
  std::uint64_t queue_depth = 0, queue_capacity = 0;
  std::vector<KeyExpiry> keys;
  std::optional<ReportSendTotals> report_sends;  // unset: store not readable
  std::optional<std::int64_t> reports_due;       // periods over, not complete
};

std::string render_metrics(const Metrics& m, const MetricsInputs& in);

}  // namespace alignd
