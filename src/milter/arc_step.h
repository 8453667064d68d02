// ARC for one message in the milter pipeline (RFC 8617; docs/arc.md): validate the
// chain as the message streams in, put the result and the sealer trust into the
// Evidence (on_eom step 1), and seal outbound mail after every other change
// (on_eom step 6). Session owns one per message; `alignd eval` drives the same path.
// Leaves out the rules themselves (core/arc, auth/arc_verifier.h, auth/arc_sealer.h).
#pragma once
#include <ctime>
#include <memory>
#include <string>
#include <string_view>

#include "auth/arc_sealer.h"
#include "auth/arc_verifier.h"
#include "core/evidence.h"
#include "milter/actions.h"
#include "milter/runtime.h"

namespace alignd {

class ArcStep {
 public:
  // At MAIL FROM: validate inbound mail ([arc] verify), and any mail we may seal.
  // `hashes`: the message's body hashes, shared with DKIM and fed by the Session.
  void start(const Runtime& rt, bool outbound, Resolver& dns, BodyHashes* hashes = nullptr);
  void header(const HeaderField& h);
  void end_of_headers();
  void body(std::string_view chunk);

  // The chain status and the trust in its sealers ([arc] trusted_sealers).
  void verify(const Runtime& rt, Evidence& ev);

  // Outbound with [arc] seal = true: adds our ARC Set on top of everything in `out`.
  // Returns a log note ("i=2 cv=pass d=example.org") or "" when nothing was sealed.
  std::string seal(const Runtime& rt, const Evidence& ev, EomActions& out);

 private:
  std::unique_ptr<ArcVerifier> verifier_;
  std::unique_ptr<ArcSealer> sealer_;
  const SigningKey* seal_key_ = nullptr;
};

// The RSA key that seals: a valid [[signing.keys]] entry for [arc] seal_domain, or,
// when that is empty, for the most specific key domain at or above authserv_id.
const SigningKey* arc_seal_key(const Runtime& rt, std::time_t now);

// The header fields as the message will leave: `in` with `out`'s removals, changes,
// insertions at the top and appended fields applied (actions.h order).
HeaderList outgoing_headers(const HeaderList& in, const EomActions& out);

}  // namespace alignd
