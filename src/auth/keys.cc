// Signing keys: loading, selection and rotation warnings; see keys.h.
#include "auth/keys.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "auth/keygen.h"
#include "core/text.h"

namespace alignd {

namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

constexpr std::time_t kWarnWindow = 30 * 24 * 3600;

PkeyPtr parse_private_key(const std::string& text) {
  std::string_view t = trim(text);
  if (t.rfind("-----BEGIN", 0) == 0) {
    BioPtr bio(BIO_new_mem_buf(t.data(), static_cast<int>(t.size())), BIO_free);
    if (!bio) return PkeyPtr(nullptr, EVP_PKEY_free);
    return PkeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  }
  // Base64: the 32-byte Ed25519 seed (RFC 8463 §A.1), else DER.
  std::string der;
  if (!base64_decode(t, der)) return PkeyPtr(nullptr, EVP_PKEY_free);
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  if (der.size() == 32)
    return PkeyPtr(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, p, 32), EVP_PKEY_free);
  return PkeyPtr(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())), EVP_PKEY_free);
}

std::string to_pkcs8_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return {};
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string format_day(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

// A domain or selector we put into a key's DNS name; see keys.h.
bool valid_dns_name(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.back() == '.') return false;
  for (auto label : split(s, '.')) {
    if (label.empty() || label.size() > 63) return false;
    for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_'))
        return false;
  }
  return true;
}

KeyError::KeyError(const std::string& f, const std::string& message)
    : std::runtime_error(f + ": " + message), file(f) {}

bool SigningKey::valid_at(std::time_t t) const {
  return (!not_before || t >= *not_before) && (!not_after || t < *not_after);
}

std::optional<std::time_t> parse_key_date(std::string_view s) {
  s = trim(s);
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (s.size() < 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  long long offset = 0;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' ||
        !digits(s, 14, 2, mi) || s.size() < 19 || s[16] != ':' || !digits(s, 17, 2, sec))
      return std::nullopt;
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    size_t p = 19;
    if (p < s.size() && s[p] == '.') {
      ++p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
    }
    std::string_view zone = s.substr(p);
    if (zone == "Z" || zone == "z") {
      offset = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
      int oh, om;
      if (!digits(zone, 1, 2, oh) || !digits(zone, 4, 2, om) || oh > 23 || om > 59)
        return std::nullopt;
      offset = (oh * 3600LL + om * 60LL) * (zone[0] == '+' ? 1 : -1);
    } else {
      return std::nullopt;
    }
  }
  long long t = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400LL +
                h * 3600LL + mi * 60LL + sec - offset;
  return static_cast<std::time_t>(t);
}

std::shared_ptr<EVP_PKEY> signing_pkey(const SigningKey& key) {
  if (key.pkey) return key.pkey;
  PkeyPtr p = parse_private_key(key.private_key);
  return p ? std::shared_ptr<EVP_PKEY>(p.release(), EVP_PKEY_free) : nullptr;
}

SigningKey load_signing_key(const SigningKeyConfig& cfg, bool allow_loose_mode,
                            const std::vector<gid_t>& key_groups) {
  const std::string& file = cfg.key_file;
  std::string who = "key " + cfg.selector + "._domainkey." + cfg.domain;
  if (file.empty()) throw KeyError("(no key_file)", who + ": key_file is empty");
  if (!valid_dns_name(normalize_domain(cfg.domain)))
    throw KeyError(file, "invalid domain \"" + cfg.domain + "\"");
  if (!valid_dns_name(cfg.selector))
    throw KeyError(file, "invalid selector \"" + cfg.selector + "\"");

  struct stat st {};
  // Unreadable for the user we run as: say who we are and what would fix it.
  auto unreadable = [&](int err) {
    return KeyError(file, std::string(std::strerror(err)) + " (reading as uid " +
                              std::to_string(::geteuid()) + ", gid " + std::to_string(::getegid()) +
                              "; the daemon's user must be able to read its keys: e.g. chgrp "
                              "alignd the key and its directory, chmod 0640 the key and 0750 "
                              "the directory, as `alignd keygen` does)");
  };
  if (::stat(file.c_str(), &st) != 0) {
    if (errno == EACCES) throw unreadable(errno);
    throw KeyError(file, std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) throw KeyError(file, "not a regular file");
  bool our_group = std::find(key_groups.begin(), key_groups.end(), st.st_gid) != key_groups.end();
  mode_t loose = our_group ? (st.st_mode & 037) : (st.st_mode & 077);  // group read is ours
  if (loose != 0 && !allow_loose_mode) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw KeyError(file, std::string("private key is accessible by group or others (mode ") + mode +
                             "); chmod 600 it, or 640 with the daemon's group (chgrp alignd), "
                             "or set signing.allow_loose_key_mode = true");
  }
  if (st.st_size > 64 * 1024) throw KeyError(file, "too large for a private key");
  if (::access(file.c_str(), R_OK) != 0 && errno == EACCES) throw unreadable(errno);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw KeyError(file, std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();

  PkeyPtr key = parse_private_key(text);
  if (!key) throw KeyError(file, "not a private key (expected PEM, or a base64 Ed25519 seed)");

  SigningKey k;
  k.domain = normalize_domain(cfg.domain);
  k.selector = cfg.selector;
  k.key_file = file;
  k.include_subdomains = cfg.include_subdomains;
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA:
      k.algorithm = "rsa-sha256";
      k.bits = EVP_PKEY_get_bits(key.get());
      if (k.bits < 1024)
        throw KeyError(file, "RSA key of " + std::to_string(k.bits) +
                                 " bits is too short (RFC 8301 §3.2: at least 1024; use 2048)");
      break;
    case EVP_PKEY_ED25519:
      k.algorithm = "ed25519-sha256";
      k.bits = 256;
      break;
    default: throw KeyError(file, "unsupported key type (DKIM keys are RSA or Ed25519)");
  }
  k.private_key = to_pkcs8_pem(key.get());
  if (k.private_key.empty()) throw KeyError(file, "cannot re-encode the private key");
  k.pkey = std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);

  auto date = [&](const std::string& v, const char* name) -> std::optional<std::time_t> {
    if (trim(v).empty()) return std::nullopt;
    auto t = parse_key_date(v);
    if (!t)
      throw KeyError(file,
                     std::string(name) + " \"" + v + "\" is not a date (YYYY-MM-DD or RFC 3339)");
    return t;
  };
  k.not_before = date(cfg.not_before, "not_before");
  k.not_after = date(cfg.not_after, "not_after");
  if (k.not_before && k.not_after && *k.not_after <= *k.not_before)
    throw KeyError(file, "not_after is not later than not_before");
  return k;
}

