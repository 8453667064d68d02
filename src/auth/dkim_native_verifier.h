// The DKIM checks themselves (RFC 6376 §6, RFC 8463 ed25519-sha256, RFC 8301
// algorithm and key-size rules), streaming, with RFC 6376's results: a pass whose l=
// leaves content unsigned stays pass here (DkimVerifier, dkim_verifier.h, applies
// the options on top). Canonicalization is the signer's own (dkim_canon.h); keys
// come from the one key lookup (dkim_key_lookup.h), decoded once per key record
// (DkimKeyCache); OpenSSL EVP verifies. Only the first max_signatures
// DKIM-Signature fields are parsed or kept; the body is hashed as it streams, never
// held, once per distinct c=/l= (body_hashes.h), and, when the caller passes the
// message's BodyHashes, once for DKIM and ARC together. Leaves out policy (DMARC,
// the rules).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/body_hashes.h"
#include "auth/dkim_body_length.h"
#include "auth/dkim_canon.h"
#include "auth/dkim_key_record.h"
#include "auth/dkim_signature.h"
#include "core/header.h"
#include "core/results.h"
#include "dns/resolver.h"

namespace alignd {

class NativeDkimVerifier {
 public:
  // `keys` and `dns` must outlive this object; `now` (seconds since the epoch) is
  // what x= is compared with. `shared` (optional, must outlive this object): the
  // message's body hashes, fed by the caller; without it the verifier keeps and
  // feeds its own.
  NativeDkimVerifier(DkimKeyCache& keys, Resolver& dns, int max_signatures, int64_t now,
                     BodyHashes* shared = nullptr);
  ~NativeDkimVerifier();
  NativeDkimVerifier(const NativeDkimVerifier&) = delete;
  NativeDkimVerifier& operator=(const NativeDkimVerifier&) = delete;

  void header(const HeaderField& h);
  void end_of_headers();
  void body(std::string_view chunk);
  std::vector<DkimResult> finish();

  // DKIM-Signature fields beyond max_signatures: counted, never parsed.
  size_t ignored_signatures() const { return ignored_; }

 private:
  struct Sig;
  DkimResult check(Sig& s);

  DkimKeyCache& keys_;
  Resolver& dns_;
  const size_t max_;
  const int64_t now_;
  HeaderList headers_;
  std::vector<std::unique_ptr<Sig>> sigs_;
  size_t ignored_ = 0;
  std::unique_ptr<BodyHashes> own_;  // when no shared BodyHashes was given
  BodyHashes* hashes_;               // own_ or the shared one
  bool any_hash_ = false;            // some signature needs a body hash
  BodyContentLength content_;  // for l= (RFC 6376 §8.2)
  bool need_content_ = false;  // some signature to check has l=: count content_
  bool eoh_done_ = false, finished_ = false;
};

}  // namespace alignd
