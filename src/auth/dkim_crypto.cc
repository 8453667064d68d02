// Key records and rsa-sha256 for alignd's own signature checks; see dkim_crypto.h.
#include "auth/dkim_crypto.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "auth/dkim_tags.h"
#include "auth/keygen.h"
#include "core/text.h"

namespace alignd {

namespace {

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

KeyLookup perm(std::string why) {
  KeyLookup k;
  k.outcome = Outcome::PermError;
  k.reason = std::move(why);
  return k;
}

bool valid_name_chars(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_';
    if (!ok) return false;
  }
  return s.front() != '.' && s.find("..") == std::string_view::npos;
}

}  // namespace

KeyLookup parse_key_record(std::string_view record) {
  auto tags = parse_dkim_tags(record);
  std::string k = "rsa", p;
  bool have_p = false;
  for (size_t i = 0; i < tags.size(); ++i) {
    const auto& [name, value] = tags[i];
    if (name == "v") {
      // §3.6.1: if present, v= must be first and "DKIM1".
      if (i != 0 || value != "DKIM1") return perm("key record has a bad v= tag");
    } else if (name == "k") {
      k = to_lower(value);
    } else if (name == "h") {
      bool sha256 = false;
      for (auto h : split(value, ':'))
        if (iequals(trim(h), "sha256")) sha256 = true;
      if (!sha256) return perm("key record h= does not allow sha256");
    } else if (name == "s") {
      bool email = false;
      for (auto s : split(value, ':'))
        if (trim(s) == "*" || iequals(trim(s), "email")) email = true;
      if (!email) return perm("key record s= excludes email");
    } else if (name == "p") {
      p = value;
      have_p = true;
    }
  }
  if (!have_p) return perm("key record has no p= tag");
  if (p.empty()) return perm("key revoked (empty p=)");
  if (k != "rsa") return perm("key type k=" + k + " is not usable for rsa-sha256");
  std::string der;
  if (!base64_decode(p, der)) return perm("key record p= is not base64");
  const unsigned char* in = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* raw = d2i_PUBKEY(nullptr, &in, static_cast<long>(der.size()));
  if (raw == nullptr) {  // some publish a bare PKCS#1 RSAPublicKey
    ERR_clear_error();
    in = reinterpret_cast<const unsigned char*>(der.data());
    raw = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &in, static_cast<long>(der.size()));
  }
  if (raw == nullptr) {
    ERR_clear_error();
    return perm("key record p= is not a public key");
  }
  PublicKey key;
  key.pkey.reset(raw, EVP_PKEY_free);
  if (EVP_PKEY_get_base_id(raw) != EVP_PKEY_RSA) return perm("key record p= is not an RSA key");
  key.key_type = "rsa";
  key.bits = EVP_PKEY_get_bits(raw);
  if (key.bits < 1024)  // RFC 8301 §3.2
    return perm("RSA key of " + std::to_string(key.bits) + " bits (RFC 8301 requires 1024)");
  KeyLookup out;
  out.key = std::move(key);
  return out;
}

KeyLookup lookup_public_key(Resolver& dns, std::string_view selector, std::string_view domain) {
  if (!valid_name_chars(selector) || !valid_name_chars(domain))
    return perm("invalid selector or domain for a key lookup");
  std::string name = std::string(selector) + "._domainkey." + std::string(domain);
  if (name.back() == '.') name.pop_back();
  DnsAnswer a = dns.query(name, RrType::TXT);
  switch (a.status) {
    case DnsStatus::Ok: break;
    case DnsStatus::NxDomain:
    case DnsStatus::NoData:
      return perm("no key at " + name + " (" + std::string(to_string(a.status)) + ")");
    case DnsStatus::TempFail: {
      KeyLookup k;
      k.outcome = Outcome::TempError;
      k.reason = "key lookup " + name + " failed temporarily";
      return k;
    }
    case DnsStatus::PermFail: return perm("key lookup " + name + " failed");
  }
  if (a.records.empty()) return perm("no key at " + name);
  KeyLookup k = parse_key_record(a.records.front());
  if (!k.key) k.reason += " (" + name + ")";
  return k;
}

bool verify_rsa_sha256(const PublicKey& key, std::string_view data, std::string_view signature) {
  if (!key.pkey) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx) return false;
  bool ok = EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.pkey.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                             data.size()) == 1;
  ERR_clear_error();
  return ok;
}

std::optional<std::string> sign_rsa_sha256(evp_pkey_st* pkey, std::string_view data,
                                           std::string& error) {
  if (pkey == nullptr || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
    error = "not an RSA key";
    return std::nullopt;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const unsigned char* in = reinterpret_cast<const unsigned char*>(data.data());
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) != 1) {
    error = openssl_error();
    return std::nullopt;
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                     data.size()) != 1) {
    error = openssl_error();
    return std::nullopt;
  }
  sig.resize(len);
  return sig;
}

}  // namespace alignd
