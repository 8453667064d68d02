// UnboundResolver: one libunbound context in threaded async mode. Callers submit with
// ub_resolve_async and wait on their own condition variable until a deadline; one pump
// thread runs ub_process and hands results over by query id (never by pointer), so a
// query that timed out (and was ub_cancel'ed) can never be touched by a late callback.
#include "dns/unbound_resolver.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unbound.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "core/log.h"
#include "core/text.h"
#include "dns/dns_name.h"
#include "dns/metrics.h"
#include "dns/unbound_answer.h"

namespace alignd {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kClassIn = 1;
constexpr int kServFailRcode = 2;

struct CtxDeleter {
  void operator()(ub_ctx* c) const { ub_ctx_delete(c); }
};
struct ResultDeleter {
  void operator()(ub_result* r) const { ub_resolve_free(r); }
};
using ResultPtr = std::unique_ptr<ub_result, ResultDeleter>;

// One query in flight: filled by the pump thread, read by the caller.
struct Pending {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  int err = 0;
  ResultPtr result;
};

// "IP" or "IP@PORT" (libunbound's forwarder syntax), validated so a typo fails at start-up.
std::string forwarder(const std::string& s) {
  std::string ip = s, port;
  if (auto at = s.find('@'); at != std::string::npos) ip = s.substr(0, at), port = s.substr(at + 1);
  unsigned char buf[sizeof(in6_addr)];
  if (inet_pton(AF_INET, ip.c_str(), buf) != 1 && inet_pton(AF_INET6, ip.c_str(), buf) != 1)
    throw std::runtime_error("dns: bad server '" + s + "': expected IP or IP@PORT");
  if (!port.empty()) {
    bool ok = port.size() <= 5;
    for (char c : port) ok = ok && c >= '0' && c <= '9';
    if (!ok || std::stoul(port) == 0 || std::stoul(port) > 65535)
      throw std::runtime_error("dns: bad port in server '" + s + "'");
  }
  return s;
}

// The query name as sent: absolute, lowercase, in the text form of dns/dns_name.h
// (so a name from an answer, "foo\058bar.example.", reads back to the same octets);
// nullopt if it cannot be a DNS name (RFC 1035 §2.3.4 lengths; no spaces or controls;
// a backslash only as \DDD, which libunbound reads as the same escape).
std::optional<std::string> query_name(std::string_view name) {
  std::string n = normalize_domain(name);
  if (n.empty()) return std::nullopt;
  for (unsigned char c : n)
    if (c <= 0x20 || c == 0x7f) return std::nullopt;
  auto canonical = canonical_name(n);
  if (!canonical || *canonical == ".") return std::nullopt;
  return canonical;
}

}  // namespace

struct UnboundResolver::Impl {
  std::unique_ptr<ub_ctx, CtxDeleter> ctx;
  std::chrono::milliseconds timeout{3000};
  int stop_fd = -1;
  std::thread pump;

  std::mutex mu;  // guards pending and next_id
  std::unordered_map<uint64_t, std::shared_ptr<Pending>> pending;
  uint64_t next_id = 1;

  static thread_local Impl* pumping;  // the Impl whose ub_process is running on this thread

  static void on_result(void* mydata, int err, ub_result* raw) {
    ResultPtr result(raw);
    Impl* self = pumping;
    if (self == nullptr) {  // only ub_process on the pump thread delivers results
      log_error("dns: libunbound result delivered outside the pump thread; dropped");
      return;
    }
    auto id = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(mydata));
    std::shared_ptr<Pending> p;
    {
      std::lock_guard lock(self->mu);
      auto it = self->pending.find(id);
      if (it == self->pending.end()) return;  // the caller gave up (timeout)
      p = std::move(it->second);
      self->pending.erase(it);
    }
    std::lock_guard lock(p->mu);
    p->err = err;
    p->result = std::move(result);
    p->done = true;
    p->cv.notify_one();
  }

  void run_pump() {
    pumping = this;
    pollfd fds[2] = {{ub_fd(ctx.get()), POLLIN, 0}, {stop_fd, POLLIN, 0}};
    for (;;) {
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        log_error(std::string("dns: poll failed: ") + std::strerror(errno));
        return;
      }
      if (fds[1].revents) return;
      if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
        // The libunbound worker is gone; every query now times out as TempFail.
        log_error("dns: libunbound result pipe closed");
        return;
      }
      if (fds[0].revents & POLLIN) {
        int rc = ub_process(ctx.get());
        if (rc != 0) log_warning(std::string("dns: ub_process: ") + ub_strerror(rc));
      }
    }
  }
};

thread_local UnboundResolver::Impl* UnboundResolver::Impl::pumping = nullptr;

