// Reporting period arithmetic.
#include "core/report/period.h"

#include <algorithm>

namespace alignd {

std::optional<ReportFormat> parse_report_format(std::string_view s) {
  if (s == "rfc9990") return ReportFormat::Rfc9990;
  if (s == "rfc7489") return ReportFormat::Rfc7489;
  return std::nullopt;
}

std::int64_t ri_interval(std::int64_t ri) {
  std::int64_t hours = std::clamp<std::int64_t>(ri / 3600, 1, 24);
  return hours * 3600;
}

std::int64_t report_interval(ReportFormat f, std::int64_t ri) {
  return f == ReportFormat::Rfc7489 ? ri_interval(ri) : kDay;
}

std::int64_t period_start(std::int64_t t, std::int64_t interval) {
  std::int64_t m = t % interval;
  if (m < 0) m += interval;
  return t - m;
}

}  // namespace alignd
