// ARC chain validation; see arc_verifier.h. RFC 8617 §5.2.
#include "auth/arc_verifier.h"

#include <map>
#include <optional>
#include <vector>

#include "auth/arc_fields.h"
#include "auth/dkim_canon.h"
#include "auth/dkim_crypto.h"
#include "auth/dkim_signer.h"
#include "auth/keygen.h"
#include "core/arc/aar.h"
#include "core/arc/chain.h"
#include "core/text.h"

namespace alignd {

namespace {

std::optional<unsigned long long> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  unsigned long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned long long>(c - '0');
  }
  return v;
}

// c= of an AMS: RFC 6376 §3.5 default simple/simple.
bool ams_canon(const TagList& tags, bool& header_relaxed, bool& body_relaxed) {
  std::string c = tag_value(tags, "c");
  if (!has_tag(tags, "c")) {
    header_relaxed = body_relaxed = false;
    return true;
  }
  return parse_canonicalization(to_lower(c), header_relaxed, body_relaxed);
}

// Reasons quote tag values a sender wrote: keep them short for the A-R field and logs.
std::string clip(std::string s) {
  constexpr size_t kMax = 160;
  if (s.size() > kMax) s = s.substr(0, kMax) + "...";
  return s;
}

}  // namespace

struct ArcVerifier::Impl {
  Resolver& dns;
  std::time_t now;
  DkimKeyCache* key_cache;
  HeaderList headers;
  std::vector<ArcField> fields;
  ArcStructure structure;
  std::unique_ptr<BodyHashes> own_hashes;  // when no shared BodyHashes was given
  BodyHashes* hashes;                      // own_hashes or the shared one
  // instance → its body hash and l= (RFC 6376 §3.7 step 1)
  std::map<int, std::pair<BodyHashes::Id, std::optional<unsigned long long>>> ams_hash;
  std::map<std::pair<std::string, std::string>, KeyLookup> keys;
  bool finished = false;

  Impl(Resolver& d, std::time_t t, DkimKeyCache* c, BodyHashes* shared)
      : dns(d),
        now(t),
        key_cache(c),
        own_hashes(shared ? nullptr : std::make_unique<BodyHashes>()),
        hashes(shared ? shared : own_hashes.get()) {}

  const HeaderField& field(int instance, ArcFieldKind k) const {
    size_t idx = structure.sets[static_cast<size_t>(instance - 1)][static_cast<size_t>(k)];
    return headers[fields[idx].header_index];
  }
  const TagList& tags(int instance, ArcFieldKind k) const {
    return fields[structure.sets[static_cast<size_t>(instance - 1)][static_cast<size_t>(k)]].tags;
  }

  const KeyLookup& key(const std::string& selector, const std::string& domain) {
    auto k = std::make_pair(to_lower(selector), to_lower(domain));
    auto it = keys.find(k);
    if (it == keys.end())
      it = keys.emplace(k, lookup_public_key(dns, selector, domain, key_cache)).first;
    return it->second;
  }

