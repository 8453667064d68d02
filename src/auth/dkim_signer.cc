// DKIM signing with our own canonicalization and OpenSSL EVP; see dkim_signer.h.
// RFC 6376 §5: body hash (§3.7) over the canonical body, then the header hash input
// = the selected header fields + this DKIM-Signature field with an empty b=, signed
// with rsa-sha256 (RSASSA-PKCS1-v1_5 over SHA-256, §3.3.1) or ed25519-sha256 (PureEdDSA
// over the SHA-256 of that input, RFC 8463 §3).
#include "auth/dkim_signer.h"

#include <openssl/evp.h>

#include <ctime>
#include <optional>

#include "auth/dkim_canon.h"
#include "auth/dkim_crypto.h"
#include "auth/dkim_sig_field.h"
#include "auth/dkim_tags.h"
#include "auth/keygen.h"
#include "core/text.h"

namespace alignd {

namespace {

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

}  // namespace

struct DkimSigner::Impl {
  struct Key {
    const SigningKey* key;
    std::shared_ptr<EVP_PKEY> pkey;
    bool ed25519;
  };

  Impl(bool hr, bool br)
      : header_relaxed(hr),
        body_relaxed(br),
        body_hash(EVP_MD_CTX_new(), EVP_MD_CTX_free),
        body(br, [this](std::string_view s) {
          if (hash_ok && EVP_DigestUpdate(body_hash.get(), s.data(), s.size()) != 1)
            hash_ok = false;
        }) {
    hash_ok = body_hash && EVP_DigestInit_ex(body_hash.get(), EVP_sha256(), nullptr) == 1;
  }