std::vector<SigningKey> load_signing_keys(const std::vector<SigningKeyConfig>& cfgs,
                                          bool allow_loose_mode,
                                          const std::vector<gid_t>& key_groups) {
  std::vector<SigningKey> keys;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& c : cfgs) {
    keys.push_back(load_signing_key(c, allow_loose_mode, key_groups));
    const auto& k = keys.back();
    if (!seen.insert({k.domain, to_lower(k.selector)}).second)
      throw KeyError(k.key_file, "selector " + k.selector + " is configured twice for " + k.domain);
  }
  return keys;
}

std::vector<const SigningKey*> select_signing_keys(const std::vector<SigningKey>& keys,
                                                   std::string_view from_domain, std::time_t now) {
  const std::string from = normalize_domain(from_domain);
  // The most specific configured domain that covers the From domain.
  const std::string* best = nullptr;
  for (const auto& k : keys) {
    bool covers = k.domain == from || (k.include_subdomains && domain_at_or_below(from, k.domain));
    if (covers && (best == nullptr || k.domain.size() > best->size())) best = &k.domain;
  }
  if (best == nullptr) return {};
  std::map<std::string, const SigningKey*> per_alg;
  std::vector<std::string> order;  // algorithms in config order
  for (const auto& k : keys) {
    if (k.domain != *best || !k.valid_at(now)) continue;
    auto it = per_alg.find(k.algorithm);
    if (it == per_alg.end()) {
      per_alg[k.algorithm] = &k;
      order.push_back(k.algorithm);
    } else if (k.not_before.value_or(LLONG_MIN) > it->second->not_before.value_or(LLONG_MIN)) {
      it->second = &k;  // a newer key has taken over
    }
  }
  std::vector<const SigningKey*> out;
  for (const auto& a : order) out.push_back(per_alg[a]);
  return out;
}

std::vector<std::string> rotation_warnings(const std::vector<SigningKey>& keys, std::time_t now) {
  std::vector<std::string> warnings;
  std::vector<std::string> domains;
  for (const auto& k : keys)
    if (std::find(domains.begin(), domains.end(), k.domain) == domains.end())
      domains.push_back(k.domain);
  for (const auto& d : domains) {
    // Validity only changes at a key's not_before / not_after, so check those instants.
    std::vector<std::time_t> instants{now, now + kWarnWindow};
    for (const auto& k : keys) {
      if (k.domain != d) continue;
      for (auto t : {k.not_before, k.not_after})
        if (t && *t > now && *t < now + kWarnWindow) instants.push_back(*t);
    }
    std::sort(instants.begin(), instants.end());
    for (auto t : instants) {
      bool any = std::any_of(keys.begin(), keys.end(),
                             [&](const SigningKey& k) { return k.domain == d && k.valid_at(t); });
      if (!any) {
        warnings.push_back("signing domain " + d + " has no valid key " +
                           (t == now ? std::string("now") : "from " + format_day(t)) +
                           " (within 30 days): add a key or extend not_after");
        break;
      }
    }
  }
  return warnings;
}

}  // namespace alignd
