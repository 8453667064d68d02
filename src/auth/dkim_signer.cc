// DKIM signing over libopendkim; see dkim_signer.h.
#include "auth/dkim_signer.h"

#include "auth/dkim_opendkim.h"
#include "auth/dkim_tags.h"
#include "core/text.h"

namespace alignd {

namespace {
const size_t kHeaderNameLen = sizeof("DKIM-Signature: ") - 1;

// libopendkim folds with bare LF; header values in this program are CRLF-joined.
std::string crlf_fold(const unsigned char* buf, size_t len) {
  std::string out;
  out.reserve(len + 16);
  for (size_t i = 0; i < len; ++i) {
    char c = static_cast<char>(buf[i]);
    if (c == '\n' && (out.empty() || out.back() != '\r')) out.push_back('\r');
    out.push_back(c);
  }
  return out;
}
}  // namespace

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

DkimSigner::DkimSigner(DkimLibrary& lib, std::vector<const SigningKey*> keys,
                       const SignOptions& options) {
  bool hr = true, br = true;
  if (!parse_canonicalization(options.canonicalization, hr, br)) hr = br = true;
  for (const SigningKey* k : keys) {
    if (k == nullptr) continue;
    dkim_alg_t alg;
    if (k->algorithm == "rsa-sha256")
      alg = DKIM_SIGN_RSASHA256;
    else if (k->algorithm == "ed25519-sha256")
      alg = DKIM_SIGN_ED25519SHA256;
    else {
      errors_.push_back(k->selector + "._domainkey." + k->domain + ": unsupported algorithm " +
                        k->algorithm);
      continue;
    }
    DKIM_STAT stat = DKIM_STAT_OK;
    DKIM* d = dkim_sign(lib.handle(), reinterpret_cast<const u_char*>(options.id.c_str()), nullptr,
                        reinterpret_cast<dkim_sigkey_t>(const_cast<char*>(k->private_key.c_str())),
                        reinterpret_cast<const u_char*>(k->selector.c_str()),
                        reinterpret_cast<const u_char*>(k->domain.c_str()),
                        hr ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE,
                        br ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE, alg, -1, &stat);
    if (d == nullptr) {
      errors_.push_back(k->selector + "._domainkey." + k->domain +
                        ": cannot start signing: " + dkim_getresultstr(stat));
      continue;
    }
    // libopendkim 2.11 folds an ed25519 signature field differently when hashing it
    // (b= empty) than when returning it, which only simple header canonicalization
    // notices: such fields stay on one line (< 600 bytes, under RFC 5322's 998).
    if (!hr && alg == DKIM_SIGN_ED25519SHA256) dkim_set_margin(d, 0);
    handles_.push_back({k, d, false});
  }
}

DkimSigner::~DkimSigner() {
  for (auto& h : handles_) dkim_free(h.dkim);
}

void DkimSigner::fail(Handle& h, const std::string& what, int stat) {
  if (h.failed) return;
  h.failed = true;
  const char* detail = dkim_geterror(h.dkim);
  errors_.push_back(h.key->selector + "._domainkey." + h.key->domain + ": " + what + ": " +
                    ((detail && *detail) ? detail : dkim_getresultstr(stat)));
}

void DkimSigner::header(const HeaderField& f) {
  if (eoh_done_) return;
  std::string line;
  line.reserve(f.name.size() + 1 + f.value.size());
  line.append(f.name).push_back(':');
  line.append(f.value);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  for (auto& h : handles_) {
    if (h.failed) continue;
    DKIM_STAT stat = dkim_header(h.dkim, reinterpret_cast<u_char*>(line.data()), line.size());
    if (stat != DKIM_STAT_OK) fail(h, "header field \"" + f.name + "\" refused", stat);
  }
}

void DkimSigner::end_of_headers() {
  if (eoh_done_) return;
  eoh_done_ = true;
  for (auto& h : handles_) {
    if (h.failed) continue;
    DKIM_STAT stat = dkim_eoh(h.dkim);
    if (stat != DKIM_STAT_OK) fail(h, "cannot sign these headers", stat);
  }
}

void DkimSigner::body(std::string_view chunk) {
  if (!eoh_done_) end_of_headers();
  if (chunk.empty()) return;
  for (auto& h : handles_) {
    if (h.failed) continue;
    DKIM_STAT stat =
        dkim_body(h.dkim, reinterpret_cast<u_char*>(const_cast<char*>(chunk.data())), chunk.size());
    if (stat != DKIM_STAT_OK) fail(h, "body", stat);
  }
}

std::vector<std::string> DkimSigner::finish() {
  std::vector<std::string> out;
  if (finished_) return out;
  finished_ = true;
  if (!eoh_done_) end_of_headers();
  for (auto& h : handles_) {
    if (h.failed) continue;
    DKIM_STAT stat = dkim_eom(h.dkim, nullptr);
    if (stat != DKIM_STAT_OK) {
      fail(h, "signing failed", stat);
      continue;
    }
    u_char* buf = nullptr;
    size_t len = 0;
    stat = dkim_getsighdr_d(h.dkim, kHeaderNameLen, &buf, &len);
    if (stat != DKIM_STAT_OK || buf == nullptr) {
      fail(h, "cannot build the signature field", stat);
      continue;
    }
    out.push_back(crlf_fold(buf, len));
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
