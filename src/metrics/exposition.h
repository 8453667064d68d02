// Prometheus text exposition format 0.0.4: # HELP / # TYPE lines, samples with
// escaped label values, histograms as _bucket/_sum/_count. Only formatting:
// what to expose is decided by the caller (app/metrics_text.h).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/registry.h"

namespace alignd {

using MetricLabels = std::vector<std::pair<std::string_view, std::string_view>>;

class Exposition {
 public:
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // Starts a family: "# HELP name help" and "# TYPE name type" (counter, gauge,
  // histogram). Each family once, before its samples.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const MetricLabels& labels, double value);
  void sample(std::string_view name, const MetricLabels& labels, std::uint64_t value);
  // name_bucket{...,le="..."} for each bound and +Inf, name_sum, name_count.
  void histogram(std::string_view name, const MetricLabels& labels, const HistogramSnapshot& h);

  const std::string& text() const { return out_; }

 private:
  void series(std::string_view name, const MetricLabels& labels, std::string_view extra_label = {},
              std::string_view extra_value = {});
  std::string out_;
};

// Label value escaping: backslash, double quote and line feed (\\, \", \n).
std::string escape_label_value(std::string_view v);
// HELP text escaping: backslash and line feed.
std::string escape_help(std::string_view v);
// Sample values: integers without a fraction, +Inf/-Inf/NaN, else shortest round-trip.
std::string format_value(double v);

}  // namespace alignd
