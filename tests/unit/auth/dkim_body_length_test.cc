// BodyContentLength: canonical length up to the last visible content, any chunking.
#include <catch2/catch.hpp>

#include "auth/dkim_body_length.h"

using alignd::BodyContentLength;

TEST_CASE("canonical content length, simple and relaxed (RFC 6376 §3.4.3-3.4.4)") {
  struct Case {
    const char* body;
    size_t simple, relaxed;
  } cases[] = {
      {"", 0, 0},
      {"\r\n\r\n", 0, 0},
      {"Hi.\r\n", 5, 5},
      {"Hi.\r\n\r\n\r\n", 5, 5},
      {"a  b \t\r\n", 8, 5},         // "a b" + CRLF
      {"  lead\r\n", 8, 7},          // " lead" + CRLF
      {"x\r\n   \r\n\t\r\n", 3, 3},  // whitespace-only lines are not content
      {"x\r\n\r\ny\r\n", 8, 8},
      {"no newline", 12, 12},  // as if CRLF-terminated
      {"bare\rcr\r\n", 9, 9},
      {"spaces at the end   \r\ntab\t\r\n\r\n  \r\n\r\n\r\n", 28, 24},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    std::string body = c.body;
    for (size_t chunk : {1u, 2u, 3u, 1000u}) {
      BodyContentLength n;
      for (size_t i = 0; i < body.size(); i += chunk)
        n.feed(std::string_view(body).substr(i, chunk));
      CHECK(n.content_length(false) == c.simple);
      CHECK(n.content_length(true) == c.relaxed);
    }
  }
}
