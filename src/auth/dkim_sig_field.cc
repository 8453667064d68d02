// The DKIM-Signature fields we write: h= choice and folding; see dkim_sig_field.h.
#include "auth/dkim_sig_field.h"

#include <algorithm>

#include "core/text.h"

namespace alignd {

namespace {

// Header fields we sign when present (RFC 6376 §5.4.1 recommendations).
const char* const kSignHeaders[] = {"from",
                                    "sender",
                                    "reply-to",
                                    "subject",
                                    "date",
                                    "message-id",
                                    "to",
                                    "cc",
                                    "mime-version",
                                    "content-type",
                                    "content-transfer-encoding",
                                    "content-id",
                                    "content-description",
                                    "in-reply-to",
                                    "references",
                                    "resent-date",
                                    "resent-from",
                                    "resent-sender",
                                    "resent-to",
                                    "resent-cc",
                                    "resent-message-id",
                                    "list-id",
                                    "list-help",
                                    "list-unsubscribe",
                                    "list-unsubscribe-post",
                                    "list-subscribe",
                                    "list-post",
                                    "list-owner",
                                    "list-archive"};

// Signed once more than they occur, so none can be added later (RFC 6376 §8.15).
const char* const kOversignHeaders[] = {
    "from",     "to",         "cc",           "subject",      "date",
    "reply-to", "message-id", "mime-version", "content-type", "content-transfer-encoding"};

const size_t kTabWidth = 8;

// A field name without the WSP the obsolete syntax allows before the colon.
std::string_view field_name(std::string_view n) {
  while (!n.empty() && (n.back() == ' ' || n.back() == '\t')) n.remove_suffix(1);
  return n;
}

// Appends words, breaking the line with CRLF + TAB before a word that would pass the
// width limit. `col` is the display column after the last character.
class Folder {
 public:
  explicit Folder(std::string out, size_t col) : out_(std::move(out)), col_(col) {}
  void word(std::string_view w, bool space_before) {
    size_t need = w.size() + (space_before ? 1 : 0);
    if (col_ + need > kSigFieldWidth && col_ > kTabWidth) {
      newline();
    } else if (space_before) {
      out_ += ' ';
      ++col_;
    }
    out_ += w;
    col_ += w.size();
  }
  void newline() {
    out_ += "\r\n\t";
    col_ = kTabWidth;
  }
  // Base64 may break anywhere: fills each line to the limit.
  void base64(std::string_view b) {
    while (!b.empty()) {
      if (col_ >= kSigFieldWidth) newline();
      size_t n = std::min(b.size(), kSigFieldWidth - col_);
      out_.append(b.substr(0, n));
      col_ += n;
      b.remove_prefix(n);
    }
  }
  size_t col() const { return col_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  size_t col_;
};

// The display column at the end of `value` when it follows "DKIM-Signature: ".
size_t end_column(std::string_view value) {
  size_t nl = value.rfind('\n');
  size_t col = nl == std::string_view::npos ? kSigFieldName.size() : 0;
  for (char c : value.substr(nl == std::string_view::npos ? 0 : nl + 1))
    col = c == '\t' ? (col / kTabWidth + 1) * kTabWidth : col + 1;
  return col;
}

}  // namespace

bool is_signed_header_name(std::string_view name) {
  name = field_name(name);
  for (const char* s : kSignHeaders)
    if (iequals(name, s)) return true;
  return false;
}

std::vector<std::string> choose_signed_headers(const HeaderList& headers) {
  std::vector<std::string> h;
  for (const auto& f : headers)
    if (is_signed_header_name(f.name)) h.emplace_back(field_name(f.name));
  for (const char* s : kOversignHeaders) h.emplace_back(s);
  return h;
}

std::string signature_field_prefix(const SigFieldTags& t) {
  Folder f({}, kSigFieldName.size());
  f.word("v=1;", false);
  f.word("a=" + t.algorithm + ";", true);
  f.word("c=" + t.canonicalization + ";", true);
  f.word("d=" + t.domain + ";", true);
  f.word("s=" + t.selector + ";", true);
  f.word("t=" + std::to_string(static_cast<long long>(t.timestamp)) + ";", true);
  if (t.expiration)
    f.word("x=" + std::to_string(static_cast<long long>(*t.expiration)) + ";", true);
  f.word("bh=" + t.body_hash + ";", true);
  // h= breaks after a colon (FWS is allowed there, §3.5 sig-h-tag).
  for (size_t i = 0; i < t.headers.size(); ++i) {
    std::string w = (i == 0 ? "h=" : "") + t.headers[i] + (i + 1 < t.headers.size() ? ":" : ";");
    f.word(w, i == 0);
  }
  if (t.headers.empty()) f.word("h=;", true);
  // b= stays on this line when some of its value fits after it.
  if (f.col() + 3 + 8 > kSigFieldWidth) {
    f.newline();
    f.word("b=", false);
  } else {
    f.word("b=", true);
  }
  return f.take();
}

std::string append_signature(std::string prefix, std::string_view b64) {
  size_t col = end_column(prefix);
  Folder f(std::move(prefix), col);
  f.base64(b64);
  return f.take();
}

}  // namespace alignd
