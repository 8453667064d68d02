// DKIM key records and the decoded-key cache; see dkim_key_record.h.
#include "auth/dkim_key_record.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "auth/dkim_tags.h"
#include "auth/keygen.h"
#include "core/text.h"

namespace alignd {

namespace {

DkimPublicKey bad(std::string why) {
  DkimPublicKey k;
  k.error = std::move(why);
  return k;
}

// A colon-separated list (h=, s=, t=) holds `want` (case-insensitive, trimmed).
bool list_has(std::string_view list, std::string_view want) {
  for (auto item : split(list, ':'))
    if (iequals(trim(item), want)) return true;
  return false;
}

}  // namespace

bool valid_key_name_part(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.find("..") != std::string_view::npos)
    return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_';
    if (!ok) return false;
  }
  return true;
}

DkimPublicKey parse_dkim_key_record(std::string_view record, bool accept_bare_rsa) {
  auto tags = parse_dkim_tags(record);
  std::string_view k = "rsa", p;
  bool have_p = false;
  for (size_t i = 0; i < tags.size(); ++i) {
    const auto& [name, value] = tags[i];
    if (name == "v") {  // §3.6.1: if present, first, and exactly DKIM1
      if (i != 0 || value != "DKIM1") return bad("key record v= is not DKIM1 or not first");
    } else if (name == "h") {
      if (!list_has(value, "sha256")) return bad("key record h= does not allow sha256");
    } else if (name == "k") {
      k = value;
    } else if (name == "s") {
      if (!list_has(value, "email") && !list_has(value, "*"))
        return bad("key record s= does not allow email");
    } else if (name == "p") {
      p = value;
      have_p = true;
    }
  }
  if (!have_p) return bad("key record has no p= tag");
  DkimPublicKey out;
  std::string_view t;
  for (const auto& [name, value] : tags)
    if (name == "t") t = value;
  out.testing = list_has(t, "y");
  out.strict_identity = list_has(t, "s");
  if (p.empty()) {  // §3.6.1: an empty p= means the key was revoked
    out.revoked = true;
    out.error = "key revoked (empty p=)";
    return out;
  }
  std::string der;
  if (!base64_decode(p, der)) return bad("key record p= is not base64");
  EVP_PKEY* raw = nullptr;
  if (iequals(k, "rsa")) {
    out.type = DkimPublicKey::Type::Rsa;
    const auto* q = reinterpret_cast<const unsigned char*>(der.data());
    raw = d2i_PUBKEY(nullptr, &q, static_cast<long>(der.size()));
    if (!raw && accept_bare_rsa) {
      ERR_clear_error();
      q = reinterpret_cast<const unsigned char*>(der.data());
      raw = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &q, static_cast<long>(der.size()));
      out.bare_rsa = raw != nullptr;
    }
    if (raw && EVP_PKEY_get_base_id(raw) != EVP_PKEY_RSA) {
      EVP_PKEY_free(raw);
      return bad("key record k=rsa holds a key of another type");
    }
  } else if (iequals(k, "ed25519")) {  // RFC 8463 §4: the raw 32-byte public key
    out.type = DkimPublicKey::Type::Ed25519;
    if (der.size() != 32) return bad("ed25519 key is not 32 bytes");
    raw = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                      reinterpret_cast<const unsigned char*>(der.data()), 32);
  } else {
    return bad("unknown key type k=" + std::string(k));
  }
  if (!raw) {
    ERR_clear_error();
    return bad("key record p= does not hold a valid " + std::string(k) + " key");
  }
  out.pkey.reset(raw, EVP_PKEY_free);
  out.bits = out.type == DkimPublicKey::Type::Ed25519 ? 256 : EVP_PKEY_get_bits(raw);
  return out;
}

std::shared_ptr<const DkimPublicKey> DkimKeyCache::get(std::string_view record) {
  std::string key(record);
  {
    std::lock_guard lock(mu_);
    if (auto it = map_.find(key); it != map_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.pos);
      return it->second.key;
    }
  }
  // Decode outside the lock; two threads decoding the same new record is harmless.
  ++decoded_;
  auto parsed = std::make_shared<const DkimPublicKey>(parse_dkim_key_record(record, true));
  std::lock_guard lock(mu_);
  if (auto it = map_.find(key); it != map_.end()) return it->second.key;
  if (capacity_ == 0) return parsed;
  if (map_.size() >= capacity_) {
    map_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  map_.emplace(std::move(key), Entry{parsed, lru_.begin()});
  return parsed;
}

size_t DkimKeyCache::size() const {
  std::lock_guard lock(mu_);
  return map_.size();
}

}  // namespace alignd
