// DKIM key generation (OpenSSL EVP: RSA, default 2048 bits, or Ed25519) and the
// public key's DNS TXT record (RFC 6376 §3.6.1, RFC 8463 §4) in zone-file syntax,
// split into character-strings of at most 255 bytes (RFC 1035 §3.3.14).
// Leaves out writing files (cli_keygen.cc does that).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alignd {

enum class KeyType { Rsa, Ed25519 };

struct GeneratedKey {
  KeyType type = KeyType::Rsa;
  int bits = 0;             // RSA modulus size; 256 for Ed25519
  std::string private_pem;  // PKCS#8 PEM, what load_signing_key() reads
  std::string public_b64;   // the p= value
};

// Throws std::runtime_error if OpenSSL fails or `rsa_bits` is outside 1024..4096.
GeneratedKey generate_key(KeyType type, int rsa_bits = 2048);

// p= for a private key in any form load_signing_key() accepts: RSA →
// SubjectPublicKeyInfo DER in base64; Ed25519 → the raw 32-byte key in base64
// (RFC 8463 §4). Returns "" if the text is not a usable private key.
std::string public_key_b64(std::string_view private_key_text);

// The same with the key's type and size (`alignd keygen --record`); nullopt if the
// text is not an RSA or Ed25519 private key.
struct PublicKeyInfo {
  KeyType type = KeyType::Rsa;
  int bits = 0;  // RSA modulus size; 256 for Ed25519
  std::string public_b64;
};
std::optional<PublicKeyInfo> public_key_of(std::string_view private_key_text);

// "v=DKIM1; k=rsa; p=..." / "v=DKIM1; k=ed25519; p=..."
std::string dkim_key_record(KeyType type, std::string_view public_b64);

// Splits a TXT value into ≤max_len-byte pieces.
std::vector<std::string> split_txt(std::string_view value, size_t max_len = 255);

// One master-file line: `<selector>._domainkey.<domain>. <ttl> IN TXT "…" "…"`.
std::string txt_record_line(std::string_view domain, std::string_view selector,
                            std::string_view record, int ttl = 3600);

std::string base64_encode(std::string_view bytes);
// Ignores whitespace; false on any other non-base64 character or bad padding.
bool base64_decode(std::string_view text, std::string& out);

}  // namespace alignd
