// One DKIM-Signature field read for verification (RFC 6376 §3.5, §6.1.1): the tags
// a verifier needs, checked for the errors that make a signature unusable
// (PermError) before any key lookup. Also the field with its b= value emptied,
// which the signature covers (§3.7). Pure: no DNS, no crypto.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/outcome.h"

namespace alignd {

struct DkimSignature {
  std::string domain;     // d=, lowercase, no trailing dot
  std::string selector;   // s=
  std::string algorithm;  // a=, lowercase
  std::string identity;   // i=, "" if absent
  std::string b;          // b=, base64 without FWS
  std::string bh;         // bh=, base64 without FWS
  std::vector<std::string> signed_headers;  // h=, in order, as written
  bool header_relaxed = false;              // c= (§3.5: default simple/simple)
  bool body_relaxed = false;
  std::optional<uint64_t> body_length;  // l=
  std::optional<int64_t> timestamp;     // t=
  std::optional<int64_t> expiry;        // x=
  // Unusable before any key lookup: PermError (syntax, §6.1.1) or Fail (rsa-sha1,
  // RFC 8301 §3.1). None = go on and verify.
  Outcome early = Outcome::None;
  std::string reason;
};

// Seconds of clock difference allowed for x= and t= (libopendkim's default).
inline constexpr int64_t kDkimClockDrift = 300;

// `value` is the field value as received (everything after the colon). `now` is
// for x= (§3.5: a signature past its expiry, by more than kDkimClockDrift, is not
// valid) and t= (§3.5: verifiers MAY ignore a signature from the future; one more
// than kDkimClockDrift ahead is PermError, as in libopendkim).
DkimSignature parse_dkim_signature(std::string_view value, int64_t now);

// The field value with the b= tag's value removed (§3.5, §3.7: "as though it were
// an empty string"), everything else byte for byte.
std::string without_b_value(std::string_view value);

}  // namespace alignd
