// Validates the Authenticated Received Chain of one message (RFC 8617 §5.2),
// streaming like DkimVerifier: header fields, end of headers, body chunks, finish().
// Structure (core/arc/chain.h), then the newest ARC-Message-Signature (step 4), the
// oldest-pass instance (step 5), every ARC-Seal newest first (step 6). Signatures use
// RFC 6376 §5 canonicalization (dkim_canon.h) and keys (dkim_crypto.h): rsa-sha256
// only, RSA ≥ 1024 bits (RFC 8301). Every error, DNS failures included, is "fail"
// (§5.2.1). The body is hashed as it streams, once per distinct c=/l= of the AMSs
// (body_hashes.h), shared with DKIM when the caller passes the message's BodyHashes.
// Leaves out trust (core/arc/trust.h) and sealing (arc_sealer.h).
#pragma once
#include <ctime>
#include <memory>
#include <string_view>

#include "auth/body_hashes.h"
#include "auth/dkim_key_record.h"
#include "core/arc/result.h"
#include "core/header.h"
#include "dns/resolver.h"

namespace alignd {

class ArcVerifier {
 public:
  // `dns` (and `keys`, the decoded-key cache shared with DKIM, if given) must
  // outlive the verifier. `now` (0 = the clock) is for AMS x= expiry. `shared`
  // (optional, must outlive the verifier): the message's body hashes, fed by the
  // caller; without it the verifier keeps and feeds its own.
  explicit ArcVerifier(Resolver& dns, std::time_t now = 0, DkimKeyCache* keys = nullptr,
                       BodyHashes* shared = nullptr);
  ~ArcVerifier();
  ArcVerifier(const ArcVerifier&) = delete;
  ArcVerifier& operator=(const ArcVerifier&) = delete;

  void header(const HeaderField& h);
  void end_of_headers();
  void body(std::string_view chunk);  // CRLF line ends, chunks of any size
  ArcResult finish();                 // call once

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Convenience for tests and tools: the whole message at once.
ArcResult verify_arc(Resolver& dns, const HeaderList& headers, std::string_view body,
                     std::time_t now = 0);

}  // namespace alignd
