// Prometheus text format writer; see exposition.h.
#include "metrics/exposition.h"

#include <charconv>
#include <cmath>

namespace alignd {

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string escape_help(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  char buf[64];
  const double a = std::fabs(v);
  auto r = (a >= 1e-6 && a < 1e15)
               ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
               : std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

void Exposition::family(std::string_view name, std::string_view type, std::string_view help) {
  out_.append("# HELP ").append(name).append(" ").append(escape_help(help)).append("\n");
  out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void Exposition::series(std::string_view name, const MetricLabels& labels,
                        std::string_view extra_label, std::string_view extra_value) {
  out_.append(name);
  if (labels.empty() && extra_label.empty()) return;
  out_ += '{';
  bool first = true;
  auto one = [&](std::string_view k, std::string_view v) {
    if (!first) out_ += ',';
    first = false;
    out_.append(k).append("=\"").append(escape_label_value(v)).append("\"");
  };
  for (const auto& [k, v] : labels) one(k, v);
  if (!extra_label.empty()) one(extra_label, extra_value);
  out_ += '}';
}

void Exposition::sample(std::string_view name, const MetricLabels& labels, double value) {
  series(name, labels);
  out_.append(" ").append(format_value(value)).append("\n");
}

void Exposition::sample(std::string_view name, const MetricLabels& labels, std::uint64_t value) {
  series(name, labels);
  out_.append(" ").append(std::to_string(value)).append("\n");
}

void Exposition::histogram(std::string_view name, const MetricLabels& labels,
                           const HistogramSnapshot& h) {
  const std::string bucket = std::string(name) + "_bucket";
  for (size_t i = 0; i < h.counts.size(); ++i) {
    std::string le = i < h.bounds.size() ? format_value(h.bounds[i]) : "+Inf";
    series(bucket, labels, "le", le);
    out_.append(" ").append(std::to_string(h.counts[i])).append("\n");
  }
  sample(std::string(name) + "_sum", labels, h.sum);
  sample(std::string(name) + "_count", labels, h.count);
}

}  // namespace alignd
