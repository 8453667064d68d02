// Shared per-message body hashes; see body_hashes.h. RFC 6376 §3.7 hash step 1.
#include "auth/body_hashes.h"

#include <openssl/evp.h>

#include <algorithm>

#include "auth/dkim_canon.h"

namespace alignd {

struct BodyHashes::Entry {
  bool relaxed = false;
  std::optional<uint64_t> limit;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{nullptr, EVP_MD_CTX_free};
  uint64_t hashed = 0;
  Digest out;

  void take(std::string_view s) {
    out.total += s.size();
    if (limit) {
      if (hashed >= *limit) return;
      if (s.size() > *limit - hashed) s = s.substr(0, static_cast<size_t>(*limit - hashed));
    }
    if (s.empty()) return;
    hashed += s.size();
    if (out.ok && EVP_DigestUpdate(ctx.get(), s.data(), s.size()) != 1) out.ok = false;
  }
};

// One canonicalizer feeding every entry of its body canonicalization.
struct BodyHashes::Canon {
  std::vector<Entry*> entries;
  BodyCanonicalizer canon;
  explicit Canon(bool relaxed)
      : canon(relaxed, [this](std::string_view s) {
          for (Entry* e : entries) e->take(s);
        }) {}
};

BodyHashes::BodyHashes() = default;
BodyHashes::~BodyHashes() = default;

BodyHashes::Id BodyHashes::need(bool relaxed, std::optional<uint64_t> limit) {
  for (size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i]->relaxed == relaxed && entries_[i]->limit == limit) return i;
  auto e = std::make_unique<Entry>();
  e->relaxed = relaxed;
  e->limit = limit;
  e->ctx.reset(EVP_MD_CTX_new());
  // A need registered after the body started would hash part of it: never ok.
  e->out.ready =
      !fed_ && !finished_ && e->ctx && EVP_DigestInit_ex(e->ctx.get(), EVP_sha256(), nullptr) == 1;
  e->out.ok = e->out.ready;
  auto& c = relaxed ? relaxed_ : simple_;
  if (!c) c = std::make_unique<Canon>(relaxed);
  c->entries.push_back(e.get());
  entries_.push_back(std::move(e));
  return entries_.size() - 1;
}

void BodyHashes::feed(std::string_view chunk) {
  if (finished_ || chunk.empty()) return;
  fed_ = true;  // from here on a new need would miss bytes
  if (entries_.empty()) return;
  if (simple_) simple_->canon.feed(chunk);
  if (relaxed_) relaxed_->canon.feed(chunk);
}

void BodyHashes::finish() {
  if (finished_) return;
  finished_ = true;
  if (simple_) simple_->canon.finish();
  if (relaxed_) relaxed_->canon.finish();
  for (auto& e : entries_) {
    if (!e->out.ok) continue;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(e->ctx.get(), md, &len) != 1) {
      e->out.ok = false;
      continue;
    }
    e->out.value.assign(reinterpret_cast<const char*>(md), len);
  }
}

const BodyHashes::Digest& BodyHashes::digest(Id id) {
  finish();
  return entries_.at(id)->out;
}

size_t BodyHashes::canonicalizers() const {
  return (simple_ ? 1 : 0) + (relaxed_ ? 1 : 0);
}

}  // namespace alignd
