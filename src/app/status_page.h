// GET /: the status page, one self-contained HTML document (inline CSS,
// server-rendered SVG, no script): per-domain DMARC pass rates by day, top
// failing sources, the latest verdicts with their reason traces, the latest
// stored evaluations, the report queue, signing key expiry. Pure rendering:
// the data is gathered by app/http_server.cc.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "app/metrics_text.h"
#include "milter/recent_verdicts.h"
#include "store/status_reader.h"

namespace alignd {

struct StatusData {
  std::int64_t now = 0;
  std::string authserv_id, version;
  int days = 14;
  bool store_enabled = false;
  std::string store_error;  // the store could not be read
  std::vector<DomainDay> rates;
  std::vector<FailingSource> failing;
  std::vector<Evaluation> latest;
  std::vector<QueuedReport> queue;
  std::vector<KeyExpiry> keys;
  std::vector<RecentVerdict> verdicts;
};

std::string render_status_page(const StatusData& d);
// One domain's chart: a bar a day from first_day for `days` days, height the
// pass rate, width fixed; days without mail are empty. `rows` are that domain's.
std::string pass_rate_svg(const std::string& domain, const std::vector<DomainDay>& rows,
                          std::int64_t first_day, int days);
std::string html_escape(std::string_view s);
std::string utc_time(std::int64_t t);  // "2026-12-04 06:20:46"

}  // namespace alignd
