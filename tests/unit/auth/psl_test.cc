// Tests for auth/psl.h: registrable domains from Debian's public suffix list
// through libpsl (RFC 7489 §3.2 Organizational Domain).
#include <catch2/catch.hpp>

#include <stdexcept>

#include "auth/psl.h"

using namespace alignd;

TEST_CASE("registrable domains from the Debian publicsuffix list") {
  for (const std::string& path :
       {std::string("/usr/share/publicsuffix/public_suffix_list.dat"), std::string()}) {
    INFO(path);
    PublicSuffixList psl = PublicSuffixList::load(path);
    struct Case {
      const char* in;
      const char* out;
    };
    const Case cases[] = {
        {"example.com", "example.com"},
        {"a.b.c.d.example.com", "example.com"},
        {"WWW.Example.COM.", "example.com"},
        {"a.b.example.co.uk", "example.co.uk"},
        {"com", ""},
        {"co.uk", ""},
        // wildcard and exception rules: *.kawasaki.jp, !city.kawasaki.jp
        {"a.b.kawasaki.jp", "a.b.kawasaki.jp"},
        {"www.city.kawasaki.jp", "city.kawasaki.jp"},
        // IDN TLD as A-label and U-label
        {"mail.example.xn--fiqs8s", "example.xn--fiqs8s"},
        {"xn--fiqs8s", ""},
        // the private section counts (as in RFC 7489 practice)
        {"foo.blogspot.com", "foo.blogspot.com"},
        // unlisted TLD: libpsl's implicit "*" rule
        {"a.b.example", "b.example"},
        {"", ""},
    };
    for (const auto& c : cases) {
      INFO(c.in);
      CHECK(psl.registrable_domain(c.in) == c.out);
    }
    CHECK(psl.is_public_suffix("co.uk"));
    CHECK_FALSE(psl.is_public_suffix("example.co.uk"));
    auto f = psl.org_domain_function();
    CHECK(f("x.y.example.org") == "example.org");
  }
}

TEST_CASE("a missing list file is a start-up error") {
  CHECK_THROWS_AS(PublicSuffixList::load("/nonexistent/psl.dat"), std::runtime_error);
}

TEST_CASE("the function outlives the list object") {
  std::function<std::string(std::string_view)> f;
  {
    PublicSuffixList psl = PublicSuffixList::load("");
    f = psl.org_domain_function();
  }
  CHECK(f("mail.example.net") == "example.net");
}
