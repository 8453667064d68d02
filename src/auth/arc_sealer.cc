// ARC sealing; see arc_sealer.h. RFC 8617 §5.1.
#include "auth/arc_sealer.h"

#include <openssl/evp.h>

#include "auth/arc_fields.h"
#include "auth/dkim_canon.h"
#include "auth/dkim_crypto.h"
#include "auth/dkim_sig_field.h"
#include "auth/keygen.h"
#include "core/arc/chain.h"
#include "core/text.h"

namespace alignd {

namespace {

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
constexpr size_t kWidth = 78, kTab = 8;

// Folds "tag=value;" words after "Name: " at 78 columns with CRLF + TAB.
class Folder {
 public:
  explicit Folder(size_t name_width) : col_(name_width) {}
  void word(std::string_view w) {
    bool first = out_.empty();
    if (!first && col_ + 1 + w.size() > kWidth && col_ > kTab) {
      out_ += "\r\n\t";
      col_ = kTab;
    } else if (!first) {
      out_ += ' ';
      ++col_;
    }
    out_ += w;
    col_ += w.size();
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  size_t col_;
};

std::string field_prefix(std::string_view name, const std::vector<std::string>& tags,
                         const std::vector<std::string>& h) {
  Folder f(name.size() + 2);
  for (const auto& t : tags) f.word(t + ";");
  for (size_t i = 0; i < h.size(); ++i)  // h= breaks after a colon
    f.word((i == 0 ? "h=" : "") + h[i] + (i + 1 < h.size() ? ":" : ";"));
  f.word("b=");
  return f.take();
}

}  // namespace

std::vector<std::string> arc_signed_headers(const HeaderList& headers) {
  std::vector<std::string> h = choose_signed_headers(headers);
  for (const auto& f : headers)
    if (iequals(trim(f.name), "DKIM-Signature")) h.emplace_back("dkim-signature");
  return h;
}

struct ArcSealer::Impl {
  const SigningKey& key;
  MdCtxPtr body_hash{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  bool hash_ok = false;
  bool body_done = false;
  std::string bh;  // base64, once the body is finished
  BodyCanonicalizer canon;

  explicit Impl(const SigningKey& k)
      : key(k), canon(true, [this](std::string_view s) {
          if (hash_ok && EVP_DigestUpdate(body_hash.get(), s.data(), s.size()) != 1)
            hash_ok = false;
        }) {
    hash_ok = body_hash && EVP_DigestInit_ex(body_hash.get(), EVP_sha256(), nullptr) == 1;
  }
};

ArcSealer::ArcSealer(const SigningKey& key) : impl_(std::make_unique<Impl>(key)) {}
ArcSealer::~ArcSealer() = default;

void ArcSealer::body(std::string_view chunk) {
  impl_->canon.feed(chunk);
}

std::optional<std::vector<HeaderField>> ArcSealer::finish(const HeaderList& headers,
                                                          const ArcSealRequest& req,
                                                          std::string& error) {
  Impl& m = *impl_;
  const SigningKey& k = m.key;
  if (k.algorithm != "rsa-sha256") {
    error =
        "ARC sealing needs an RSA key (" + k.domain + "/" + k.selector + " is " + k.algorithm + ")";
    return std::nullopt;
  }
  if (req.instance < 1 || req.instance > kArcMaxInstance) {
    error = "ARC instance " + std::to_string(req.instance) + " is out of range";
    return std::nullopt;
  }
  if (req.cv != "none" && req.cv != "pass" && req.cv != "fail") {
    error = "bad cv=" + req.cv;
    return std::nullopt;
  }
  auto pkey = signing_pkey(k);
  if (!pkey) {
    error = "cannot read the private key " + k.key_file;
    return std::nullopt;
  }
  // The earlier sets, in instance order (§5.1.1), unless the chain failed (§5.1.2).
  std::vector<const HeaderField*> earlier;
  if (req.cv != "fail" && req.instance > 1) {
    auto fields = read_arc_fields(headers);
    std::vector<ArcFieldFacts> facts;
    for (const auto& f : fields) facts.push_back(f.facts);
    ArcStructure st = check_arc_structure(facts);
    if (st.status != Outcome::Pass || st.max_instance != req.instance - 1) {
      error = "the message's ARC chain is not intact (" + st.reason + "); seal it with cv=fail";
      return std::nullopt;
    }
    for (const auto& set : st.sets)
      for (size_t idx : set) earlier.push_back(&headers[fields[idx].header_index]);
  }

  if (!m.body_done) {  // finish() may be called again (with another cv=)
    m.body_done = true;
    m.canon.finish();
    unsigned char bh[EVP_MAX_MD_SIZE];
    unsigned int bh_len = 0;
    if (m.hash_ok && EVP_DigestFinal_ex(m.body_hash.get(), bh, &bh_len) == 1)
      m.bh = base64_encode(std::string_view(reinterpret_cast<char*>(bh), bh_len));
  }
  if (m.bh.empty()) {
    error = "body hash failed";
    return std::nullopt;
  }
  std::time_t now = req.now == 0 ? std::time(nullptr) : req.now;
  std::string inst = "i=" + std::to_string(req.instance);
  std::string t = "t=" + std::to_string(static_cast<long long>(now));

  // §4.1.1 AAR.
  HeaderField aar{"ARC-Authentication-Results",
                  " " + inst + "; " + std::string(trim(req.aar_payload))};

  // §4.1.2 AMS over the outgoing header fields and body.
  std::vector<std::string> h = arc_signed_headers(headers);
  std::string ams_prefix = field_prefix("ARC-Message-Signature",
                                        {inst, "a=rsa-sha256", "c=relaxed/relaxed", "d=" + k.domain,
                                         "s=" + k.selector, t, "bh=" + m.bh},
                                        h);
  std::string input = canonical_header_block(headers, h, true) +
                      canon_header_relaxed("ARC-Message-Signature", " " + ams_prefix);
  auto sig = sign_rsa_sha256(pkey.get(), input, error);
  if (!sig) return std::nullopt;
  HeaderField ams{"ARC-Message-Signature", " " + append_signature(ams_prefix, base64_encode(*sig))};

  // §4.1.3 / §5.1.1 AS over the sets 1..i (or only ours, §5.1.2).
  std::string as_prefix = field_prefix(
      "ARC-Seal", {inst, "a=rsa-sha256", "cv=" + req.cv, "d=" + k.domain, "s=" + k.selector, t},
      {});
  input.clear();
  for (const HeaderField* f : earlier) input += canon_header_relaxed(f->name, f->value) + "\r\n";
  input += canon_header_relaxed(aar.name, aar.value) + "\r\n";
  input += canon_header_relaxed(ams.name, ams.value) + "\r\n";
  input += canon_header_relaxed("ARC-Seal", " " + as_prefix);
  sig = sign_rsa_sha256(pkey.get(), input, error);
  if (!sig) return std::nullopt;
  HeaderField seal{"ARC-Seal", " " + append_signature(as_prefix, base64_encode(*sig))};
  return std::vector<HeaderField>{seal, ams, aar};
}

}  // namespace alignd
