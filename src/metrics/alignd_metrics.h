// The daemon's metrics: one process-wide set of counters and histograms,
// incremented on the milter path (relaxed atomics, fixed arrays indexed by
// enums, no locks) and read by the /metrics endpoint (app/metrics_text.h).
// docs/operations.md lists every name, type and label.
#pragma once
#include <array>
#include <string_view>

#include "core/dns_types.h"
#include "core/evidence.h"
#include "core/verdict.h"
#include "metrics/registry.h"

namespace alignd {

// Label values, in index order.
inline constexpr std::array<std::string_view, 2> kDirections = {"inbound", "outbound"};
inline constexpr std::array<std::string_view, 5> kActions = {"accept", "tag", "quarantine",
                                                             "reject", "tempfail"};
inline constexpr std::array<std::string_view, 7> kResults = {
    "none", "pass", "fail", "softfail", "neutral", "temperror", "permerror"};  // Outcome order
inline constexpr std::array<std::string_view, 2> kSpfIdentities = {"helo", "mailfrom"};
inline constexpr std::array<std::string_view, 4> kDkimAlgorithms = {"rsa-sha256", "rsa-sha1",
                                                                    "ed25519-sha256", "other"};
inline constexpr std::array<std::string_view, 9> kDkimKeyBits = {
    "0", "512", "768", "1024", "2048", "3072", "4096", "256", "other"};
inline constexpr std::array<std::string_view, 4> kDmarcPolicies = {"none", "quarantine", "reject",
                                                                   "absent"};
inline constexpr std::array<std::string_view, 3> kDispositions = {"none", "quarantine", "reject"};
inline constexpr std::array<std::string_view, 3> kArcResults = {"none", "pass", "fail"};
inline constexpr std::array<std::string_view, 8> kRrTypes = {"A",   "AAAA",  "TXT", "MX",
                                                             "PTR", "CNAME", "NS",  "other"};
inline constexpr std::array<std::string_view, 5> kDnsStatuses = {"ok", "nodata", "nxdomain",
                                                                 "tempfail", "permfail"};
inline constexpr std::array<std::string_view, 2> kReloadResults = {"success", "failure"};

struct Metrics {
  Counter messages[kDirections.size()][kActions.size()];
  Counter spf[kSpfIdentities.size()][kResults.size()];
  Counter dkim[kResults.size()][kDkimAlgorithms.size()][kDkimKeyBits.size()];
  Counter dkim_signed;  // messages we signed (outbound)
  Counter dmarc[kResults.size()][kDmarcPolicies.size()][kDispositions.size()];
  Counter arc[kArcResults.size()];  // messages the ARC verifier checked, by chain status
  NamedCounters rule_hits;
  Counter dns_queries[kRrTypes.size()][kDnsStatuses.size()];
  Histogram dns_duration[kRrTypes.size()] = {
      latency_buckets(), latency_buckets(), latency_buckets(), latency_buckets(),
      latency_buckets(), latency_buckets(), latency_buckets(), latency_buckets()};
  Histogram eom_duration{latency_buckets()};
  Counter reloads[kReloadResults.size()];
  std::atomic<double> last_reload_success{0};  // unix time
};

Metrics& metrics();

// Index helpers (out-of-range values map to the "other"/none slot).
size_t result_index(Outcome o);
size_t rr_type_index(RrType t);
size_t dns_status_index(DnsStatus s);
size_t dkim_algorithm_index(std::string_view a);
size_t dkim_key_bits_index(std::string_view algorithm, int bits);

// One message judged at end of message: direction x verdict, SPF, DKIM, DMARC,
// ARC (when checked), the rule that fired, and how long on_eom took.
void count_message(const Evidence& ev, const Verdict& v, double eom_seconds);
// A message refused at MAIL FROM by a rule.
void count_mail_from_verdict(const Evidence& ev, const Verdict& v);
// ARC (RFC 8617 §5.2) result of a message: "none" | "pass" | "fail".
void count_arc_result(std::string_view result);
// A configuration reload (SIGHUP).
void count_reload(bool ok, double unix_time);

}  // namespace alignd
