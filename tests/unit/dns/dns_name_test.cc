// Tests for dns/dns_name.h: the one text form of names, from caller text and from wire.
#include <catch2/catch.hpp>

#include "dns/dns_name.h"

using namespace alignd;

TEST_CASE("canonical_name: presentation text to the one text form") {
  struct Case {
    std::string in;
    std::optional<std::string> out;
  };
  const Case cases[] = {
      {"Example.COM", "example.com."},
      {"example.com.", "example.com."},
      {".", "."},
      {"foo:bar/baz.example.com", "foo\\058bar\\047baz.example.com."},
      {"foo\\058bar\\047baz.example.com.", "foo\\058bar\\047baz.example.com."},  // round trip
      {"a b.example", "a\\032b.example."},
      {"A\\032B.example", "a\\032b.example."},
      {"*.example", "\\042.example."},
      {"_dmarc.example", "_dmarc.example."},
      {"caf\xc3\xa9.example", "caf\\195\\169.example."},
      {"a\\046b.example", "a\\046b.example."},  // a dot inside a label
      {"", std::nullopt},
      {"a..example", std::nullopt},
      {".example", std::nullopt},
      {"a\\", std::nullopt},
      {"a\\12", std::nullopt},
      {"a\\256.example", std::nullopt},
      {"back\\slash.example", std::nullopt},  // \X escapes are not taken
      {std::string(64, 'x') + ".example", std::nullopt},
      {std::string(63, 'x') + ".example", std::string(63, 'x') + ".example."},
      {std::string(253, 'a').replace(63, 1, ".").replace(127, 1, ".").replace(191, 1, ".") + ".xy",
       std::nullopt},  // 258 octets on the wire
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(canonical_name(c.in) == c.out);
  }
}

TEST_CASE("wire_name_to_text: the same form as canonical_name") {
  const std::string wire(
      "\x0b"
      "foo:bar/baz"
      "\x07"
      "Example"
      "\x00",
      21);
  size_t pos = 0;
  auto t = wire_name_to_text(wire, pos);
  REQUIRE(t);
  CHECK(*t == "foo\\058bar\\047baz.example.");
  CHECK(pos == wire.size());
  CHECK(canonical_name(*t) == t);
  size_t p2 = 0;
  CHECK_FALSE(wire_name_to_text(std::string("\x05"
                                            "ab",
                                            3),
                                p2));  // truncated
}