UnboundResolver::UnboundResolver(const UnboundOptions& o) : impl_(std::make_unique<Impl>()) {
  if (o.timeout_ms <= 0) throw std::runtime_error("dns: timeout_ms must be positive");
  impl_->timeout = std::chrono::milliseconds(o.timeout_ms);
  impl_->ctx.reset(ub_ctx_create());
  ub_ctx* ctx = impl_->ctx.get();
  if (!ctx) throw std::runtime_error("dns: cannot create libunbound context");
  auto check = [](int rc, const std::string& what) {
    if (rc != 0) throw std::runtime_error("dns: " + what + ": " + ub_strerror(rc));
  };
  check(ub_ctx_async(ctx, 1), "ub_ctx_async");  // a thread, not a forked process
  // Forwarders on loopback (a local cache, or test servers) must be usable.
  check(ub_ctx_set_option(ctx, "do-not-query-localhost:", "no"), "do-not-query-localhost");
  if (!o.dnssec) check(ub_ctx_set_option(ctx, "module-config:", "iterator"), "module-config");
  if (!o.servers.empty()) {
    for (const auto& s : o.servers) check(ub_ctx_set_fwd(ctx, forwarder(s).c_str()), "server " + s);
  } else {
    check(ub_ctx_resolvconf(ctx, "/etc/resolv.conf"), "reading /etc/resolv.conf");
  }
  if (o.dnssec) {
    if (!std::ifstream(o.trust_anchor_file))
      throw std::runtime_error("dns: cannot read trust anchor file " + o.trust_anchor_file);
    check(ub_ctx_add_ta_file(ctx, o.trust_anchor_file.c_str()),
          "trust anchor " + o.trust_anchor_file);
  }
  // Finalize the configuration now, so a bad one fails at start-up: "localhost." is
  // answered by libunbound's built-in local zone, without any network traffic.
  ub_result* probe = nullptr;
  int rc = ub_resolve(ctx, "localhost.", static_cast<int>(RrType::A), kClassIn, &probe);
  ResultPtr probe_owner(probe);
  check(rc, "libunbound set-up");

  impl_->stop_fd = eventfd(0, EFD_CLOEXEC);
  if (impl_->stop_fd < 0) throw std::runtime_error("dns: eventfd failed");
  impl_->pump = std::thread([impl = impl_.get()] { impl->run_pump(); });
}

UnboundResolver::~UnboundResolver() {
  if (impl_->pump.joinable()) {
    uint64_t one = 1;
    if (write(impl_->stop_fd, &one, sizeof one) != sizeof one) log_error("dns: cannot stop pump");
    impl_->pump.join();
  }
  if (impl_->stop_fd >= 0) close(impl_->stop_fd);
}

DnsAnswer UnboundResolver::query(std::string_view name, RrType type) {
  return query_until(name, type, Clock::time_point::max());
}

DnsAnswer UnboundResolver::query_until(std::string_view name, RrType type,
                                       Clock::time_point deadline) {
  DnsMetrics& m = dns_metrics();
  DnsAnswer answer;
  auto qname = query_name(name);
  if (!qname) {  // cannot exist in the DNS, so it does not
    answer.status = DnsStatus::NxDomain;
    answer.error = "invalid domain name (not sent)";
    return answer;
  }
  const auto start = Clock::now();
  ++m.queries;

  auto p = std::make_shared<Pending>();
  uint64_t id;
  {
    std::lock_guard lock(impl_->mu);
    id = impl_->next_id++;
    impl_->pending.emplace(id, p);
  }
  int async_id = 0;
  int rc = ub_resolve_async(impl_->ctx.get(), qname->c_str(), static_cast<int>(type), kClassIn,
                            reinterpret_cast<void*>(static_cast<uintptr_t>(id)), &Impl::on_result,
                            &async_id);
  if (rc != 0) {
    std::lock_guard lock(impl_->mu);
    impl_->pending.erase(id);
    answer.error = std::string("resolver error: ") + ub_strerror(rc);
    return answer;  // TempFail
  }

  // Our own deadline: libunbound's SERVFAIL for a silent upstream comes only after ~17 s.
  const bool by_deadline = deadline < start + impl_->timeout;
  const Clock::time_point until = by_deadline ? deadline : start + impl_->timeout;
  std::unique_lock lock(p->mu);
  if (!p->cv.wait_until(lock, until, [&] { return p->done; })) {
    lock.unlock();
    bool gave_up;
    {
      std::lock_guard map_lock(impl_->mu);
      gave_up = impl_->pending.erase(id) == 1;
    }
    if (gave_up) {  // the callback will find nothing; tell libunbound to drop it
      ub_cancel(impl_->ctx.get(), async_id);
      ++m.timeouts;
      answer.error = by_deadline
                         ? std::string("DNS time budget of this message used up")
                         : "DNS timeout after " + std::to_string(impl_->timeout.count()) + " ms";
      return answer;  // TempFail
    }
    lock.lock();  // the result is being delivered right now
    p->cv.wait(lock, [&] { return p->done; });
  }

  answer = map_unbound_result(p->err, p->result.get(), type);
  if (p->result) {
    if (p->result->rcode == kServFailRcode || p->result->bogus) ++m.servfails;
    if (answer.status == DnsStatus::NxDomain) ++m.nxdomain;
    if (answer.status != DnsStatus::TempFail && answer.status != DnsStatus::PermFail) {
      answer.ttl = p->result->ttl > 0 ? static_cast<uint32_t>(p->result->ttl) : 0;
    }
  }
  return answer;
}

}  // namespace alignd
