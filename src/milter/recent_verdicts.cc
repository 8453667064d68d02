// RecentVerdicts; see recent_verdicts.h.
#include "milter/recent_verdicts.h"

#include <algorithm>

namespace alignd {

void RecentVerdicts::record(const Evidence& ev, const Verdict& v, std::int64_t now) noexcept {
  std::unique_lock lock(mu_, std::try_to_lock);
  if (!lock.owns_lock()) {  // the page is reading: never wait on the milter path
    skipped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  try {
    RecentVerdict& r = ring_[next_];
    r.time = now;
    r.queue_id = ev.queue_id;
    r.client_ip = ev.client_ip;
    r.mail_from = ev.mail_from;
    r.header_from = ev.dmarc.author_domain;
    r.direction = ev.outbound() ? "outbound" : "inbound";
    r.spf = ev.spf_mailfrom.checked ? std::string(to_string(ev.spf_mailfrom.result)) : "";
    r.dkim.clear();
    for (const auto& d : ev.dkim) {
      if (!r.dkim.empty()) r.dkim += ' ';
      r.dkim.append(to_string(d.result)).append(":").append(d.domain);
    }
    r.dmarc = ev.dmarc.evaluated ? std::string(to_string(ev.dmarc.result)) : "";
    r.action = std::string(to_string(v.action));
    r.rule = v.rule;
    r.trace = v.trace;
    next_ = (next_ + 1) % kSlots;
    if (size_ < kSlots) ++size_;
  } catch (...) {
    skipped_.fetch_add(1, std::memory_order_relaxed);
  }
}

std::vector<RecentVerdict> RecentVerdicts::latest(size_t n) const {
  std::lock_guard lock(mu_);
  std::vector<RecentVerdict> out;
  for (size_t i = 0; i < std::min(n, size_); ++i)
    out.push_back(ring_[(next_ + kSlots - 1 - i) % kSlots]);
  return out;
}

std::uint64_t RecentVerdicts::skipped() const {
  return skipped_.load(std::memory_order_relaxed);
}

RecentVerdicts& recent_verdicts() {
  static RecentVerdicts r;
  return r;
}

}  // namespace alignd
