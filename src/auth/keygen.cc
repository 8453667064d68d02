// DKIM key generation and TXT record formatting; see keygen.h.
#include "auth/keygen.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

#include "core/text.h"

namespace alignd {

namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CtxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string pem_of(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw std::runtime_error("cannot encode the private key");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string public_of(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519) {
    unsigned char raw[32];
    size_t len = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1 || len != 32) return {};
    return base64_encode(std::string_view(reinterpret_cast<char*>(raw), len));
  }
  int n = i2d_PUBKEY(key, nullptr);
  if (n <= 0) return {};
  std::string der(static_cast<size_t>(n), '\0');
  auto* p = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_PUBKEY(key, &p) != n) return {};
  return base64_encode(der);
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool base64_decode(std::string_view text, std::string& out) {
  out.clear();
  unsigned v = 0;
  int n = 0, pad = 0;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    int d;
    if (c >= 'A' && c <= 'Z')
      d = c - 'A';
    else if (c >= 'a' && c <= 'z')
      d = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      d = c - '0' + 52;
    else if (c == '+')
      d = 62;
    else if (c == '/')
      d = 63;
    else if (c == '=') {
      ++pad;
      d = 0;
    } else
      return false;
    if (pad > 0 && c != '=') return false;  // data after padding
    v = (v << 6) | static_cast<unsigned>(d);
    if (++n == 4) {
      out += static_cast<char>((v >> 16) & 0xff);
      if (pad < 2) out += static_cast<char>((v >> 8) & 0xff);
      if (pad < 1) out += static_cast<char>(v & 0xff);
      v = 0;
      n = 0;
    }
  }
  return n == 0 && pad <= 2 && !out.empty();
}

GeneratedKey generate_key(KeyType type, int rsa_bits) {
  GeneratedKey g;
  g.type = type;
  CtxPtr ctx(EVP_PKEY_CTX_new_id(type == KeyType::Rsa ? EVP_PKEY_RSA : EVP_PKEY_ED25519, nullptr),
             EVP_PKEY_CTX_free);
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1)
    throw std::runtime_error("OpenSSL: cannot start key generation");
  if (type == KeyType::Rsa) {
    if (rsa_bits < 1024 || rsa_bits > 4096)
      throw std::runtime_error("RSA key size must be 1024..4096 bits (2048 recommended)");
    if (EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), rsa_bits) != 1)
      throw std::runtime_error("OpenSSL: cannot set the RSA key size");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_keygen(ctx.get(), &raw) != 1 || raw == nullptr)
    throw std::runtime_error("OpenSSL: key generation failed");
  PkeyPtr key(raw, EVP_PKEY_free);
  g.bits = type == KeyType::Rsa ? EVP_PKEY_get_bits(key.get()) : 256;
  g.private_pem = pem_of(key.get());
  g.public_b64 = public_of(key.get());
  if (g.public_b64.empty()) throw std::runtime_error("OpenSSL: cannot encode the public key");
  return g;
}

std::optional<PublicKeyInfo> public_key_of(std::string_view private_key_text) {
  std::string_view t = trim(private_key_text);
  EVP_PKEY* raw = nullptr;
  if (t.rfind("-----BEGIN", 0) == 0) {
    BioPtr bio(BIO_new_mem_buf(t.data(), static_cast<int>(t.size())), BIO_free);
    if (bio) raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  } else {
    std::string der;
    if (base64_decode(t, der)) {
      const auto* p = reinterpret_cast<const unsigned char*>(der.data());
      raw = der.size() == 32 ? EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, p, 32)
                             : d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size()));
    }
  }
  if (raw == nullptr) return std::nullopt;
  PkeyPtr key(raw, EVP_PKEY_free);
  int id = EVP_PKEY_get_base_id(key.get());
  if (id != EVP_PKEY_RSA && id != EVP_PKEY_ED25519) return std::nullopt;
  PublicKeyInfo pk;
  pk.type = id == EVP_PKEY_RSA ? KeyType::Rsa : KeyType::Ed25519;
  pk.bits = id == EVP_PKEY_RSA ? EVP_PKEY_get_bits(key.get()) : 256;
  pk.public_b64 = public_of(key.get());
  if (pk.public_b64.empty()) return std::nullopt;
  return pk;
}

std::string public_key_b64(std::string_view private_key_text) {
  auto pk = public_key_of(private_key_text);
  return pk ? pk->public_b64 : std::string();
}

std::string dkim_key_record(KeyType type, std::string_view public_b64) {
  return std::string("v=DKIM1; k=") + (type == KeyType::Rsa ? "rsa" : "ed25519") +
         "; p=" + std::string(public_b64);
}

std::vector<std::string> split_txt(std::string_view value, size_t max_len) {
  std::vector<std::string> parts;
  if (max_len == 0) max_len = 255;
  for (size_t i = 0; i < value.size(); i += max_len) parts.emplace_back(value.substr(i, max_len));
  if (parts.empty()) parts.emplace_back();
  return parts;
}

std::string txt_record_line(std::string_view domain, std::string_view selector,
                            std::string_view record, int ttl) {
  std::string line = std::string(selector) + "._domainkey." + normalize_domain(domain) + ". " +
                     std::to_string(ttl) + " IN TXT";
  // Key records hold no '"' or '\\' (RFC 6376 §3.6.1 tags are base64 and tokens),
  // so no escaping is needed.
  for (const auto& part : split_txt(record)) line += " \"" + part + "\"";
  return line;
}

}  // namespace alignd
