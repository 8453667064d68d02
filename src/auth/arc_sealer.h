// Adds an ARC Set to a message alignd passes on (RFC 8617 §5.1): the
// ARC-Authentication-Results (a copy of our Authentication-Results payload),
// ARC-Message-Signature (§4.1.2: like a DKIM-Signature, relaxed/relaxed, h= = our
// DKIM signing list plus every DKIM-Signature, never Authentication-Results or ARC
// fields) and ARC-Seal (§4.1.3, §5.1.1: the sets 1..i, or only our own under
// cv=fail, §5.1.2). rsa-sha256 only. Streams the body like DkimSigner; finish()
// takes the header fields exactly as the message will leave. Leaves out deciding
// whether to seal and with which cv= (Session) and the key itself (keys.h).
#pragma once
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/keys.h"
#include "core/header.h"

namespace alignd {

struct ArcSealRequest {
  int instance = 1;         // 1 + the highest instance on the message (§5.1 step 3)
  std::string cv = "none";  // "none" (i=1) | "pass" | "fail"
  std::string aar_payload;  // "authserv-id; spf=pass ..." (an A-R value, may be folded)
  std::time_t now = 0;      // t=; 0 = the clock
};

class ArcSealer {
 public:
  // `key` must outlive the sealer and be rsa-sha256.
  explicit ArcSealer(const SigningKey& key);
  ~ArcSealer();
  ArcSealer(const ArcSealer&) = delete;
  ArcSealer& operator=(const ArcSealer&) = delete;

  void body(std::string_view chunk);  // CRLF line ends, chunks of any size

  // The three fields to insert at the top, top first: ARC-Seal,
  // ARC-Message-Signature, ARC-Authentication-Results (values start with a space,
  // folded with CRLF + TAB). `headers` = every field of the outgoing message, top
  // first, without the new set. nullopt with `error` set when sealing is impossible.
  std::optional<std::vector<HeaderField>> finish(const HeaderList& headers,
                                                 const ArcSealRequest& req, std::string& error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The AMS h= for a message: the DKIM signing list (dkim_sig_field.h, oversigning
// included) and each DKIM-Signature present (§4.1.2 SHOULD).
std::vector<std::string> arc_signed_headers(const HeaderList& headers);

}  // namespace alignd
