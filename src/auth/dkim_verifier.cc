// Streaming DKIM verification with the verifier options applied; see dkim_verifier.h.
#include "auth/dkim_verifier.h"

#include <ctime>

namespace alignd {

DkimVerifier::DkimVerifier(DkimContext& ctx, Resolver& dns, int max_signatures)
    : DkimVerifier(ctx, dns, DkimVerifyOptions{max_signatures, false}) {}

DkimVerifier::DkimVerifier(DkimContext& ctx, Resolver& dns, const DkimVerifyOptions& options,
                           BodyHashes* shared)
    : impl_(ctx.keys(), dns, options.max_signatures, std::time(nullptr), shared),
      partial_body_passes_(options.partial_body_passes) {}

std::vector<DkimResult> DkimVerifier::finish() {
  std::vector<DkimResult> out = impl_.finish();
  examined_ = static_cast<int>(out.size());
  for (auto& r : out) {
    // RFC 6376 §8.2: content appended after the signed length is not the signer's.
    // Such a signature is `policy` (RFC 8601 §2.7.1: signed, but not acceptable to
    // this ADMD), which A-R consumers and DMARC read as not pass. The reason already
    // says how many bytes (NativeDkimVerifier::finish).
    if (r.unsigned_body_content && r.result == Outcome::Pass && !partial_body_passes_) {
      r.result = Outcome::Policy;
      r.reason += "; not used for DMARC";
    }
  }
  return out;
}

}  // namespace alignd
