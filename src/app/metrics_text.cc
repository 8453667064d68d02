// render_metrics: every alignd_* family in a fixed order; see metrics_text.h.
#include "app/metrics_text.h"

#include <utility>

#include "dns/metrics.h"
#include "metrics/exposition.h"

namespace alignd {

std::string render_metrics(const Metrics& m, const MetricsInputs& in) {
  Exposition x;
  x.family("alignd_build_info", "gauge", "Build information; the value is always 1.");
  x.sample("alignd_build_info", {{"version", in.version}}, std::uint64_t{1});
  x.family("alignd_start_time_seconds", "gauge", "When the daemon started, unix time.");
  x.sample("alignd_start_time_seconds", {}, in.start_time);

  x.family("alignd_messages_total", "counter",
           "Messages judged, by direction and verdict (MAIL FROM refusals included).");
  for (size_t d = 0; d < kDirections.size(); ++d)
    for (size_t a = 0; a < kActions.size(); ++a)
      x.sample("alignd_messages_total", {{"direction", kDirections[d]}, {"verdict", kActions[a]}},
               m.messages[d][a].get());
  x.family("alignd_eom_duration_seconds", "histogram",
           "Time spent in end-of-message processing (DKIM, DMARC, policy, headers).");
  x.histogram("alignd_eom_duration_seconds", {}, m.eom_duration.snapshot());

  x.family("alignd_spf_results_total", "counter", "SPF results by identity (helo, mailfrom).");
  for (size_t i = 0; i < kSpfIdentities.size(); ++i)
    for (size_t r = 0; r < kResults.size(); ++r)
      x.sample("alignd_spf_results_total",
               {{"identity", kSpfIdentities[i]}, {"result", kResults[r]}}, m.spf[i][r].get());

  x.family("alignd_dkim_results_total", "counter",
           "DKIM signature results by algorithm and key size in bits (0: key not retrieved).");
  for (size_t r = 0; r < kResults.size(); ++r)
    for (size_t a = 0; a < kDkimAlgorithms.size(); ++a)
      for (size_t b = 0; b < kDkimKeyBits.size(); ++b)
        if (auto v = m.dkim[r][a][b].get())  // 252 series: only those seen
          x.sample("alignd_dkim_results_total",
                   {{"result", kResults[r]},
                    {"algorithm", kDkimAlgorithms[a]},
                    {"key_bits", kDkimKeyBits[b]}},
                   v);
  x.family("alignd_dkim_signed_total", "counter", "Outbound messages signed with DKIM.");
  x.sample("alignd_dkim_signed_total", {}, m.dkim_signed.get());

  x.family("alignd_dmarc_results_total", "counter",
           "DMARC results by requested policy (absent: no record) and applied disposition.");
  for (size_t r = 0; r < kResults.size(); ++r) {
    if (r == 3 || r == 4) continue;  // softfail, neutral: not DMARC results
    for (size_t p = 0; p < kDmarcPolicies.size(); ++p)
      for (size_t d = 0; d < kDispositions.size(); ++d)
        x.sample("alignd_dmarc_results_total",
                 {{"result", kResults[r]},
                  {"policy", kDmarcPolicies[p]},
                  {"disposition", kDispositions[d]}},
                 m.dmarc[r][p][d].get());
  }
  x.family("alignd_arc_results_total", "counter", "ARC chain validation results (RFC 8617).");
  for (size_t r = 0; r < kArcResults.size(); ++r)
    x.sample("alignd_arc_results_total", {{"result", kArcResults[r]}}, m.arc[r].get());

  x.family("alignd_rule_hits_total", "counter", "Messages decided by each policy rule.");
  for (const auto& [name, n] : m.rule_hits.snapshot())
    x.sample("alignd_rule_hits_total", {{"rule", name}}, n);
  if (auto o = m.rule_hits.overflow()) x.sample("alignd_rule_hits_total", {{"rule", "(other)"}}, o);

  x.family("alignd_dns_queries_total", "counter",
           "DNS queries asked by the checks, by record type and result.");
  for (size_t t = 0; t < kRrTypes.size(); ++t)
    for (size_t s = 0; s < kDnsStatuses.size(); ++s)
      if (t < 5 || m.dns_queries[t][s].get())
        x.sample("alignd_dns_queries_total", {{"type", kRrTypes[t]}, {"result", kDnsStatuses[s]}},
                 m.dns_queries[t][s].get());
  x.family("alignd_dns_query_duration_seconds", "histogram", "DNS lookup time by record type.");
  for (size_t t = 0; t < kRrTypes.size(); ++t) {
    auto h = m.dns_duration[t].snapshot();
    if (t < 5 || h.count)
      x.histogram("alignd_dns_query_duration_seconds", {{"type", kRrTypes[t]}}, h);
  }
  const DnsMetrics& dm = dns_metrics();
  x.family("alignd_dns_upstream_queries_total", "counter",
           "Queries that reached the resolver library or alignd's cache.");
  x.sample("alignd_dns_upstream_queries_total", {}, dm.queries.load());
  x.family("alignd_dns_cache_hits_total", "counter", "Queries answered from alignd's DNS cache.");
  x.sample("alignd_dns_cache_hits_total", {}, dm.cache_hits.load());
  x.family("alignd_dns_timeouts_total", "counter", "Queries given up after dns.timeout_ms.");
  x.sample("alignd_dns_timeouts_total", {}, dm.timeouts.load());
  x.family("alignd_dns_servfail_total", "counter", "SERVFAIL answers (DNSSEC bogus included).");
  x.sample("alignd_dns_servfail_total", {}, dm.servfails.load());

  if (in.store_enabled) {
    x.family("alignd_store_queue_depth", "gauge", "Evaluations waiting for the store writer.");
    x.sample("alignd_store_queue_depth", {}, in.queue_depth);
    x.family("alignd_store_queue_capacity", "gauge", "store.queue_capacity.");
    x.sample("alignd_store_queue_capacity", {}, in.queue_capacity);
    x.family("alignd_store_evaluations_written_total", "counter", "Evaluations committed.");
    x.sample("alignd_store_evaluations_written_total", {}, in.writer.written);
    x.family("alignd_store_evaluations_dropped_total", "counter",
             "Evaluations dropped because the queue was full.");
    x.sample("alignd_store_evaluations_dropped_total", {}, in.writer.dropped);
    x.family("alignd_store_evaluations_failed_total", "counter",
             "Evaluations lost because the store failed.");
    x.sample("alignd_store_evaluations_failed_total", {}, in.writer.failed);
    x.family("alignd_store_batches_total", "counter", "Batches (transactions) committed.");
    x.sample("alignd_store_batches_total", {}, in.writer.batches);
  }
  if (in.report_sends) {
    const ReportSendTotals& t = *in.report_sends;
    x.family("alignd_report_deliveries", "gauge",
             "Aggregate report destinations (period x rua=) by delivery state, as `alignd report "
             "send` recorded them in the store: sent; failed (send_command failed, retried by the "
             "next run); refused (RFC 9990 external destination not authorized); too_big (over "
             "the destination's size limit); claimed (a run in progress or crashed).");
    for (const auto& [state, n] : {std::pair<const char*, std::int64_t>{"sent", t.sent},
                                   {"failed", t.failed},
                                   {"refused", t.refused},
                                   {"too_big", t.too_big},
                                   {"claimed", t.claimed}})
      x.sample("alignd_report_deliveries", {{"state", state}}, std::uint64_t(n));
    x.family("alignd_report_failed_attempts", "gauge",
             "Failed report sends (send_command non-zero) recorded in the store, summed over the "
             "destinations it keeps, whether later sent or not.");
    x.sample("alignd_report_failed_attempts", {}, std::uint64_t(t.failed_attempts));
  }
  if (in.reports_due) {
    x.family("alignd_report_periods_due", "gauge",
             "Report periods over but not yet completely sent.");
    x.sample("alignd_report_periods_due", {}, std::uint64_t(*in.reports_due));
  }

  x.family("alignd_signing_key_info", "gauge", "Configured DKIM signing keys; the value is 1.");
  for (const auto& k : in.keys)
    x.sample("alignd_signing_key_info",
             {{"domain", k.domain},
              {"selector", k.selector},
              {"algorithm", k.algorithm},
              {"key_bits", std::to_string(k.bits)}},
             std::uint64_t{1});
  x.family("alignd_signing_key_not_after_timestamp_seconds", "gauge",
           "When a signing key stops being used (not_after), unix time; keys without one absent.");
  for (const auto& k : in.keys)
    if (k.not_after)
      x.sample("alignd_signing_key_not_after_timestamp_seconds",
               {{"domain", k.domain}, {"selector", k.selector}}, double(*k.not_after));

  x.family("alignd_config_reloads_total", "counter", "Configuration reloads (SIGHUP) by result.");
  for (size_t r = 0; r < kReloadResults.size(); ++r)
    x.sample("alignd_config_reloads_total", {{"result", kReloadResults[r]}}, m.reloads[r].get());
  x.family("alignd_config_last_reload_success_timestamp_seconds", "gauge",
           "When the configuration was last loaded successfully (start or reload), unix time.");
  x.sample("alignd_config_last_reload_success_timestamp_seconds", {},
           m.last_reload_success.load(std::memory_order_relaxed));
  return x.text();
}

}  // namespace alignd
