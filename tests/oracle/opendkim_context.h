// Test oracle, private to tests/oracle: the per-message state libopendkim's callbacks
// reach through dkim_set_user_context() — the Resolver for key lookups, the signature
// limit, and what each lookup found, so a DNS TempFail becomes temperror (RFC 6376
// §6.1.2) rather than libopendkim's "no key".
#pragma once
#include <map>
#include <string>

#include "core/outcome.h"
#include "dns/resolver.h"

struct dkim_siginfo;  // libopendkim's DKIM_SIGINFO

namespace alignd::oracle::detail {

struct LookupNote {
  Outcome outcome = Outcome::None;  // TempError / PermError; None = key found
  std::string reason;
};

struct MessageContext {
  Resolver* dns = nullptr;
  int max_signatures = 5;
  std::map<const dkim_siginfo*, LookupNote> notes;  // lookups that did not yield a key
};

}  // namespace alignd::oracle::detail
