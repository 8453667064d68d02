// What our DKIM-Signature fields say and how they look: the header fields we sign
// (h=, with oversigning, RFC 6376 §5.4.1 and §8.15) and the tag list folded with
// CRLF + TAB, b= last (§3.5). Pure. Leaves out hashing and the signature itself
// (dkim_signer.cc) and canonicalization (dkim_canon.h).
#pragma once
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/header.h"

namespace alignd {

// h= for a message: each field present whose name is on our list (From, Sender,
// Reply-To, Subject, Date, Message-ID, To, Cc, MIME-Version, Content-*, In-Reply-To,
// References, Resent-*, List-*), in header order with the name as written; then each
// oversigned name (From, To, Cc, Subject, Date, Reply-To, Message-ID, MIME-Version,
// Content-Type, Content-Transfer-Encoding) once more in lowercase, present or not, so
// nobody can add another such field without breaking the signature.
std::vector<std::string> choose_signed_headers(const HeaderList& headers);
// True for a field name on that list (case-insensitive).
bool is_signed_header_name(std::string_view name);

struct SigFieldTags {
  std::string algorithm;                  // a=: "rsa-sha256" | "ed25519-sha256"
  std::string canonicalization;           // c=: "relaxed/relaxed" etc.
  std::string domain;                     // d=
  std::string selector;                   // s=
  std::time_t timestamp = 0;              // t=
  std::optional<std::time_t> expiration;  // x=
  std::string body_hash;                  // bh=, base64
  std::vector<std::string> headers;       // h=
};

// The field value "v=1; a=…; c=…; d=…; s=…; t=…; [x=…;] bh=…; h=…; b=" ending with
// the empty b= that is hashed (§3.7), folded so that after "DKIM-Signature: " no line
// is wider than 78 columns (a TAB counted as 8) unless one tag value alone is.
std::string signature_field_prefix(const SigFieldTags& tags);

// `prefix` with the base64 signature appended as b=, folded at the same width (the
// folding whitespace inside b= is ignored by verifiers, §3.5 b=).
std::string append_signature(std::string prefix, std::string_view b64);

// The width limit and the name our callers put in front of the value.
inline constexpr size_t kSigFieldWidth = 78;
inline constexpr std::string_view kSigFieldName = "DKIM-Signature: ";

}  // namespace alignd
