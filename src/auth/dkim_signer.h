// Signs one outbound message with every selected key (RFC 6376 §5; rsa-sha256 and
// ed25519-sha256, RFC 8463), streaming like DkimVerifier: our own canonicalization
// (dkim_canon.h) and OpenSSL EVP, not libopendkim. The body is hashed as it arrives,
// once for all keys. relaxed/relaxed by default; the signed-header list and the
// oversigned fields are in dkim_sig_field.h; t= is always present and x= when
// DkimContext::Options::signature_ttl_s is set. Leaves out deciding whether to sign
// (select_signing_keys, trust) and inserting the field (the caller prepends
// "DKIM-Signature: " + value).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/dkim_context.h"
#include "auth/keys.h"
#include "core/header.h"

namespace alignd {

struct SignOptions {
  // "header/body" with each "relaxed" or "simple" (RFC 6376 §3.4); "relaxed" alone
  // means relaxed/simple as in c=. Unknown values fall back to relaxed/relaxed.
  std::string canonicalization = "relaxed/relaxed";
  std::string id = "alignd";  // names the message in errors() (queue id)
};

class DkimSigner {
 public:
  // `keys` must outlive the signer. A key that cannot sign is reported in errors().
  // From `ctx` only its options are used (t= clock, x= TTL).
  DkimSigner(DkimContext& ctx, std::vector<const SigningKey*> keys,
             const SignOptions& options = {});
  ~DkimSigner();
  DkimSigner(const DkimSigner&) = delete;
  DkimSigner& operator=(const DkimSigner&) = delete;

  void header(const HeaderField& h);
  void end_of_headers();
  void body(std::string_view chunk);  // CRLF line ends, chunks of any size
  // Each DKIM-Signature field value (without "DKIM-Signature:", folded with CRLF +
  // TAB), in key order, ready to prepend. Keys that failed are left out (errors()).
  // Call once.
  std::vector<std::string> finish();
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  struct Impl;
  void fail(const SigningKey& k, const std::string& what);

  std::unique_ptr<Impl> impl_;
  std::vector<std::string> errors_;
};

// True if `headers` already holds a DKIM-Signature with d=domain and s=selector
// (a message re-injected after a content filter is not signed twice).
bool already_signed(const HeaderList& headers, std::string_view domain, std::string_view selector);

// Parses "relaxed/simple" etc. into (header, body) canonicalizations; false if unknown.
bool parse_canonicalization(std::string_view c, bool& header_relaxed, bool& body_relaxed);

}  // namespace alignd
