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

TEST_CASE("fold_header_value keeps lines within 78 columns") {
  std::string v = " pass (mx.example.net: domain of alice@sender.example designates 192.0.2.3 as "
                  "permitted sender) client-ip=192.0.2.3; envelope-from=\"alice@sender.example\"; "
                  "helo=mail.sender.example; receiver=mx.example.net; identity=mailfrom";
  std::string folded = fold_header_value("Received-SPF", v, "\n");
  std::string unfolded;
  for (char c : folded) if (c != '\n') unfolded += (c == '\t' ? ' ' : c);
  CHECK(unfolded == v);
  bool first = true;
  for (auto line : split(folded, '\n')) {
    size_t width = first ? std::string_view("Received-SPF:").size() + line.size() : 7 + line.size();
    CHECK(width <= 78);
    first = false;
  }
  CHECK(fold_header_value("X", " short") == " short");
}
