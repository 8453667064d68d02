// Verifies every DKIM-Signature on one message (RFC 6376 §6, RFC 8463 ed25519-sha256,
// RFC 8301 algorithm and key-size rules) while the message streams through: header
// fields as received, then body chunks; the body is never held in memory. Leaves out
// policy (what a failed or partial signature means is DMARC's and the rules' job).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/dkim_body_length.h"
#include "auth/dkim_library.h"
#include "core/header.h"
#include "core/results.h"
#include "dns/resolver.h"

struct dkim;  // libopendkim's per-message DKIM handle

namespace alignd {

namespace dkim_detail {
struct MessageContext;
}

struct DkimVerifyOptions {
  // At most this many DKIM-Signature fields, the first in header order, reach
  // libopendkim; the rest are counted (ignored_signatures()) and never parsed.
  int max_signatures = 5;
  // RFC 6376 §8.2: a signature whose l= leaves body content unsigned verifies only
  // what the signer wrote. false (default): such a signature that would pass is
  // `policy` (RFC 8601 §2.7.1), so DMARC does not use it; true: it stays `pass`.
  bool partial_body_passes = false;
};

class DkimVerifier {
 public:
  // `dns` answers the key lookups (<s>._domainkey.<d> TXT) and must outlive this
  // object; at most `max_signatures` signatures are examined, in header order.
  DkimVerifier(DkimLibrary& lib, Resolver& dns, const DkimVerifyOptions& options);
  DkimVerifier(DkimLibrary& lib, Resolver& dns, int max_signatures);
  ~DkimVerifier();
  DkimVerifier(const DkimVerifier&) = delete;
  DkimVerifier& operator=(const DkimVerifier&) = delete;

  // Each header field in the order received; the value verbatim (core/header.h).
  void header(const HeaderField& h);
  void end_of_headers();
  // The body as it arrives, CRLF line ends, in chunks of any size.
  void body(std::string_view chunk);
  // One result per signature examined, in header order; empty = no signatures.
  // Call once.
  std::vector<DkimResult> finish();

  // After finish(): how many DKIM-Signature fields libopendkim itself parsed.
  int library_signatures() const { return library_signatures_; }
  // DKIM-Signature fields beyond max_signatures: counted, never parsed.
  int ignored_signatures() const { return ignored_signatures_; }

 private:
  std::vector<DkimResult> fallback_results(Outcome outcome, const std::string& reason) const;

  std::unique_ptr<dkim_detail::MessageContext> ctx_;
  struct dkim* dkim_ = nullptr;
  std::vector<std::string> signature_values_;  // DKIM-Signature values seen, in order
  bool eoh_done_ = false;
  bool finished_ = false;
  BodyContentLength content_;       // for l= (RFC 6376 §8.2)
  bool skip_body_ = false;          // no signature to check: body chunks are dropped
  std::string body_tail_;           // the last two body octets fed (a final CRLF?)
  Outcome broken_ = Outcome::None;  // set when libopendkim gave up on the whole message
  std::string broken_reason_;
  bool partial_body_passes_ = false;
  int library_signatures_ = 0;
  int ignored_signatures_ = 0;
};

// RFC 6008 §4: the shortest prefix of each b= value, at least `min_len` characters,
// that tells the message's signatures apart. Same order as the input.
std::vector<std::string> unique_b_prefixes(const std::vector<std::string>& b_values,
                                           size_t min_len = 8);

}  // namespace alignd
