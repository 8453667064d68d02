// `alignd report send` without the CLI: for each due period of each policy
// domain, aggregate, build the XML (RFC 9990 or RFC 7489), gzip, and deliver to
// every rua= mailto destination once. A (period, destination) is claimed in the
// store before sending and marked sent only after the Mailer succeeded; a failed
// send releases the claim for the next run. Dry runs write files and never touch
// the store.
#pragma once
#include <cstdint>
#include <string>

#include "core/report/aggregate.h"
#include "core/report/period.h"
#include "dns/resolver.h"
#include "report/mailer.h"
#include "store/store.h"

namespace alignd {

struct ReportOptions {
  ReportFormat format = ReportFormat::Rfc9990;
  ReportMeta meta;
  bool verify_external = true;
  size_t max_destinations = 5;  // per record, and per RFC 9990 §4 override (issue 10 item 6)
  std::int64_t now = 0;
  std::int64_t since = 0;     // oldest evaluation time considered (retention)
  std::int64_t grace = 300;   // a period is due this long after it ended (late writers)
  std::int64_t lease = 3600;  // a claim older than this belongs to a crashed run
  std::string owner;          // unique per run: host:pid:random
  bool dry_run = false;
  std::string out_dir;  // dry run: where the .xml.gz and .eml files go
};

struct ReportRunStats {
  int periods = 0;    // due periods looked at
  int sent = 0;       // messages accepted by the Mailer
  int refused = 0;    // destinations refused by the RFC 9990 §4 external check
  int too_big = 0;    // destinations whose size limit the report exceeds
  int failed = 0;     // send failures (retried next run)
  int deferred = 0;   // claimed elsewhere, or DNS temperror: left for a later run
  int written = 0;    // dry run: .eml files written
  int completed = 0;  // periods finished (every destination sent, refused or too big)
};

ReportRunStats run_reports(Store& store, Resolver& dns, Mailer& mailer, const ReportOptions& o);

}  // namespace alignd
