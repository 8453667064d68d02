// Canonical body content length; see dkim_body_length.h.
#include "auth/dkim_body_length.h"

namespace alignd {

void BodyContentLength::feed(std::string_view chunk) {
  for (char c : chunk) {
    if (pending_cr_) {
      pending_cr_ = false;
      if (c == '\n') {
        end_line();
        continue;
      }
      byte('\r');  // a bare CR is an ordinary character
    }
    if (c == '\r')
      pending_cr_ = true;
    else
      byte(c);
  }
}

void BodyContentLength::byte(char c) {
  line_open_ = true;
  ++simple_line_;
  if (c == ' ' || c == '\t') {
    pending_space_ = true;  // RFC 6376 §3.4.4: WSP runs become one SP, trailing WSP goes
    return;
  }
  if (pending_space_) ++relaxed_line_;
  pending_space_ = false;
  ++relaxed_line_;
  line_content_ = true;
}

void BodyContentLength::end_line() {
  simple_.total += simple_line_ + 2;
  relaxed_.total += relaxed_line_ + 2;
  if (line_content_) {
    simple_.content = simple_.total;
    relaxed_.content = relaxed_.total;
  }
  simple_line_ = relaxed_line_ = 0;
  pending_space_ = line_content_ = line_open_ = false;
}

size_t BodyContentLength::content_length(bool relaxed) const {
  // An unterminated last line is canonicalized as if it ended in CRLF.
  BodyContentLength tail = *this;
  if (tail.pending_cr_) {
    tail.pending_cr_ = false;
    tail.byte('\r');
  }
  if (tail.line_open_) tail.end_line();
  return relaxed ? tail.relaxed_.content : tail.simple_.content;
}

}  // namespace alignd
