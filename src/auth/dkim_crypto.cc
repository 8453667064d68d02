// Key records and rsa-sha256 for alignd's own signature checks; see dkim_crypto.h.
#include "auth/dkim_crypto.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "auth/dkim_key_lookup.h"
#include "auth/dkim_key_record.h"
#include "core/text.h"

namespace alignd {

namespace {

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

KeyLookup perm(std::string why) {
  KeyLookup k;
  k.outcome = Outcome::PermError;
  k.reason = std::move(why);
  return k;
}

// The input EVP signs or verifies: the data itself (rsa-sha256), or its SHA-256
// hash with no digest of EVP's own (ed25519-sha256, RFC 8463 §3).
struct SignInput {
  const unsigned char* in;
  size_t len;
  const EVP_MD* md;
  unsigned char hash[EVP_MAX_MD_SIZE];
};
bool sign_input(bool ed25519, std::string_view data, SignInput& x) {
  x.in = reinterpret_cast<const unsigned char*>(data.data());
  x.len = data.size();
  x.md = EVP_sha256();
  if (!ed25519) return true;
  unsigned int n = 0;
  if (EVP_Digest(x.in, x.len, x.hash, &n, EVP_sha256(), nullptr) != 1) return false;
  x.in = x.hash;
  x.len = n;
  x.md = nullptr;
  return true;
}

}  // namespace

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

std::optional<std::string> sign_data(EVP_PKEY* key, bool ed25519, std::string_view data,
                                     std::string& error) {
  MdCtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  SignInput x;
  size_t len = 0;
  if (!ctx || !sign_input(ed25519, data, x) ||
      EVP_DigestSignInit(ctx.get(), nullptr, x.md, nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, x.in, x.len) != 1) {
    error = openssl_error();
    return std::nullopt;
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, x.in, x.len) !=
      1) {
    error = openssl_error();
    return std::nullopt;
  }
  sig.resize(len);
  return sig;
}

bool verify_data(EVP_PKEY* key, bool ed25519, std::string_view data, std::string_view sig) {
  MdCtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  SignInput x;
  bool ok = ctx && key && sign_input(ed25519, data, x) &&
            EVP_DigestVerifyInit(ctx.get(), nullptr, x.md, nullptr, key) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()),
                             sig.size(), x.in, x.len) == 1;
  ERR_clear_error();
  return ok;
}

namespace {

// ARC's rule for a decoded key: rsa-sha256 only, at least 1024 bits (RFC 8301 §3.2).
KeyLookup rsa_key(const DkimPublicKey& k) {
  if (!k.pkey) return perm(k.error);
  if (k.type != DkimPublicKey::Type::Rsa)
    return perm("key type k=ed25519 is not usable for rsa-sha256");
  if (k.bits < 1024) return perm(rsa_too_short(k.bits));
  KeyLookup out;
  out.key = PublicKey{k.pkey, "rsa", k.bits};
  return out;
}

}  // namespace

std::string rsa_too_short(int bits) {
  return "RSA key of " + std::to_string(bits) + " bits is too short (RFC 8301 §3.2: at least 1024)";
}

KeyLookup parse_key_record(std::string_view record) {
  return rsa_key(parse_dkim_key_record(record, /*accept_bare_rsa=*/true));
}

KeyLookup lookup_public_key(Resolver& dns, std::string_view selector, std::string_view domain,
                            DkimKeyCache* keys) {
  DkimKeyAnswer a = lookup_dkim_key(dns, keys, selector, domain);
  if (!a.key || !a.key->pkey) {
    KeyLookup k;
    k.outcome = a.outcome;
    k.reason = a.reason;
    if (a.key) k.reason += " (" + a.name + ")";
    return k;
  }
  KeyLookup k = rsa_key(*a.key);
  if (!k.key) k.reason += " (" + a.name + ")";
  return k;
}

bool verify_rsa_sha256(const PublicKey& key, std::string_view data, std::string_view signature) {
  return key.pkey && verify_data(key.pkey.get(), false, data, signature);
}

std::optional<std::string> sign_rsa_sha256(evp_pkey_st* pkey, std::string_view data,
                                           std::string& error) {
  if (pkey == nullptr || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
    error = "not an RSA key";
    return std::nullopt;
  }
  return sign_data(pkey, false, data, error);
}

}  // namespace alignd