  // RFC 6376 §6.1.3 with the RFC 8617 §4.1.2 differences.
  bool verify_ams(int i, std::string& why) {
    const TagList& t = tags(i, ArcFieldKind::Ams);
    for (const char* req : {"a", "b", "bh", "d", "h", "s"})
      if (!has_tag(t, req)) {
        why = std::string("no ") + req + "= tag";
        return false;
      }
    if (to_lower(tag_value(t, "a")) != "rsa-sha256") {
      why = "algorithm " + tag_value(t, "a") + " (only rsa-sha256)";
      return false;
    }
    bool hr = false, br = false;
    if (!ams_canon(t, hr, br)) {
      why = "bad c= " + tag_value(t, "c");
      return false;
    }
    std::vector<std::string> h;
    bool from = false;
    const std::string h_tag = tag_value(t, "h");
    for (auto name : split(h_tag, ':')) {
      std::string n(trim(name));
      if (n.empty()) {
        why = "empty name in h=";
        return false;
      }
      if (iequals(n, "from")) from = true;
      if (arc_field_kind(n)) {  // §4.1.2: ARC fields MUST NOT be signed by an AMS
        why = "h= lists " + n;
        return false;
      }
      h.push_back(std::move(n));
    }
    if (!from) {  // RFC 6376 §5.4: From must be signed
      why = "h= does not list From";
      return false;
    }
    if (has_tag(t, "x")) {
      auto x = parse_decimal(tag_value(t, "x"));
      if (!x || static_cast<long long>(*x) < static_cast<long long>(now)) {
        why = "signature expired (x=)";
        return false;
      }
    }
    auto hit = ams_hash.find(i);
    std::optional<std::string> bh;
    if (hit != ams_hash.end()) {
      const BodyHashes::Digest& d = hashes->digest(hit->second.first);
      const auto& limit = hit->second.second;
      if (d.ok && !(limit && d.total < *limit)) bh = d.value;  // else l= longer than the body
    }
    std::string want;
    if (!bh || !base64_decode(tag_value(t, "bh"), want) || want != *bh) {
      why = "body hash mismatch";
      return false;
    }
    const HeaderField& ams = field(i, ArcFieldKind::Ams);
    std::string input = canonical_header_block(headers, h, hr) +
                        canon_header(hr, ams.name, strip_b_value(ams.value));
    return check_signature(t, input, why);
  }

  // RFC 8617 §5.1.1: the sets 1..i, each AAR, AMS, AS, canonicalized relaxed; the AS
  // of instance i last, with b= empty and without its CRLF.
  bool verify_seal(int i, std::string& why) {
    const TagList& t = tags(i, ArcFieldKind::Seal);
    for (const char* req : {"a", "b", "cv", "d", "s"})
      if (!has_tag(t, req)) {
        why = std::string("no ") + req + "= tag";
        return false;
      }
    if (to_lower(tag_value(t, "a")) != "rsa-sha256") {
      why = "algorithm " + tag_value(t, "a") + " (only rsa-sha256)";
      return false;
    }
    std::string input;
    for (int j = 1; j <= i; ++j) {
      for (ArcFieldKind k : {ArcFieldKind::Aar, ArcFieldKind::Ams, ArcFieldKind::Seal}) {
        const HeaderField& f = field(j, k);
        if (j == i && k == ArcFieldKind::Seal) {
          input += canon_header_relaxed(f.name, strip_b_value(f.value));
        } else {
          input += canon_header_relaxed(f.name, f.value);
          input += "\r\n";
        }
      }
    }
    return check_signature(t, input, why);
  }

  bool check_signature(const TagList& t, const std::string& input, std::string& why) {
    std::string sig;
    if (!base64_decode(tag_value(t, "b"), sig) || sig.empty()) {
      why = "b= is not base64";
      return false;
    }
    const KeyLookup& k = key(tag_value(t, "s"), tag_value(t, "d"));
    if (!k.key) {
      why = k.reason;  // TempError too: RFC 8617 §5.2.1, all failures are permanent
      return false;
    }
    if (!verify_rsa_sha256(*k.key, input, sig)) {
      why = "signature did not verify";
      return false;
    }
    return true;
  }
};

ArcVerifier::ArcVerifier(Resolver& dns, std::time_t now, DkimKeyCache* keys, BodyHashes* shared)
    : impl_(std::make_unique<Impl>(dns, now == 0 ? std::time(nullptr) : now, keys, shared)) {}
ArcVerifier::~ArcVerifier() = default;

void ArcVerifier::header(const HeaderField& h) {
  impl_->headers.push_back(h);
}

