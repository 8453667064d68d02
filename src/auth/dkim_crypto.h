// The public-key half of DKIM-style signatures that alignd checks itself (ARC,
// RFC 8617 §5.2 imports RFC 6376 §5 verification): the key record at
// <selector>._domainkey.<domain> (RFC 6376 §3.6.1, §3.6.2) through the one key lookup
// (dkim_key_lookup.h), RSA keys under 1024 bits refused (RFC 8301 §3.2), and
// rsa-sha256 / ed25519-sha256 signing and verification with OpenSSL EVP. Leaves out
// DKIM-Signature verification (dkim_native_verifier.h) and canonicalization
// (dkim_canon.h).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/dkim_key_record.h"
#include "core/outcome.h"
#include "dns/resolver.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace alignd {

struct PublicKey {
  std::shared_ptr<evp_pkey_st> pkey;
  std::string key_type;  // k=: "rsa" | "ed25519"
  int bits = 0;          // RSA modulus size
};

struct KeyLookup {
  std::optional<PublicKey> key;
  Outcome outcome = Outcome::None;  // None when key is set; TempError / PermError otherwise
  std::string reason;
};

// Parses one DKIM key record (RFC 6376 §3.6.1) for rsa-sha256 (ARC). Errors name
// what is wrong.
KeyLookup parse_key_record(std::string_view record);

// Looks up (dkim_key_lookup.h, decoded through `keys` when given) the key for
// (selector, domain), for rsa-sha256. RSA keys < 1024 bits are PermError.
KeyLookup lookup_public_key(Resolver& dns, std::string_view selector, std::string_view domain,
                            DkimKeyCache* keys = nullptr);

// "RSA key of N bits is too short (RFC 8301 §3.2: at least 1024)": DKIM and ARC alike.
std::string rsa_too_short(int bits);

// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 6376 §3.3.1) over `data`.
bool verify_rsa_sha256(const PublicKey& key, std::string_view data, std::string_view signature);

// rsa-sha256 (RFC 6376 §3.3.1) or ed25519-sha256 (RFC 8463 §3: PureEdDSA over the
// SHA-256 hash of `data`), for DKIM signing and verification and ARC alike.
std::optional<std::string> sign_data(evp_pkey_st* key, bool ed25519, std::string_view data,
                                     std::string& error);
bool verify_data(evp_pkey_st* key, bool ed25519, std::string_view data, std::string_view sig);

// The oldest OpenSSL error of this thread, and the queue emptied.
std::string openssl_error();

// The raw signature over `data`, or nullopt with `error` set. `pkey` must be RSA.
std::optional<std::string> sign_rsa_sha256(evp_pkey_st* pkey, std::string_view data,
                                           std::string& error);

}  // namespace alignd
