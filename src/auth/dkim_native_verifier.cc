// Streaming DKIM verification without libopendkim; see dkim_native_verifier.h.
#include "auth/dkim_native_verifier.h"

#include <algorithm>
#include <optional>

#include "auth/dkim_crypto.h"
#include "auth/dkim_key_lookup.h"
#include "auth/dkim_tags.h"
#include "auth/keygen.h"         // base64_encode, base64_decode
#include "core/text.h"

namespace alignd {

struct NativeDkimVerifier::Sig {
  DkimSignature tags;
  const HeaderField* field = nullptr;  // in headers_ (stable: filled before eoh)
  size_t field_index = 0;
  std::optional<BodyHashes::Id> body;  // its (c=, l=) body hash in hashes_
};

NativeDkimVerifier::NativeDkimVerifier(DkimKeyCache& keys, Resolver& dns, int max_signatures,
                                       int64_t now, BodyHashes* shared)
    : keys_(keys),
      dns_(dns),
      max_(static_cast<size_t>(std::max(0, max_signatures))),
      now_(now),
      own_(shared ? nullptr : std::make_unique<BodyHashes>()),
      hashes_(shared ? shared : own_.get()) {}

NativeDkimVerifier::~NativeDkimVerifier() = default;

void NativeDkimVerifier::header(const HeaderField& h) {
  if (eoh_done_) return;
  if (is_dkim_signature(h)) {
    // Count every signature, keep only the first max_ for checking. The rest are
    // neither parsed nor stored (docs/security.md): a signature whose h= names
    // DKIM-Signature then misses them and fails, as it did over libopendkim.
    if (sigs_.size() >= max_) {
      ++ignored_;
      return;
    }
    auto s = std::make_unique<Sig>();
    s->field_index = headers_.size();
    sigs_.push_back(std::move(s));
  }
  headers_.push_back(h);
}

void NativeDkimVerifier::end_of_headers() {
  if (eoh_done_) return;
  eoh_done_ = true;
  for (auto& s : sigs_) {
    s->field = &headers_[s->field_index];
    s->tags = parse_dkim_signature(s->field->value, now_);
    if (s->tags.body_length) need_content_ = true;
    if (s->tags.early != Outcome::None) continue;  // no body hash needed
    // RFC 6376 §3.7 step 1: the c= body canonicalization, cut at l= (sha256 only:
    // rsa-sha1 is an early Fail, RFC 8301 §3.1).
    s->body = hashes_->need(s->tags.body_relaxed, s->tags.body_length);
    any_hash_ = true;
  }
}

void NativeDkimVerifier::body(std::string_view chunk) {
  if (!eoh_done_) end_of_headers();
  if (chunk.empty() || !any_hash_) return;
  if (need_content_) content_.feed(chunk);  // only for l= (a byte-by-byte count)
  if (own_) own_->feed(chunk);              // a shared one is fed by its owner
}

DkimResult NativeDkimVerifier::check(Sig& s) {
  const DkimSignature& t = s.tags;
  DkimResult r;
  r.domain = t.domain;
  r.selector = t.selector;
  r.algorithm = t.algorithm;
  r.identity = t.identity;
  r.has_body_length = t.body_length.has_value() || dkim_tag(s.field->value, "l").has_value();
  if (t.body_length) {
    size_t content = content_.content_length(t.body_relaxed);
    if (content > *t.body_length) {
      r.unsigned_body_content = true;
      r.unsigned_body_bytes = content - static_cast<size_t>(*t.body_length);
    }
  }
  auto done = [&](Outcome o, std::string why) {
    r.result = o;
    r.reason = std::move(why);
    return r;
  };
  if (t.early != Outcome::None) return done(t.early, t.reason);
  const BodyHashes::Digest& bh = hashes_->digest(*s.body);
  if (!bh.ready) return done(Outcome::TempError, "out of memory hashing the body");

  // §6.1.2: the key at <s>._domainkey.<d>, decoded once per record (DkimKeyCache).
  DkimKeyAnswer a = lookup_dkim_key(dns_, &keys_, t.selector, t.domain);
  if (a.outcome != Outcome::None) return done(a.outcome, a.reason);
  const DkimPublicKey& key = *a.key;
  // libopendkim's rule, kept: an RSA p= must be a SubjectPublicKeyInfo (§3.6.1).
  if (key.bare_rsa) return done(Outcome::PermError, "key record p= is not a SubjectPublicKeyInfo");
  const bool ed25519 = t.algorithm == "ed25519-sha256";
  if (ed25519 != (key.type == DkimPublicKey::Type::Ed25519))
    return done(Outcome::PermError, "key type does not match a=" + t.algorithm);
  r.key_bits = key.bits;
  if (!ed25519 && key.bits < 1024) return done(Outcome::Fail, rsa_too_short(key.bits));
  if (key.strict_identity && !t.identity.empty() &&
      normalize_domain(t.identity.substr(t.identity.rfind('@') + 1)) != t.domain)
    return done(Outcome::PermError, "key has t=s but i= is a subdomain of d=");

  // §6.1.3: the body hash first, then the header hash and the signature.
  if (t.body_length && *t.body_length > bh.total)
    return done(Outcome::Fail, "l= is longer than the body");
  if (!bh.ok) return done(Outcome::TempError, "hashing the body failed");
  if (base64_encode(bh.value) != t.bh)
    return done(Outcome::Fail, "body hash did not verify (bh=)");
  std::string data = canonical_header_block(headers_, t.signed_headers, t.header_relaxed);
  data += canon_header(t.header_relaxed, s.field->name, without_b_value(s.field->value));
  std::string sig;
  // A b= that is not base64 cannot verify: fail, as in libopendkim.
  if (!base64_decode(t.b, sig))
    return done(Outcome::Fail, "signature did not verify (b= is not base64)");
  if (!verify_data(key.pkey.get(), ed25519, data, sig))
    return done(Outcome::Fail, "signature did not verify");
  return done(Outcome::Pass, key.testing ? "key is in test mode (t=y)" : "");
}

std::vector<DkimResult> NativeDkimVerifier::finish() {
  if (finished_) return {};
  finished_ = true;
  if (!eoh_done_) end_of_headers();
  hashes_->finish();  // the whole body has been fed (shared: by the caller)
  std::vector<DkimResult> out;
  std::vector<std::string> bs;
  for (auto& s : sigs_) {
    out.push_back(check(*s));
    bs.push_back(s->tags.b.empty() ? dkim_tag(s->field->value, "b").value_or("") : s->tags.b);
  }
  auto prefixes = unique_b_prefixes(bs);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].b_prefix = prefixes[i];
    if (out[i].unsigned_body_content) {
      std::string l = "body has " + std::to_string(out[i].unsigned_body_bytes) +
                      " canonical bytes after the l= limit (RFC 6376 §8.2)";
      out[i].reason = out[i].reason.empty() ? l : out[i].reason + "; " + l;
    }
  }
  return out;
}

}  // namespace alignd
