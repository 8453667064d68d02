// Tests for core/address.h: RFC 5322 From parsing for the DMARC Author Domain
// (RFC 9989 §5.3.1), Punycode (RFC 3492 §7.1 samples) and A-label conversion.
#include <catch2/catch.hpp>

#include "core/address.h"

using namespace alignd;

namespace {

HeaderList from(std::initializer_list<const char*> values) {
  HeaderList h{{"Subject", " hi"}, {"To", " x@example.org"}};
  for (const char* v : values) h.push_back({"From", v});
  return h;
}

}  // namespace

TEST_CASE("one From field: the Author Domain") {
  struct Case {
    const char* value;
    const char* domain;
    const char* address;
  };
  const Case cases[] = {
      {" sender@example.com", "example.com", "sender@example.com"},
      {" Sender@EXAMPLE.Com", "example.com", "Sender@example.com"},
      {" Joe Q. Public <john.q.public@example.com>", "example.com", "john.q.public@example.com"},
      {" \"Joe Q. Public\" <john.q.public@example.com>", "example.com",
       "john.q.public@example.com"},
      // comments anywhere, nested, with quoted pairs
      {" (comment) sender (more (nested) \\) text) @ (c) example.com (trailing)", "example.com",
       "sender@example.com"},
      {" john@example.com (John Doe)", "example.com", "john@example.com"},
      // a quoted display name holding another address must not be taken
      {" \"ceo@victim.example\" <attacker@evil.example>", "evil.example", "attacker@evil.example"},
      // quoted local parts, with specials and escapes
      {" \"john doe\"@example.com", "example.com", "\"john doe\"@example.com"},
      {" <\"a,b@c\\\"d\"@example.com>", "example.com", "\"a,b@c\"d\"@example.com"},
      // RFC 2047 encoded words in the display name, also non-conforming ones with specials
      {" =?utf-8?q?J=C3=B6rg?= <joerg@example.de>", "example.de", "joerg@example.de"},
      {" =?utf-8?Q?Doe,_John?= <john@example.com>", "example.com", "john@example.com"},
      {" =?ISO-8859-1?B?SvZyZw==?= <j@example.com>", "example.com", "j@example.com"},
      // UTF-8 display name (RFC 6532)
      {" Jörg Müller <jm@example.de>", "example.de", "jm@example.de"},
      // folded values (CRLF + WSP kept verbatim by the milter)
      {" Very Long Name\r\n <folded@example.com>", "example.com", "folded@example.com"},
      {"\r\n\tfolded@example.com", "example.com", "folded@example.com"},
      // groups (RFC 5322 §3.4), also with one member
      {" Team: alice@example.com;", "example.com", "alice@example.com"},
      {" Team: alice@example.com, bob@example.com;", "example.com", "alice@example.com"},
      // obsolete syntax (RFC 5322 §4.4): route, empty list elements, CFWS in addr-spec, dot-phrase
      {" <@relay.example:user@example.com>", "example.com", "user@example.com"},
      {" <@a.example,@b.example:user@example.com>", "example.com", "user@example.com"},
      {" ,, user@example.com ,", "example.com", "user@example.com"},
      {" john . doe @ example . com", "example.com", "john.doe@example.com"},
      // trailing dot of an absolute name
      {" user@example.com.", "example.com", "user@example.com"},
      // IDN: U-labels to A-labels (RFC 9989 §5.3.1)
      {" user@bücher.example", "xn--bcher-kva.example", "user@xn--bcher-kva.example"},
      {" user@BÜCHER.example", "xn--bcher-kva.example", "user@xn--bcher-kva.example"},
      {" Ö <user@xn--bcher-kva.EXAMPLE>", "xn--bcher-kva.example", "user@xn--bcher-kva.example"},
      {" 用户@例え.テスト", "xn--r8jz45g.xn--zckzah", "用户@xn--r8jz45g.xn--zckzah"},
      // several addresses, one domain: one Author Domain (§5.3.1 counts domains)
      {" a@example.com, B <b@EXAMPLE.com>", "example.com", "a@example.com"},
  };
  for (const auto& c : cases) {
    INFO(c.value);
    AuthorDomain a = author_domain(from({c.value}));
    CHECK(a.problem == "");
    CHECK(a.domain == c.domain);
    CHECK(a.address == c.address);
  }
}