  bool header_relaxed, body_relaxed;
  DkimContext::Options lib_options;
  std::string id;
  std::vector<Key> keys;
  HeaderList headers;  // only the fields whose names we sign
  MdCtxPtr body_hash;
  bool hash_ok = false;
  BodyCanonicalizer body;
  bool eoh_done = false;
  bool finished = false;
};

bool parse_canonicalization(std::string_view c, bool& header_relaxed, bool& body_relaxed) {
  auto one = [](std::string_view s, bool& relaxed) {
    s = trim(s);
    if (iequals(s, "relaxed"))
      relaxed = true;
    else if (iequals(s, "simple"))
      relaxed = false;
    else
      return false;
    return true;
  };
  auto slash = c.find('/');
  if (slash == std::string_view::npos) {
    body_relaxed = false;  // RFC 6376 §3.5 c=: body defaults to simple
    return one(c, header_relaxed);
  }
  return one(c.substr(0, slash), header_relaxed) && one(c.substr(slash + 1), body_relaxed);
}

DkimSigner::DkimSigner(DkimContext& ctx, std::vector<const SigningKey*> keys,
                       const SignOptions& options) {
  bool hr = true, br = true;
  if (!parse_canonicalization(options.canonicalization, hr, br)) hr = br = true;
  impl_ = std::make_unique<Impl>(hr, br);
  impl_->lib_options = ctx.options();
  impl_->id = options.id;
  for (const SigningKey* k : keys) {
    if (k == nullptr) continue;
    bool ed25519 = k->algorithm == "ed25519-sha256";
    if (!ed25519 && k->algorithm != "rsa-sha256") {
      fail(*k, "unsupported algorithm " + k->algorithm);
      continue;
    }
    std::shared_ptr<EVP_PKEY> pkey = signing_pkey(*k);
    if (!pkey) {
      fail(*k, "cannot read the private key: " + openssl_error());
      continue;
    }
    int type = EVP_PKEY_get_base_id(pkey.get());
    if (type != (ed25519 ? EVP_PKEY_ED25519 : EVP_PKEY_RSA)) {
      fail(*k, "the private key is not " + k->algorithm);
      continue;
    }
    impl_->keys.push_back({k, std::move(pkey), ed25519});
  }
}

DkimSigner::~DkimSigner() = default;

void DkimSigner::fail(const SigningKey& k, const std::string& what) {
  std::string who = k.selector + "._domainkey." + k.domain;
  if (!impl_->id.empty()) who += " (" + impl_->id + ")";
  errors_.push_back(who + ": " + what);
}

void DkimSigner::header(const HeaderField& f) {
  if (impl_->eoh_done || !is_signed_header_name(f.name)) return;
  HeaderField copy = f;
  while (!copy.value.empty() && (copy.value.back() == '\n' || copy.value.back() == '\r'))
    copy.value.pop_back();
  impl_->headers.push_back(std::move(copy));
}

void DkimSigner::end_of_headers() {
  impl_->eoh_done = true;
}

void DkimSigner::body(std::string_view chunk) {
  if (!impl_->eoh_done) end_of_headers();
  if (impl_->finished || impl_->keys.empty()) return;
  impl_->body.feed(chunk);
}

std::vector<std::string> DkimSigner::finish() {
  std::vector<std::string> out;
  Impl& m = *impl_;
  if (m.finished) return out;
  m.finished = true;
  if (!m.eoh_done) end_of_headers();
  if (m.keys.empty()) return out;

  // RFC 6376 §5.4: From MUST be signed; without one there is nothing to sign for.
  if (select_header_fields(m.headers, {"from"}).front() == nullptr) {
    for (const auto& k : m.keys) fail(*k.key, "cannot sign a message without a From field");
    return out;
  }

  m.body.finish();
  unsigned char bh[EVP_MAX_MD_SIZE];
  unsigned int bh_len = 0;
  if (!m.hash_ok || EVP_DigestFinal_ex(m.body_hash.get(), bh, &bh_len) != 1) {
    std::string why = openssl_error();
    for (const auto& k : m.keys) fail(*k.key, "body hash: " + why);
    return out;
  }

  SigFieldTags tags;
  tags.canonicalization = std::string(m.header_relaxed ? "relaxed" : "simple") + "/" +
                          (m.body_relaxed ? "relaxed" : "simple");
  tags.timestamp = m.lib_options.fixed_time ? *m.lib_options.fixed_time : std::time(nullptr);
  if (m.lib_options.signature_ttl_s > 0)
    tags.expiration = tags.timestamp + m.lib_options.signature_ttl_s;
  tags.body_hash = base64_encode(std::string_view(reinterpret_cast<const char*>(bh), bh_len));
  tags.headers = choose_signed_headers(m.headers);
  const std::string header_block =
      canonical_header_block(m.headers, tags.headers, m.header_relaxed);

  for (const auto& k : m.keys) {
    tags.algorithm = k.key->algorithm;
    tags.domain = k.key->domain;
    tags.selector = k.key->selector;
    std::string prefix = signature_field_prefix(tags);
    // §3.7: the signature field itself comes last, b= empty, without its CRLF; its
    // value as inserted starts with the space after "DKIM-Signature:".
    std::string data =
        header_block + canon_header(m.header_relaxed, "DKIM-Signature", " " + prefix);
    std::string error;
    auto sig = sign_data(k.pkey.get(), k.ed25519, data, error);
    if (!sig) {
      fail(*k.key, "signing failed: " + error);
      continue;
    }
    out.push_back(append_signature(std::move(prefix), base64_encode(*sig)));
  }
  return out;
}

bool already_signed(const HeaderList& headers, std::string_view domain, std::string_view selector) {
  const std::string d = normalize_domain(domain);
  for (const auto& h : headers) {
    if (!is_dkim_signature(h)) continue;
    auto tags = parse_dkim_tags(h.value);
    std::string sd, ss;
    for (const auto& [n, v] : tags) {
      if (n == "d" && sd.empty()) sd = normalize_domain(v);
      if (n == "s" && ss.empty()) ss = v;
    }
    if (sd == d && iequals(ss, selector)) return true;
  }
  return false;
}

}  // namespace alignd
