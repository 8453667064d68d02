// The process's Metrics and the mapping from a judged message to its counters.
#include "metrics/alignd_metrics.h"

namespace alignd {

Metrics& metrics() {
  static Metrics m;
  return m;
}

size_t result_index(Outcome o) {
  switch (o) {
    case Outcome::Pass: return 1;
    case Outcome::Fail: return 2;
    case Outcome::SoftFail: return 3;
    case Outcome::Neutral: return 4;
    case Outcome::TempError: return 5;
    case Outcome::PermError: return 6;
    default: return 0;  // None, Policy
  }
}

size_t rr_type_index(RrType t) {
  switch (t) {
    case RrType::A: return 0;
    case RrType::AAAA: return 1;
    case RrType::TXT: return 2;
    case RrType::MX: return 3;
    case RrType::PTR: return 4;
    case RrType::CNAME: return 5;
    case RrType::NS: return 6;
  }
  return 7;
}

size_t dns_status_index(DnsStatus s) {
  switch (s) {
    case DnsStatus::Ok: return 0;
    case DnsStatus::NoData: return 1;
    case DnsStatus::NxDomain: return 2;
    case DnsStatus::TempFail: return 3;
    case DnsStatus::PermFail: return 4;
  }
  return 3;
}

size_t dkim_algorithm_index(std::string_view a) {
  for (size_t i = 0; i + 1 < kDkimAlgorithms.size(); ++i)
    if (a == kDkimAlgorithms[i]) return i;
  return kDkimAlgorithms.size() - 1;
}

size_t dkim_key_bits_index(std::string_view algorithm, int bits) {
  if (bits == 0) return 0;
  if (algorithm.rfind("ed25519", 0) == 0 && bits == 256) return 7;
  switch (bits) {
    case 512: return 1;
    case 768: return 2;
    case 1024: return 3;
    case 2048: return 4;
    case 3072: return 5;
    case 4096: return 6;
    default: return 8;
  }
}

static size_t action_index(Action a) {
  return static_cast<size_t>(a) % kActions.size();
}

static size_t disposition_index(std::string_view d) {
  if (d == "quarantine") return 1;
  if (d == "reject") return 2;
  return 0;
}

void count_message(const Evidence& ev, const Verdict& v, double eom_seconds) {
  Metrics& m = metrics();
  m.messages[ev.outbound() ? 1 : 0][action_index(v.action)].inc();
  if (ev.spf_helo.checked) m.spf[0][result_index(ev.spf_helo.result)].inc();
  if (ev.spf_mailfrom.checked) m.spf[1][result_index(ev.spf_mailfrom.result)].inc();
  for (const auto& d : ev.dkim)
    m.dkim[result_index(d.result)][dkim_algorithm_index(d.algorithm)]
          [dkim_key_bits_index(d.algorithm, d.key_bits)]
              .inc();
  if (ev.dmarc.evaluated) {
    size_t pol = ev.dmarc.record.empty() ? 3 : static_cast<size_t>(ev.dmarc.requested_policy) % 3;
    m.dmarc[result_index(ev.dmarc.result)][pol][disposition_index(ev.dmarc.applied_disposition)]
        .inc();
  }
  if (ev.arc.checked) count_arc_result(to_string(ev.arc.status));
  if (!v.rule.empty()) m.rule_hits.inc(v.rule);
  m.eom_duration.observe(eom_seconds);
}

void count_mail_from_verdict(const Evidence& ev, const Verdict& v) {
  Metrics& m = metrics();
  m.messages[ev.outbound() ? 1 : 0][action_index(v.action)].inc();
  if (ev.spf_helo.checked) m.spf[0][result_index(ev.spf_helo.result)].inc();
  if (ev.spf_mailfrom.checked) m.spf[1][result_index(ev.spf_mailfrom.result)].inc();
  if (!v.rule.empty()) m.rule_hits.inc(v.rule);
}

void count_arc_result(std::string_view result) {
  for (size_t i = 0; i < kArcResults.size(); ++i)
    if (result == kArcResults[i]) {
      metrics().arc[i].inc();
      return;
    }
}

void count_reload(bool ok, double unix_time) {
  metrics().reloads[ok ? 0 : 1].inc();
  if (ok) metrics().last_reload_success.store(unix_time, std::memory_order_relaxed);
}

}  // namespace alignd
