// Tests for core/text.h.
#include <catch2/catch.hpp>

#include "core/text.h"

using namespace alignd;

TEST_CASE("domain_at_or_below") {
  struct Case { const char* name; const char* domain; bool want; };
  const Case cases[] = {
      {"example.com", "example.com", true},   {"a.example.com", "example.com", true},
      {"A.Example.COM.", "example.com", true}, {"badexample.com", "example.com", false},
      {"com", "example.com", false},          {"x.com", "", false},
  };
  for (const auto& c : cases) {
    INFO(c.name << " under " << c.domain);
    CHECK(domain_at_or_below(c.name, c.domain) == c.want);
  }
}

TEST_CASE("trim and split") {
  CHECK(trim("  a b\r\n") == "a b");
  auto parts = split("a;b;;c", ';');
  REQUIRE(parts.size() == 4);
  CHECK(parts[2].empty());
}
