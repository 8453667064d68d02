// Test oracle: streaming DKIM verification over libopendkim; see opendkim_verifier.h.
#include "oracle/opendkim_verifier.h"

#include <algorithm>

#include "auth/dkim_tags.h"
#include "core/text.h"
#include "oracle/opendkim_context.h"
#include "oracle/opendkim_h.h"

namespace alignd::oracle {

namespace {

std::string cstr(const unsigned char* s) {
  return s ? reinterpret_cast<const char*>(s) : "";
}

std::string tag_value(DKIM_SIGINFO* sig, const char* name) {
  return cstr(dkim_sig_gettagvalue(sig, false, reinterpret_cast<u_char*>(const_cast<char*>(name))));
}

std::string remove_fws(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out.push_back(c);
  return out;
}

bool is_key_retrieval_error(int err) {
  switch (err) {
    case DKIM_SIGERROR_NOKEY:
    case DKIM_SIGERROR_KEYFAIL:
    case DKIM_SIGERROR_DNSSYNTAX:
    case DKIM_SIGERROR_MULTIREPLY:
    case DKIM_SIGERROR_KEYREVOKED:
    case DKIM_SIGERROR_KEYDECODE:
    case DKIM_SIGERROR_KEYVERSION:
    case DKIM_SIGERROR_KEYUNKNOWNHASH:
    case DKIM_SIGERROR_KEYHASHMISMATCH:
    case DKIM_SIGERROR_NOTEMAILKEY:
    case DKIM_SIGERROR_KEYTYPEMISSING:
    case DKIM_SIGERROR_KEYTYPEUNKNOWN: return true;
    default: return false;
  }
}

// What one signature came to: RFC 6376 §6.1 outcomes in RFC 8601 §2.7.1 terms.
struct Verdict {
  Outcome outcome;
  std::string reason;
};

Verdict judge(DKIM_SIGINFO* sig, const DkimResult& r, const detail::LookupNote* note) {
  // A key we could not fetch because DNS failed is never fail or none.
  if (note && note->outcome == Outcome::TempError) return {Outcome::TempError, note->reason};
  if (r.algorithm == "rsa-sha1")
    return {Outcome::Fail, "rsa-sha1 signatures are not accepted (RFC 8301 §3.1)"};
  const int err = dkim_sig_geterror(sig);
  const bool ok_error = err == DKIM_SIGERROR_OK || err == DKIM_SIGERROR_UNKNOWN;
  if (ok_error && DKIM_SIG_CHECK(sig)) {
    if (r.algorithm == "rsa-sha256" && r.key_bits > 0 && r.key_bits < 1024)
      return {Outcome::Fail, "RSA key of " + std::to_string(r.key_bits) +
                                 " bits is too short (RFC 8301 §3.2: at least 1024)"};
    if (r.algorithm != "rsa-sha256" && r.algorithm != "ed25519-sha256")
      return {Outcome::PermError, "unsupported algorithm " + r.algorithm};
    std::string why;
    if ((dkim_sig_getflags(sig) & DKIM_SIGFLAG_TESTKEY) != 0) why = "key is in test mode (t=y)";
    return {Outcome::Pass, why};
  }
  if (note && note->outcome == Outcome::PermError) return {Outcome::PermError, note->reason};
  switch (err) {
    case DKIM_SIGERROR_BADSIG:
      if (dkim_sig_getbh(sig) == DKIM_SIGBH_MISMATCH)
        return {Outcome::Fail, "body hash did not verify (bh=)"};
      return {Outcome::Fail, "signature did not verify"};
    case DKIM_SIGERROR_EXPIRED: return {Outcome::Fail, "signature expired (x=)"};
    case DKIM_SIGERROR_TOOLARGE_L: return {Outcome::Fail, "l= is longer than the body"};
    case DKIM_SIGERROR_KEYTOOSMALL:
      return {Outcome::Fail, "RSA key of " + std::to_string(r.key_bits) +
                                 " bits is too short (RFC 8301 §3.2: at least 1024)"};
    case DKIM_SIGERROR_MBSFAILED: return {Outcome::Fail, "a required header field is not signed"};
    case DKIM_SIGERROR_KEYFAIL: return {Outcome::TempError, "key lookup failed"};
    case DKIM_SIGERROR_NOKEY: return {Outcome::PermError, "no key for signature"};
    case DKIM_SIGERROR_KEYREVOKED: return {Outcome::PermError, "key revoked (empty p=)"};
    case DKIM_SIGERROR_OK:
    case DKIM_SIGERROR_UNKNOWN:
      // Processed without an error code but not passing: the body hash check never
      // ran or did not match.
      if (dkim_sig_getbh(sig) == DKIM_SIGBH_MISMATCH)
        return {Outcome::Fail, "body hash did not verify (bh=)"};
      return {Outcome::Fail, "signature did not verify"};
    default: {
      const char* s = dkim_sig_geterrorstr(err);
      return {Outcome::PermError, s ? s : "malformed signature"};
    }
  }
}

}  // namespace

OpenDkimVerifier::OpenDkimVerifier(OpenDkimLibrary& lib, Resolver& dns, int max_signatures)
    : OpenDkimVerifier(lib, dns, DkimVerifyOptions{max_signatures, false}) {}

OpenDkimVerifier::OpenDkimVerifier(OpenDkimLibrary& lib, Resolver& dns,
                                   const DkimVerifyOptions& options)
    : ctx_(std::make_unique<detail::MessageContext>()),
      partial_body_passes_(options.partial_body_passes) {
  ctx_->dns = &dns;
  ctx_->max_signatures = std::max(0, options.max_signatures);
  DKIM_STAT stat = DKIM_STAT_OK;
  dkim_ = dkim_verify(lib.handle(), reinterpret_cast<const u_char*>("alignd"), nullptr, &stat);
  if (dkim_ == nullptr) {
    broken_ = Outcome::TempError;
    broken_reason_ = std::string("libopendkim: ") + dkim_getresultstr(stat);
    return;
  }
  dkim_set_user_context(dkim_, ctx_.get());
}

OpenDkimVerifier::~OpenDkimVerifier() {
  if (dkim_ != nullptr) dkim_free(dkim_);
}

void OpenDkimVerifier::header(const HeaderField& h) {
  if (eoh_done_) return;
  if (is_dkim_signature(h)) {
    // libopendkim parses every DKIM-Signature it is handed before its prescreen
    // callback can apply a limit (cost grew faster than linearly with the number of
    // fields): fields beyond the limit are counted here and never reach it. A
    // signature whose h= names DKIM-Signature then misses those fields and fails.
    if (static_cast<int>(signature_values_.size()) >= ctx_->max_signatures) {
      ++ignored_signatures_;
      return;
    }
    signature_values_.push_back(h.value);
  }
  if (dkim_ == nullptr || broken_ != Outcome::None) return;
  std::string line;
  line.reserve(h.name.size() + 1 + h.value.size());
  line.append(h.name).push_back(':');
  line.append(h.value);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  // A field libopendkim refuses is left out; a signature covering it then fails.
  (void)dkim_header(dkim_, reinterpret_cast<u_char*>(line.data()), line.size());
}

void OpenDkimVerifier::end_of_headers() {
  if (eoh_done_) return;
  eoh_done_ = true;
  if (dkim_ == nullptr || broken_ != Outcome::None) return;
  if (signature_values_.empty() || ctx_->max_signatures == 0) {
    skip_body_ = true;  // nothing to verify: no key lookups, no hashing
    return;
  }
  DKIM_STAT stat = dkim_eoh(dkim_);
  switch (stat) {
    case DKIM_STAT_OK: return;
    case DKIM_STAT_NOSIG: skip_body_ = true; return;
    case DKIM_STAT_NORESOURCE:
    case DKIM_STAT_INTERNAL:
    case DKIM_STAT_CBTRYAGAIN: broken_ = Outcome::TempError; break;
    default: broken_ = Outcome::PermError; break;
  }
  const char* err = dkim_geterror(dkim_);
  broken_reason_ = (err && *err) ? err : dkim_getresultstr(stat);
}

void OpenDkimVerifier::body(std::string_view chunk) {
  if (!eoh_done_) end_of_headers();
  if (dkim_ == nullptr || skip_body_ || broken_ != Outcome::None || chunk.empty()) return;
  content_.feed(chunk);
  body_tail_ = (body_tail_ + std::string(chunk.substr(chunk.size() > 2 ? chunk.size() - 2 : 0)));
  body_tail_.erase(0, body_tail_.size() > 2 ? body_tail_.size() - 2 : 0);
  // libopendkim only reads the buffer; its prototype is not const.
  DKIM_STAT stat =
      dkim_body(dkim_, reinterpret_cast<u_char*>(const_cast<char*>(chunk.data())), chunk.size());
  if (stat != DKIM_STAT_OK) {
    broken_ = Outcome::TempError;
    broken_reason_ = std::string("libopendkim body: ") + dkim_getresultstr(stat);
  }
}

std::vector<DkimResult> OpenDkimVerifier::fallback_results(Outcome outcome,
                                                           const std::string& reason) const {
  std::vector<DkimResult> out;
  std::vector<std::string> bs;
  for (const auto& v : signature_values_) {
    if (static_cast<int>(out.size()) >= ctx_->max_signatures) break;
    DkimResult r;
    r.result = outcome;
    r.domain = normalize_domain(dkim_tag(v, "d").value_or(""));
    r.selector = dkim_tag(v, "s").value_or("");
    r.algorithm = to_lower(dkim_tag(v, "a").value_or(""));
    r.identity = dkim_tag(v, "i").value_or("");
    r.has_body_length = dkim_tag(v, "l").has_value();
    r.reason = reason;
    bs.push_back(dkim_tag(v, "b").value_or(""));
    out.push_back(std::move(r));
  }
  auto prefixes = unique_b_prefixes(bs);
  for (size_t i = 0; i < out.size(); ++i) out[i].b_prefix = prefixes[i];
  return out;
}

std::vector<DkimResult> OpenDkimVerifier::finish() {
  if (finished_) return {};
  finished_ = true;
  if (!eoh_done_) end_of_headers();
  if (signature_values_.empty() || ctx_->max_signatures == 0) return {};
  if (broken_ != Outcome::None) return fallback_results(broken_, broken_reason_);
  if (skip_body_) return fallback_results(Outcome::PermError, "signature could not be parsed");

  // RFC 6376 §3.4.3, §3.4.4: a non-empty body without a final CRLF (BDAT, a file) is
  // canonicalized with one added; libopendkim 2.11 adds it only under simple.
  if (!body_tail_.empty() && body_tail_ != "\r\n") body("\r\n");
  if (broken_ != Outcome::None) return fallback_results(broken_, broken_reason_);
  (void)dkim_eom(dkim_, nullptr);  // per-signature outcomes are read below

  DKIM_SIGINFO** sigs = nullptr;
  int nsigs = 0;
  if (dkim_getsiglist(dkim_, &sigs, &nsigs) != DKIM_STAT_OK || sigs == nullptr)
    return fallback_results(Outcome::PermError, "signature could not be parsed");
  library_signatures_ = nsigs;

  std::vector<DkimResult> out;
  std::vector<std::string> bs;
  for (int i = 0; i < nsigs; ++i) {
    DKIM_SIGINFO* sig = sigs[i];
    if ((dkim_sig_getflags(sig) & DKIM_SIGFLAG_IGNORE) != 0) continue;  // beyond the limit
    DkimResult r;
    r.domain = normalize_domain(cstr(dkim_sig_getdomain(sig)));
    r.selector = cstr(dkim_sig_getselector(sig));
    r.algorithm = to_lower(remove_fws(tag_value(sig, "a")));
    r.identity = remove_fws(tag_value(sig, "i"));
    bs.push_back(remove_fws(tag_value(sig, "b")));

    unsigned int bits = 0;
    const int err = dkim_sig_geterror(sig);
    if (r.algorithm == "ed25519-sha256") {
      if ((dkim_sig_getflags(sig) & DKIM_SIGFLAG_PROCESSED) != 0 && !is_key_retrieval_error(err))
        r.key_bits = 256;
    } else if (dkim_sig_getkeysize(sig, &bits) == DKIM_STAT_OK) {
      r.key_bits = static_cast<int>(bits);
    }

    ssize_t msglen = -1, canonlen = -1, signlen = -1;
    size_t after_limit = 0;
    if (dkim_sig_getcanonlen(dkim_, sig, &msglen, &canonlen, &signlen) == DKIM_STAT_OK &&
        signlen >= 0) {
      r.has_body_length = true;
      dkim_canon_t hc = DKIM_CANON_UNKNOWN, bc = DKIM_CANON_UNKNOWN;
      dkim_sig_getcanons(sig, &hc, &bc);
      size_t content = content_.content_length(bc == DKIM_CANON_RELAXED);
      if (content > static_cast<size_t>(signlen)) {
        r.unsigned_body_content = true;
        after_limit = content - static_cast<size_t>(signlen);
        r.unsigned_body_bytes = after_limit;
      }
    } else if (!tag_value(sig, "l").empty()) {
      r.has_body_length = true;
    }

    auto it = ctx_->notes.find(sig);
    Verdict v = judge(sig, r, it == ctx_->notes.end() ? nullptr : &it->second);
    r.result = v.outcome;
    r.reason = v.reason;
    if (r.unsigned_body_content) {
      std::string l = "body has " + std::to_string(after_limit) +
                      " canonical bytes after the l= limit (RFC 6376 §8.2)";
      // RFC 6376 §8.2: content appended after the signed length is not the
      // signer's. Such a signature is `policy` (RFC 8601 §2.7.1: signed, but not
      // acceptable to this ADMD), which A-R consumers and DMARC read as not pass.
      if (r.result == Outcome::Pass && !partial_body_passes_) {
        r.result = Outcome::Policy;
        l += "; not used for DMARC";
      }
      r.reason = r.reason.empty() ? l : r.reason + "; " + l;
    }
    out.push_back(std::move(r));
  }
  auto prefixes = unique_b_prefixes(bs);
  for (size_t i = 0; i < out.size(); ++i) out[i].b_prefix = prefixes[i];
  return out;
}

}  // namespace alignd::oracle
