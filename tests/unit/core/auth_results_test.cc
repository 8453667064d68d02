// Tests for core/auth_results.h: RFC 8601 formatting, quoting, folding, parsing.
#include <catch2/catch.hpp>

#include "core/auth_results.h"
#include "core/text.h"

using namespace alignd;

TEST_CASE("formats RFC 8601 resinfo with properties and comments") {
  AuthResults ar{"mx.example.net",
                 {{"spf", "pass", "", "", {{"smtp", "mailfrom", "example.com"}}},
                  {"dmarc", "pass", "p=reject dis=none", "", {{"header", "from", "example.com"}}}}};
  CHECK(ar.format() ==
        "mx.example.net;\n\tspf=pass smtp.mailfrom=example.com;\n"
        "\tdmarc=pass (p=reject dis=none) header.from=example.com");
}

TEST_CASE("no results is 'none'") {
  CHECK(AuthResults{"mx.example.net", {}}.format() == "mx.example.net; none");
}

TEST_CASE("values we did not produce cannot inject") {
  struct Case { const char* in; const char* want; };
  const Case cases[] = {
      {"example.com", "example.com"},
      {"user@example.com", "user@example.com"},
      {"a b", "\"a b\""},
      {"evil.com\r\nX-Injected: yes", "\"evil.comX-Injected: yes\""},
      {"x;dkim=pass", "\"x;dkim=pass\""},
      {"q\"uote\\", "\"q\\\"uote\\\\\""},
      {"", "\"\""},
      {"@@", "\"@@\""},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(ar_value(c.in) == c.want);
  }
  CHECK(ar_comment("a) (b\r\n") == "a\\) \\(b");
}

TEST_CASE("folds at 78 columns") {
  AuthResults ar{"mx.example.net", {}};
  AuthMethodResult dkim{"dkim", "pass", "", "", {}};
  for (int i = 0; i < 6; ++i)
    dkim.props.push_back({"header", "d", "very-long-subdomain-name-" + std::to_string(i) + ".example.com"});
  ar.results.push_back(dkim);
  std::string full = "Authentication-Results: " + ar.format();
  for (auto line : split(full, '\n')) {
    size_t width = 0;
    for (char c : line) width += (c == '\t') ? 8 : 1;
    CHECK(width <= 78);
  }
  CHECK(full.find("\r") == std::string::npos);
}

TEST_CASE("formatted output parses back") {
  AuthResults ar{"mx.example.net",
                 {{"dkim", "fail", "", "signature did not verify",
                   {{"header", "d", "example.com"}, {"header", "s", "s1"}}},
                  {"spf", "softfail", "", "", {{"smtp", "mailfrom", "a b@example.com"}}}}};
  auto p = parse_auth_results(ar.format("\r\n"));
  REQUIRE(p);
  CHECK(p->authserv_id == "mx.example.net");
  REQUIRE(p->results.size() == 2);
  CHECK(p->results[0].method == "dkim");
  CHECK(p->results[0].result == "fail");
  CHECK(p->results[0].reason == "signature did not verify");
  REQUIRE(p->results[0].props.size() == 2);
  CHECK(p->results[0].props[1].value == "s1");
  CHECK(p->results[1].props[0].value == "a b@example.com");
}

TEST_CASE("detects fields claiming our authserv-id") {
  struct Case { const char* value; bool ours; };
  const Case cases[] = {
      {"mx.example.net; spf=pass smtp.mailfrom=a.com", true},
      {"MX.Example.NET; dkim=pass", true},
      {" (comment) mx.example.net 1; none", true},
      {"\r\n\tmx.example.net;\r\n\tdmarc=pass", true},
      {"mx.example.net.evil.com; spf=pass", false},
      {"other.example; spf=pass", false},
      {"", false},
      {"(unterminated comment mx.example.net; spf=pass", false},
      {"\"mx.example.net\"; spf=pass", true},
      // issue 10 item 7: a trailing dot (the root) and a leading comment hide nothing
      {"mx.example.net.; dkim=pass", true},
      {"(c) mx.example.net.; spf=pass", true},
      {"(c)MX.EXAMPLE.NET.", true},
      {"mx.example.net.;", true},
      {"mx.example.net(c); dmarc=pass", true},
      {"mx.example.net..; spf=pass", false},
      {".; spf=pass", false},
  };
  for (const auto& c : cases) {
    INFO(c.value);
    CHECK(claims_authserv_id(c.value, "mx.example.net") == c.ours);
    CHECK(claims_authserv_id(c.value, "mx.example.net.") == c.ours);  // configured with the dot
  }
}

TEST_CASE("parser survives hostile input") {
  const char* inputs[] = {"", ";;;;", "a;=;=;b=", "x; dkim=", "x; dkim=pass header.d=",
                          "x; (((", "x; \"unterminated", "x; spf=pass smtp.mailfrom=\"a\\"};
  for (auto* in : inputs) {
    INFO(in);
    CHECK_NOTHROW(parse_auth_results(in));
  }
}
