// Runtime: one immutable snapshot of everything a message is judged with —
// configuration, compiled policy, trusted networks, signing keys, resolver.
// SIGHUP builds a new one (app/runtime_loader.cc); each message takes the
// snapshot current at MAIL FROM and keeps it to the end, so in-flight messages
// finish under the old configuration (RuntimeHolder).
#pragma once
#include <memory>
#include <mutex>

#include "app/config.h"
#include "auth/dkim_context.h"
#include "auth/keys.h"
#include "core/cidr.h"
#include "core/dmarc/evaluate.h"
#include "core/policy/engine.h"
#include "core/sender_login_map.h"
#include "dns/resolver.h"

namespace alignd {

class Services;  // process-wide, outlives every Runtime: libraries, store writer

struct Runtime {
  Config config;
  std::vector<Cidr> trusted_networks;
  PolicyEngine policy;
  std::shared_ptr<Resolver> dns;  // the daemon's resolver (unbound, or overlay with zone data)
  std::shared_ptr<DkimContext> dkim;  // signing options and the decoded DKIM key cache
  std::vector<SigningKey> signing_keys;
  std::shared_ptr<const SenderLoginMap> sender_logins;  // [signing] sender_login_map; null = none
  DmarcMode dmarc_mode = DmarcMode::Rfc9989;
  PslOrgDomain psl_org_domain;  // RFC 7489 mode only
  Services* services = nullptr;

  bool is_trusted(std::string_view ip) const;
};

class RuntimeHolder {
 public:
  explicit RuntimeHolder(std::shared_ptr<const Runtime> rt) : rt_(std::move(rt)) {}
  std::shared_ptr<const Runtime> get() const {
    std::lock_guard lock(mu_);
    return rt_;
  }
  void set(std::shared_ptr<const Runtime> rt) {
    std::lock_guard lock(mu_);
    rt_ = std::move(rt);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Runtime> rt_;
};

}  // namespace alignd
