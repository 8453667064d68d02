// DKIM signing keys: loading [[signing.keys]] entries (key file checks at start and
// reload), choosing the keys that sign a message (domain, subdomains, not_before /
// not_after rotation), and warnings for domains about to run out of keys.
// Leaves out key generation (keygen.h) and the signing itself (dkim_signer.h).
#pragma once
#include <sys/types.h>
#include <ctime>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "app/config.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace alignd {

// A key file that cannot be used; what() names the file and says why.
struct KeyError : std::runtime_error {
  KeyError(const std::string& file, const std::string& message);
  std::string file;
};

struct SigningKey {
  std::string domain;    // d=, lowercase, no trailing dot
  std::string selector;  // s=
  std::string key_file;
  std::string algorithm;  // "rsa-sha256" | "ed25519-sha256" (from the key itself)
  // PEM, PKCS#8 ("-----BEGIN PRIVATE KEY-----"), for RSA and Ed25519 alike: what
  // DkimSigner reads with PEM_read_bio_PrivateKey().
  std::string private_key;
  // The same key parsed once by load_signing_key(), shared read-only by every signer
  // (OpenSSL allows concurrent signing with one EVP_PKEY). When null, DkimSigner
  // parses private_key for each message.
  std::shared_ptr<evp_pkey_st> pkey;
  int bits = 0;                                      // RSA modulus size; 256 for Ed25519
  std::optional<std::time_t> not_before, not_after;  // valid in [not_before, not_after)
  bool include_subdomains = false;

  bool valid_at(std::time_t t) const;
};

// Reads and checks one key entry. The key file may hold a PEM private key (PKCS#1
// "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY", RSA or Ed25519) or, for Ed25519, the
// 32-byte seed in base64 (RFC 8463 §A.1, dkimpy's format). Throws KeyError for a
// file that is unreadable, unparsable, an RSA key under 1024 bits (RFC 8301 §3.2),
// or accessible by group or others (unless allow_loose_mode), and for bad dates.
// Group read (mode 0640, never group write) is accepted when the file's group is
// one of key_groups: the daemon's own group (`alignd keygen` writes root:alignd 0640).
SigningKey load_signing_key(const SigningKeyConfig& cfg, bool allow_loose_mode,
                            const std::vector<gid_t>& key_groups = {});
// The key's parsed EVP_PKEY: `pkey` when load_signing_key() set it, else parsed
// from private_key now (null if it does not parse). For DKIM signing and ARC sealing.
std::shared_ptr<evp_pkey_st> signing_pkey(const SigningKey& key);

std::vector<SigningKey> load_signing_keys(const std::vector<SigningKeyConfig>& cfgs,
                                          bool allow_loose_mode,
                                          const std::vector<gid_t>& key_groups = {});

// A domain (without trailing dot) or selector usable in <selector>._domainkey.<domain>:
// at most 253 characters, dot-separated labels of 1..63 letters, digits, '-' or '_'.
// Used for [[signing.keys]] and `alignd keygen`.
bool valid_dns_name(std::string_view s);

// "YYYY-MM-DD" (00:00 UTC) or RFC 3339 "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)".
std::optional<std::time_t> parse_key_date(std::string_view s);

// The keys that sign mail whose From domain is `from_domain` at time `now`: keys for
// the most specific configured domain equal to it (or a parent with
// include_subdomains), valid at `now`; for each algorithm, the valid key whose
// not_before is latest (a newer key takes over on its date). RSA + Ed25519 keys for
// one domain both sign (RFC 8463 §4 dual signing).
std::vector<const SigningKey*> select_signing_keys(const std::vector<SigningKey>& keys,
                                                   std::string_view from_domain, std::time_t now);

// One line per domain that has no valid key at some moment in the next 30 days
// (or already now).
std::vector<std::string> rotation_warnings(const std::vector<SigningKey>& keys, std::time_t now);

}  // namespace alignd
