// The last verdicts of this process with their reason traces, for the status
// page (the store keeps the DMARC evaluation, not the policy trace). A fixed
// ring of slots whose strings are reused; record() takes the lock only with
// try_lock, so a message never waits: when the page is being read the entry
// is skipped (and counted).
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/evidence.h"
#include "core/verdict.h"

namespace alignd {

struct RecentVerdict {
  std::int64_t time = 0;
  std::string queue_id, client_ip, mail_from, header_from, direction;
  std::string spf, dkim, dmarc;  // results, "" when not checked
  std::string action, rule;
  std::vector<std::string> trace;
};

class RecentVerdicts {
 public:
  static constexpr size_t kSlots = 100;
  void record(const Evidence& ev, const Verdict& v, std::int64_t now) noexcept;
  // Newest first, at most n.
  std::vector<RecentVerdict> latest(size_t n) const;
  std::uint64_t skipped() const;

 private:
  mutable std::mutex mu_;
  std::array<RecentVerdict, kSlots> ring_;
  size_t next_ = 0, size_ = 0;
  std::atomic<std::uint64_t> skipped_{0};
};

RecentVerdicts& recent_verdicts();  // the process's ring

}  // namespace alignd
