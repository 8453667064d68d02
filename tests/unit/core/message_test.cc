// Tests for core/message.h.
#include <catch2/catch.hpp>

#include "core/message.h"

using namespace alignd;

TEST_CASE("splits headers and body, LF becomes CRLF, folding kept verbatim") {
  auto m = parse_message("From: a@example.com\nSubject: hello\n  world\n\nbody line\n");
  REQUIRE(m.headers.size() == 2);
  CHECK(m.headers[0].name == "From");
  CHECK(m.headers[0].value == " a@example.com");
  CHECK(m.headers[1].value == " hello\r\n  world");
  CHECK(m.body == "body line\r\n");
}

TEST_CASE("edge cases") {
  CHECK(parse_message("").headers.empty());
  auto no_body = parse_message("A: b\r\n");
  CHECK(no_body.headers.size() == 1);
  CHECK(no_body.body.empty());
  auto junk = parse_message("A: b\nnot a header\nmore\n");
  CHECK(junk.headers.size() == 1);
  CHECK(junk.body == "not a header\r\nmore\r\n");
  auto colon_first = parse_message(": x\n\nb");
  CHECK(colon_first.headers.empty());
  // obs-optional (RFC 5322 §4.5.8): blanks before the colon, as Postfix hands it
  // to the milter; a name with a blank inside is still not a field.
  auto obs = parse_message("From : a@example.com\nSubject\t: hi\nTo x: y\n\nb");
  REQUIRE(obs.headers.size() == 2);
  CHECK(obs.headers[0].name == "From");
  CHECK(obs.headers[0].value == " a@example.com");
  CHECK(obs.headers[1].name == "Subject");
  CHECK(obs.body == "To x: y\r\n\r\nb");
  CHECK(parse_message(" : x\n").headers.empty());
  auto empty_value = parse_message("X-Empty:\n\n");
  REQUIRE(empty_value.headers.size() == 1);
  CHECK(empty_value.headers[0].value.empty());
}

TEST_CASE("end_body_as_smtp_data: a non-empty body ends in CRLF (RFC 5321 §4.1.1.4)") {
  struct Case {
    const char* raw;
    const char* body;
  };
  const Case cases[] = {
      {"A: b\r\n\r\nno newline", "no newline\r\n"},
      {"A: b\n\nno newline", "no newline\r\n"},
      {"A: b\r\n\r\nline\r\n", "line\r\n"},
      {"A: b\r\n\r\nline\r\n\r\n", "line\r\n\r\n"},
      {"A: b\r\n\r\n", ""},
      {"A: b\r\n", ""},
      {"A: b\r\n\r\nends in CR\r", "ends in CR\r\r\n"},
  };
  for (const auto& c : cases) {
    INFO(c.raw);
    ParsedMessage m = parse_message(c.raw);
    end_body_as_smtp_data(m);
    CHECK(m.body == c.body);
  }
}
