// Reporting periods (RFC 9990 §3.1.1.4): UTC days by default; in RFC 7489 mode
// the record's ri= (RFC 7489 §6.3) honoured within 1–24 h, whole hours, aligned
// to the hour. Pure arithmetic on unix seconds.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace alignd {

enum class ReportFormat { Rfc9990, Rfc7489 };
std::optional<ReportFormat> parse_report_format(std::string_view s);  // "rfc9990" | "rfc7489"

constexpr std::int64_t kDay = 86400;

// ri= seconds -> the interval we use: clamp to [1 h, 24 h], round down to whole hours.
std::int64_t ri_interval(std::int64_t ri);
std::int64_t report_interval(ReportFormat f, std::int64_t ri);
// Start of the period holding `t` (intervals divide the epoch into hour-aligned slots).
std::int64_t period_start(std::int64_t t, std::int64_t interval);

}  // namespace alignd