void ArcVerifier::end_of_headers() {
  Impl& m = *impl_;
  m.fields = read_arc_fields(m.headers);
  std::vector<ArcFieldFacts> facts;
  facts.reserve(m.fields.size());
  for (const auto& f : m.fields) facts.push_back(f.facts);
  m.structure = check_arc_structure(facts);
  if (m.structure.status != Outcome::Pass) return;
  // One body hash per distinct (body canonicalization, l=), newest AMS first; at most
  // kMaxBodyHashes, so 50 AMSs with 50 different l= cannot make us hash the body 50
  // times (an older AMS left without one fails, which only lowers oldest-pass).
  constexpr size_t kMaxBodyHashes = 8;
  std::map<std::pair<bool, std::optional<unsigned long long>>, BodyHashes::Id> seen;
  for (int i = m.structure.max_instance; i >= 1; --i) {
    const TagList& t = m.tags(i, ArcFieldKind::Ams);
    bool hr = false, br = false;
    if (!ams_canon(t, hr, br)) continue;
    std::optional<unsigned long long> limit;
    if (has_tag(t, "l")) {
      limit = parse_decimal(tag_value(t, "l"));
      if (!limit) continue;
    }
    auto key = std::make_pair(br, limit);
    auto it = seen.find(key);
    if (it == seen.end() && seen.size() >= kMaxBodyHashes) continue;
    if (it == seen.end()) it = seen.emplace(key, m.hashes->need(br, limit)).first;
    m.ams_hash[i] = {it->second, limit};
  }
}

void ArcVerifier::body(std::string_view chunk) {
  if (impl_->own_hashes) impl_->own_hashes->feed(chunk);  // a shared one: its owner feeds it
}

ArcResult ArcVerifier::finish() {
  Impl& m = *impl_;
  ArcResult r;
  r.checked = true;
  if (m.finished) return r;
  m.finished = true;
  const ArcStructure& st = m.structure;
  r.max_instance = st.max_instance;
  r.latest_cv_fail = st.latest_cv_fail;
  r.status = st.status;
  r.reason = clip(st.reason);
  if (st.status != Outcome::Pass) return r;
  const int n = st.max_instance;
  for (int i = 1; i <= n; ++i) {
    ArcSetInfo s;
    s.instance = i;
    const TagList& as = m.tags(i, ArcFieldKind::Seal);
    s.seal_domain = normalize_domain(tag_value(as, "d"));
    s.seal_selector = tag_value(as, "s");
    s.cv = to_lower(tag_value(as, "cv"));
    s.ams_domain = normalize_domain(tag_value(m.tags(i, ArcFieldKind::Ams), "d"));
    s.aar = parse_aar(m.field(i, ArcFieldKind::Aar).value);
    r.sets.push_back(std::move(s));
  }
  auto fail = [&](std::string why) {
    r.status = Outcome::Fail;
    r.reason = clip(std::move(why));
    return r;
  };
  // Step 4: the newest AMS.
  std::string why;
  r.sets[static_cast<size_t>(n - 1)].ams_checked = true;
  if (!m.verify_ams(n, why))
    return fail("ARC-Message-Signature i=" + std::to_string(n) + ": " + why);
  r.sets[static_cast<size_t>(n - 1)].ams_pass = true;
  // Step 5: oldest-pass, from N-1 down to the first AMS that fails.
  r.oldest_pass = 0;
  for (int i = n - 1; i >= 1; --i) {
    auto& s = r.sets[static_cast<size_t>(i - 1)];
    s.ams_checked = true;
    if (!m.verify_ams(i, why)) {
      r.oldest_pass = i + 1;
      break;
    }
    s.ams_pass = true;
  }
  // Step 6: every ARC-Seal, newest first.
  for (int i = n; i >= 1; --i) {
    if (!m.verify_seal(i, why)) return fail("ARC-Seal i=" + std::to_string(i) + ": " + why);
    r.sets[static_cast<size_t>(i - 1)].as_pass = true;
  }
  r.status = Outcome::Pass;  // step 7
  return r;
}

ArcResult verify_arc(Resolver& dns, const HeaderList& headers, std::string_view body,
                     std::time_t now) {
  ArcVerifier v(dns, now);
  for (const auto& h : headers) v.header(h);
  v.end_of_headers();
  v.body(body);
  return v.finish();
}

}  // namespace alignd
