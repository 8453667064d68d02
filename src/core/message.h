// Splits a whole RFC 5322 message (as read from a file: `alignd eval`, tests,
// the benchmark) into header fields and body, the way an MTA hands them to a
// milter. Bare LF line ends become CRLF. Pure.
#pragma once
#include <string>
#include <string_view>

#include "core/header.h"

namespace alignd {

struct ParsedMessage {
  HeaderList headers;  // HeaderField.value verbatim after the colon, CRLF-joined
  std::string body;    // CRLF line ends
};

std::string to_crlf(std::string_view raw);
// A line in the header block that is neither a field nor a continuation ends
// the headers (it becomes the first body line), as MTAs do.
ParsedMessage parse_message(std::string_view raw);
// The body as SMTP DATA delivers it: a non-empty body always ends in CRLF, the first
// two octets of the <CRLF>.<CRLF> terminator (RFC 5321 §4.1.1.4), so a file that ends
// without a line break gets one. (BDAT can deliver a body without it; the DKIM code
// handles that case itself, RFC 6376 §3.4.3, §3.4.4.)
void end_body_as_smtp_data(ParsedMessage& msg);

}  // namespace alignd
