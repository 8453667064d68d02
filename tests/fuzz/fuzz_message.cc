// Fuzzes parse_message / to_crlf (core/message.h): a message file from anyone.
// Checks: no bare LF survives, and the fields and body put back together give
// exactly the CRLF text (nothing lost, nothing invented).
#include <cstdint>
#include <string>

#include "core/message.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;

namespace {

bool no_bare_lf(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  std::string crlf = to_crlf(raw);
  FUZZ_CHECK(no_bare_lf(crlf));
  FUZZ_CHECK(to_crlf(crlf) == crlf);  // idempotent

  ParsedMessage m = parse_message(raw);
  FUZZ_CHECK(no_bare_lf(m.body));
  std::string fields;
  for (const auto& h : m.headers) {
    FUZZ_CHECK(!h.name.empty());
    for (char c : h.name) FUZZ_CHECK(c > 32 && c < 127 && c != ':');
    FUZZ_CHECK(no_bare_lf(h.value));
    // A folded line continues with WSP (RFC 5322 §2.2.3).
    for (size_t p = h.value.find("\r\n"); p != std::string::npos; p = h.value.find("\r\n", p + 2))
      FUZZ_CHECK(p + 2 < h.value.size() && (h.value[p + 2] == ' ' || h.value[p + 2] == '\t'));
    fields += h.name + ":" + h.value + "\r\n";
  }
  // The header block ended at an empty line, at a line that is not a field (it
  // became the body), or at the end of the input (perhaps without a final CRLF).
  bool whole = crlf == fields + "\r\n" + m.body || crlf == fields + m.body ||
               (m.body.empty() && crlf + "\r\n" == fields);
  FUZZ_CHECK(whole);
  return 0;
}