TEST_CASE("From problems: no-from, multiple-from, multiple-addresses, unparseable") {
  struct Case {
    HeaderList headers;
    const char* problem;
  };
  const Case cases[] = {
      {{{"Subject", " x"}}, "no-from"},
      {{}, "no-from"},
      {from({" a@example.com", " a@example.com"}), "multiple-from"},
      {from({" a@example.com", " b@other.example"}), "multiple-from"},
      {from({" a@example.com", " garbage <"}), "multiple-from"},
      {from({" a@example.com, b@other.example"}), "multiple-addresses"},
      {from({" G: a@example.com;, b@other.example"}), "multiple-addresses"},
      {from({" a@sub.example.com, b@example.com"}), "multiple-addresses"},
      {from({""}), "unparseable"},
      {from({" "}), "unparseable"},
      {from({" undisclosed-recipients:;"}), "unparseable"},
      {from({" just a name"}), "unparseable"},
      {from({" user"}), "unparseable"},
      {from({" user@"}), "unparseable"},
      {from({" @example.com"}), "unparseable"},
      {from({" <>"}), "unparseable"},
      {from({" Joe <joe@example.com"}), "unparseable"},
      {from({" Joe joe@example.com>"}), "unparseable"},
      {from({" \"unterminated <a@example.com>"}), "unparseable"},
      {from({" (unterminated a@example.com"}), "unparseable"},
      {from({" user@[192.0.2.1]"}), "unparseable"},
      {from({" user@exa mple.com"}), "unparseable"},
      {from({" user@example..com"}), "unparseable"},
      {from({" user@exa_mple.com"}), "unparseable"},
      {from({" John Doe@example.com"}), "unparseable"},
      // two addresses glued: what a MUA shows is ambiguous, do not guess
      {from({" user@victim.example <user@attacker.example>"}), "unparseable"},
      {from({" a@example.com b@example.com"}), "unparseable"},
      {from({" G: H: a@example.com;;"}), "unparseable"},
      {from({" a@example.com\x01"}), "unparseable"},
      {from({" user@\xff\xfe.example"}), "unparseable"},
      {from({" user@bad\xc3.example"}), "unparseable"},
  };
  for (const auto& c : cases) {
    INFO((c.headers.empty() ? std::string("(no headers)") : c.headers.back().value));
    AuthorDomain a = author_domain(c.headers);
    CHECK(a.problem == c.problem);
    CHECK(a.domain.empty());
    CHECK_FALSE(a.detail.empty());
  }
}

TEST_CASE("multiple-addresses lists every distinct domain for RFC 9989 §11.5") {
  AuthorDomain a = author_domain(from({" a@one.example, b@TWO.example, c@one.example"}));
  CHECK(a.problem == "multiple-addresses");
  CHECK(a.domains == std::vector<std::string>{"one.example", "two.example"});
  CHECK(a.address_count == 3);
}

TEST_CASE("From field name matched case-insensitively, other fields ignored") {
  HeaderList h{{"FROM", " a@example.com"},
               {"Sender", " s@other.example"},
               {"Reply-To", " r@other.example"},
               {"Resent-From", " x@other.example"}};
  AuthorDomain a = author_domain(h);
  CHECK(a.problem == "");
  CHECK(a.domain == "example.com");
}

TEST_CASE("Punycode: RFC 3492 §7.1 samples and common labels") {
  struct Case {
    std::u32string in;
    const char* out;
  };
  const Case cases[] = {
      // (A) Arabic (Egyptian)
      {U"\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631"
       U"\u0628\u064A\u061F",
       "egbpdaj6bu4bxfgehfvwxn"},
      // (B) Chinese (simplified)
      {U"\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587", "ihqwcrb4cv8a8dqg056pqjye"},
      // (L) 3<nen>B<gumi><kinpachi><sensei>
      {U"3\u5E74B\u7D44\u91D1\u516B\u5148\u751F", "3B-ww4c5e180e575a65lsy2b"},
      // (R) <sono><supiido><de>
      {U"\u305D\u306E\u30B9\u30D4\u30FC\u30C9\u3067", "d9juau41awczczp"},
      {U"b\u00FCcher", "bcher-kva"},
      {U"m\u00FCnchen", "mnchen-3ya"},
      {U"\u043F\u0440\u0438\u043C\u0435\u0440", "e1afmkfd"},
  };
  for (const auto& c : cases) CHECK(punycode_encode(c.in) == std::optional<std::string>(c.out));
}

TEST_CASE("domain_to_alabel") {
  struct Case {
    std::string in;
    std::optional<std::string> out;
  };
  const Case cases[] = {
      {"Example.COM", "example.com"},
      {"example.com.", "example.com"},
      {"παράδειγμα.example", "xn--hxajbheg2az3al.example"},
      {"ПРИМЕР.example", "xn--e1afmkfd.example"},
      {"ドメイン名例.jp", "xn--eckwd4c7cu47r2wf.jp"},
      {"xn--bcher-kva.example", "xn--bcher-kva.example"},
      {"", std::nullopt},
      {".", std::nullopt},
      {"a..b", std::nullopt},
      {".a", std::nullopt},
      {"a b.example", std::nullopt},
      {"a;b.example", std::nullopt},
      {std::string(64, 'a'), std::nullopt},
      {std::string(63, 'a') + ".example", std::string(63, 'a') + ".example"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(domain_to_alabel(c.in) == c.out);
  }
  std::string long_name;
  for (int i = 0; i < 64; ++i) long_name += "abc.";
  long_name += "example";  // 263 octets
  CHECK_FALSE(domain_to_alabel(long_name));
}

TEST_CASE("hostile inputs do not crash and never yield a domain") {
  std::string deep(5000, '(');
  std::string angles(5000, '<');
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "a@b" + std::to_string(i) + ".example,";
  for (const std::string& v :
       {deep, angles, std::string(100000, 'a'), many, std::string("\"") + std::string(10000, '\\'),
        std::string("=?utf-8?q?") + std::string(5000, '?')}) {
    AuthorDomain a = author_domain(from({v.c_str()}));
    CHECK_FALSE(a.problem.empty());
  }
}
