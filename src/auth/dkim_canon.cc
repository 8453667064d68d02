// DKIM canonicalization, header fields and streamed body; see dkim_canon.h.
#include "auth/dkim_canon.h"

#include <algorithm>

#include <algorithm>

#include "core/text.h"

namespace alignd {

namespace {

const size_t kFlushAt = 4096;

bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

std::string canon_header_simple(std::string_view name, std::string_view value) {
  std::string out;
  out.reserve(name.size() + 1 + value.size());
  out.append(name).push_back(':');
  out.append(value);
  return out;
}

std::string canon_header_relaxed(std::string_view name, std::string_view value) {
  while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);  // WSP before the colon
  std::string out = to_lower(name);
  out.push_back(':');
  const size_t value_start = out.size();
  bool wsp = false;
  for (char c : value) {
    if (c == '\r' || c == '\n') continue;  // unfold: continuation lines lose their CRLF
    if (is_wsp(c)) {
      wsp = true;
      continue;
    }
    // A WSP run becomes one SP, except at the start of the value (after the colon).
    if (wsp && out.size() > value_start) out.push_back(' ');
    wsp = false;
    out.push_back(c);
  }
  return out;  // a trailing WSP run was never written
}

std::vector<const HeaderField*> select_header_fields(const HeaderList& headers,
                                                     const std::vector<std::string>& h) {
  std::vector<bool> used(headers.size(), false);
  std::vector<const HeaderField*> out;
  out.reserve(h.size());
  auto name_of = [](const HeaderField& f) {  // obsolete syntax allows WSP before the colon
    std::string_view n = f.name;
    while (!n.empty() && is_wsp(n.back())) n.remove_suffix(1);
    return n;
  };
  for (const auto& name : h) {
    const HeaderField* found = nullptr;
    for (size_t i = headers.size(); i-- > 0;) {
      if (used[i] || !iequals(name_of(headers[i]), name)) continue;
      used[i] = true;
      found = &headers[i];
      break;
    }
    out.push_back(found);
  }
  return out;
}

std::string canonical_header_block(const HeaderList& headers, const std::vector<std::string>& h,
                                   bool relaxed) {
  std::string out;
  for (const HeaderField* f : select_header_fields(headers, h)) {
    if (f == nullptr) continue;
    out += canon_header(relaxed, f->name, f->value);
    out += "\r\n";
  }
  return out;
}

BodyCanonicalizer::BodyCanonicalizer(bool relaxed, Sink sink)
    : relaxed_(relaxed), sink_(std::move(sink)) {
  buf_.reserve(kFlushAt + 64);
}

void BodyCanonicalizer::feed(std::string_view chunk) {
  if (finished_) return;
  for (size_t i = 0; i < chunk.size(); ++i) {
    char c = chunk[i];
    if (!pending_cr_ && c != '\r' && !(relaxed_ && is_wsp(c))) {
      // Fast path (issue 12): a run of bytes that byte() would pass through one by
      // one — no CR, and under relaxed no WSP — is written at once.
      size_t j = i + 1;
      if (!relaxed_) {
        j = std::min(chunk.size(), chunk.find('\r', j));
      } else {
        while (j < chunk.size()) {
          const char d = chunk[j];
          if (d == '\r') break;
          if (is_wsp(d)) {
            // One SP between two ordinary bytes is its own canonical form (§3.4.4 a):
            // it stays in the run, so text is not cut at every word.
            if (d == ' ' && j + 1 < chunk.size() && chunk[j + 1] != '\r' && !is_wsp(chunk[j + 1])) {
              j += 2;
              continue;
            }
            break;
          }
          ++j;
        }
      }
      put_run(chunk.substr(i, j - i));
      i = j - 1;
      continue;
    }
    if (pending_cr_) {
      pending_cr_ = false;
      if (c == '\n') {
        end_line();
        continue;
      }
      byte('\r');  // a CR not followed by LF is an ordinary byte
    }
    if (c == '\r')
      pending_cr_ = true;
    else
      byte(c);
  }
  flush();
}

void BodyCanonicalizer::byte(char c) {
  if (!relaxed_) {
    put(c);
    return;
  }
  // RFC 6376 §3.4.4 (a): WSP runs within a line become one SP; WSP at the end of a
  // line goes. So a run is only written when something follows it on the line.
  if (is_wsp(c)) {
    pending_wsp_ = true;
    return;
  }
  if (pending_wsp_) put(' ');
  pending_wsp_ = false;
  put(c);
}

void BodyCanonicalizer::end_line() {
  pending_wsp_ = false;
  ++pending_crlf_;  // written only if content follows (§3.4.3: trailing empty lines go)
}

void BodyCanonicalizer::put(char c) {
  while (pending_crlf_ > 0) {
    buf_ += "\r\n";
    --pending_crlf_;
    if (buf_.size() >= kFlushAt) flush();
  }
  buf_.push_back(c);
  any_content_ = true;
  if (buf_.size() >= kFlushAt) flush();
}

void BodyCanonicalizer::put_run(std::string_view run) {
  // What byte() does for each byte of `run` (none is CR; under relaxed none is WSP):
  // a pending WSP run becomes one SP, held-back line ends are written, then the bytes.
  if (relaxed_ && pending_wsp_) {
    put(' ');
    pending_wsp_ = false;
  }
  while (pending_crlf_ > 0) {
    buf_ += "\r\n";
    --pending_crlf_;
    if (buf_.size() >= kFlushAt) flush();
  }
  any_content_ = true;
  while (!run.empty()) {  // the sink gets pieces of at most kFlushAt bytes
    size_t n = std::min(run.size(), kFlushAt - std::min(kFlushAt, buf_.size()));
    buf_.append(run.substr(0, n));
    run.remove_prefix(n);
    if (buf_.size() >= kFlushAt) flush();
  }
}

void BodyCanonicalizer::flush() {
  if (buf_.empty()) return;
  sink_(buf_);
  buf_.clear();
}

void BodyCanonicalizer::finish() {
  if (finished_) return;
  if (pending_cr_) {
    pending_cr_ = false;
    byte('\r');
  }
  pending_wsp_ = false;  // WSP at the end of the last line goes too
  // The last line with content ends in exactly one CRLF, whether its own line end was
  // held back with the empty lines after it or it had none (§3.4.3, §3.4.4 (b)).
  // Nothing at all: "CRLF" under simple, empty under relaxed.
  if (any_content_ || !relaxed_) buf_ += "\r\n";
  pending_crlf_ = 0;
  flush();
  finished_ = true;
}

std::string canonicalize_body(bool relaxed, std::string_view body) {
  std::string out;
  BodyCanonicalizer c(relaxed, [&out](std::string_view s) { out.append(s); });
  c.feed(body);
  c.finish();
  return out;
}

}  // namespace alignd
