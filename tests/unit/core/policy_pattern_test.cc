// Tests for core/policy/pattern.h: globs, domain patterns, address domains.
#include <catch2/catch.hpp>

#include "core/policy/pattern.h"

using namespace alignd;

TEST_CASE("glob_match") {
  struct Case {
    const char* pattern;
    const char* text;
    bool want;
  };
  const Case cases[] = {
      {"*", "", true},
      {"*", "anything at all", true},
      {"?", "", false},
      {"?", "a", true},
      {"a*c", "abbbc", true},
      {"a*c", "abbbd", false},
      {"*.example.*", "mail.example.com", true},
      {"*.example.*", "example.com", false},
      {"*lists.example.org*", "<dev.Lists.Example.ORG>", true},
      {"mail?.example.com", "mail1.example.com", true},
      {"mail?.example.com", "mail12.example.com", false},
      {"**a", "bbba", true},
      {"*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},  // no blow-up
      {"", "", true},
      {"", "x", false},
  };
  for (const auto& c : cases) {
    INFO(c.pattern << " ~ " << c.text);
    CHECK(glob_match(c.pattern, c.text) == c.want);
  }
}

TEST_CASE("domain patterns: exact, suffix, glob") {
  struct Case {
    const char* pattern;
    const char* domain;
    bool want;
  };
  const Case cases[] = {
      {"example.com", "example.com", true},
      {"example.com", "EXAMPLE.com.", true},
      {"Example.COM.", "example.com", true},
      {"example.com", "mail.example.com", false},
      {".example.com", "mail.example.com", true},
      {".example.com", "a.b.example.com", true},
      {".example.com", "example.com", false},
      {".example.com", "badexample.com", false},
      {"*.example.*", "mail.example.org", true},
      {"*.example.*", "example.org", false},
      {"*example.com", "badexample.com", true},
      {"example.com", "", false},
      {"xn--bcher-kva.example", "xn--bcher-kva.example", true},
  };
  for (const auto& c : cases) {
    INFO(c.pattern << " ~ " << c.domain);
    std::string err;
    auto p = parse_domain_pattern(c.pattern, err);
    REQUIRE(p);
    CHECK(p->matches(c.domain) == c.want);
  }
}

TEST_CASE("domain patterns refused with a reason") {
  struct Case {
    const char* pattern;
    const char* error_part;
  };
  const Case cases[] = {
      {"", "empty"},
      {".", "empty"},
      {"user@example.com", "not an address"},
      {"exa mple.com", "spaces"},
      {"b\xc3\xbc"
       "cher.example",
       "A-labels (xn--...)"},
  };
  for (const auto& c : cases) {
    INFO(c.pattern);
    std::string err;
    CHECK_FALSE(parse_domain_pattern(c.pattern, err));
    CHECK_THAT(err, Catch::Contains(c.error_part));
  }
}

TEST_CASE("address_domain") {
  CHECK(address_domain("alice@Example.COM") == "example.com");
  CHECK(address_domain("<bob@example.net>") == "example.net");
  CHECK(address_domain("\"a@b\"@example.org") == "example.org");
  CHECK(address_domain("postmaster") == "");
  CHECK(address_domain("") == "");
}
