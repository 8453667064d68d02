// Verifies every DKIM-Signature on one message (RFC 6376 §6, RFC 8463 ed25519-sha256,
// RFC 8301 algorithm and key-size rules) while the message streams through: header
// fields as received, then body chunks; the body is never held in memory. The checks
// are alignd's own (dkim_native_verifier.h), keys come from the one key lookup
// (dkim_key_lookup.h) and are decoded once per key record (DkimContext::keys()).
// This layer applies the options: how many signatures are examined, and what a
// passing signature whose l= leaves content unsigned is. Leaves out policy (what a
// failed or partial signature means is DMARC's and the rules' job).
#pragma once
#include <memory>
#include <string_view>
#include <vector>

#include "auth/dkim_context.h"
#include "auth/dkim_native_verifier.h"
#include "auth/dkim_tags.h"  // unique_b_prefixes
#include "core/header.h"
#include "core/results.h"
#include "dns/resolver.h"

namespace alignd {

struct DkimVerifyOptions {
  // At most this many DKIM-Signature fields, the first in header order, are parsed
  // and checked; the rest are counted (ignored_signatures()) and never parsed.
  int max_signatures = 5;
  // RFC 6376 §8.2: a signature whose l= leaves body content unsigned verifies only
  // what the signer wrote. false (default): such a signature that would pass is
  // `policy` (RFC 8601 §2.7.1), so DMARC does not use it; true: it stays `pass`.
  bool partial_body_passes = false;
};

class DkimVerifier {
 public:
  // `ctx` (its key cache) and `dns` (key lookups, <s>._domainkey.<d> TXT, with the
  // message's query budget and deadline) must outlive this object.
  // `shared`: the message's body hashes, fed by the caller (body_hashes.h).
  DkimVerifier(DkimContext& ctx, Resolver& dns, const DkimVerifyOptions& options,
               BodyHashes* shared = nullptr);
  DkimVerifier(DkimContext& ctx, Resolver& dns, int max_signatures);
  DkimVerifier(const DkimVerifier&) = delete;
  DkimVerifier& operator=(const DkimVerifier&) = delete;

  // Each header field in the order received; the value verbatim (core/header.h).
  void header(const HeaderField& h) { impl_.header(h); }
  void end_of_headers() { impl_.end_of_headers(); }
  // The body as it arrives, CRLF line ends, in chunks of any size.
  void body(std::string_view chunk) { impl_.body(chunk); }
  // One result per signature examined, in header order; empty = no signatures.
  // Call once.
  std::vector<DkimResult> finish();

  // After finish(): how many DKIM-Signature fields were parsed and checked.
  int examined_signatures() const { return examined_; }
  // DKIM-Signature fields beyond max_signatures: counted, never parsed.
  int ignored_signatures() const { return static_cast<int>(impl_.ignored_signatures()); }

 private:
  NativeDkimVerifier impl_;
  bool partial_body_passes_ = false;
  int examined_ = 0;
};

}  // namespace alignd
