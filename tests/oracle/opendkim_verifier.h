// Test oracle (not in the daemon): alignd's DKIM verifier as it was before issue 12,
// over libopendkim 2.11 — the same interface and results as DkimVerifier, including
// alignd's deliberate departures from plain libopendkim (RFC 8301 rsa-sha1 and key
// size, l= leaving content unsigned is `policy`, a final CRLF added under relaxed).
// tests/unit/auth/dkim_differential_test.cc compares the two verdict by verdict.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/dkim_body_length.h"
#include "auth/dkim_tags.h"
#include "auth/dkim_verifier.h"  // DkimVerifyOptions
#include "core/header.h"
#include "core/results.h"
#include "dns/resolver.h"
#include "oracle/opendkim_library.h"

struct dkim;  // libopendkim's per-message DKIM handle

namespace alignd::oracle {

namespace detail {
struct MessageContext;
}

class OpenDkimVerifier {
 public:
  // `dns` answers the key lookups (<s>._domainkey.<d> TXT) and must outlive this
  // object; at most `max_signatures` signatures are examined, in header order.
  OpenDkimVerifier(OpenDkimLibrary& lib, Resolver& dns, const DkimVerifyOptions& options);
  OpenDkimVerifier(OpenDkimLibrary& lib, Resolver& dns, int max_signatures);
  ~OpenDkimVerifier();
  OpenDkimVerifier(const OpenDkimVerifier&) = delete;
  OpenDkimVerifier& operator=(const OpenDkimVerifier&) = delete;

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

  std::unique_ptr<detail::MessageContext> ctx_;
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

}  // namespace alignd::oracle
