// DKIM public key records (RFC 6376 §3.6.1, RFC 8463 §4): the TXT record at
// <s>._domainkey.<d> parsed and its key decoded once, and a bounded cache of decoded
// keys keyed by the record text, so that a key seen before costs no base64 or ASN.1
// decoding (OpenSSL 3's decoders are slow: docs/benchmarks.md). Leaves out the DNS
// lookup (the caller's Resolver) and signature verification.
#pragma once
#include <atomic>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace alignd {

struct DkimPublicKey {
  enum class Type { Rsa, Ed25519 };
  Type type = Type::Rsa;
  std::shared_ptr<evp_pkey_st> pkey;  // null when the record failed to parse
  int bits = 0;                       // RSA modulus size; 256 for Ed25519
  bool testing = false;               // t=y (§3.6.1): the signer is testing
  bool strict_identity = false;       // t=s: i= must be d= itself, not a subdomain
  std::string error;                  // why the record is unusable ("" when pkey is set)
  bool revoked = false;               // p= empty (§3.6.1): the key was revoked
  bool bare_rsa = false;              // p= is a PKCS#1 RSAPublicKey, not a SubjectPublicKeyInfo
};

// Parses one key record. Never throws; an unusable record has pkey null and error
// set. Unknown tags are ignored (§3.6.1); v= if present must be first and "DKIM1";
// h= must allow sha256; k= is rsa (default) or ed25519; s= must include email or *.
// An RSA p= is a SubjectPublicKeyInfo; with accept_bare_rsa also a bare PKCS#1
// RSAPublicKey, which some publish (ARC accepts it, as dkimpy does).
DkimPublicKey parse_dkim_key_record(std::string_view record, bool accept_bare_rsa = false);

// A selector or domain we are willing to put into a key query name
// (<s>._domainkey.<d>): letters, digits, '-', '_' and inner dots, at most 253.
bool valid_key_name_part(std::string_view s);

// Decoded keys by record text (accept_bare_rsa: DKIM refuses bare_rsa keys, ARC
// takes them), least recently used dropped beyond `capacity`. Thread-safe; entries
// are immutable and shared.
class DkimKeyCache {
 public:
  explicit DkimKeyCache(size_t capacity = 4096) : capacity_(capacity) {}
  std::shared_ptr<const DkimPublicKey> get(std::string_view record);
  size_t size() const;
  // Records decoded so far (cache misses): each costs base64 + DER decoding.
  size_t decoded() const { return decoded_.load(); }

 private:
  using Lru = std::list<std::string>;
  struct Entry {
    std::shared_ptr<const DkimPublicKey> key;
    Lru::iterator pos;
  };
  size_t capacity_;
  std::atomic<size_t> decoded_{0};
  mutable std::mutex mu_;
  Lru lru_;  // most recently used first
  std::unordered_map<std::string, Entry> map_;
};

}  // namespace alignd
