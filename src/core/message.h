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

}  // namespace alignd
