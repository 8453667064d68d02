// Tests for auth/spf_syntax.h: RFC 7208 record grammar and the libspf2 rewrite.
#include <catch2/catch.hpp>

#include "auth/spf_syntax.h"

using namespace alignd;

TEST_CASE("SPF record syntax: valid records and their rewrite") {
  struct Case {
    const char* record;
    bool ipv6;
    const char* rewritten;
  };
  const Case cases[] = {
      {"v=spf1", false, "v=spf1"},
      {"v=spf1 -all", false, "v=spf1 -all"},
      {"V=SPF1  IP4:192.0.2.0/24   ~ALL ", false, "v=spf1 ip4:192.0.2.0/24 ~all"},
      {"v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all", false, "v=spf1 ip4:1.2.3.4 -all"},
      {"v=spf1 redirect=r.example ip4:1.2.3.4 ~all", false,
       "v=spf1 ip4:1.2.3.4 ~all redirect=r.example"},
      {"v=spf1 exp=e.%{d} -all", false, "v=spf1 -all exp=e.%{d}"},
      {"v=spf1 a/24//64 mx:m.example/16//48 -all", false, "v=spf1 a/24 mx:m.example/16 -all"},
      {"v=spf1 a/24//64 mx:m.example/16//48 -all", true, "v=spf1 a//64 mx:m.example//48 -all"},
      {"v=spf1 ip4:1.1.1.1/0 -all", false, "v=spf1 ip4:0.0.0.0/1 ip4:128.0.0.0/1 -all"},
      {"v=spf1 -ip6:::1/0", true, "v=spf1 -ip6:::/1 -ip6:8000::/1"},
      {"v=spf1 a/0 -all", false, "v=spf1 exists:%{d} -all"},
      {"v=spf1 ?a:x.example/0", false, "v=spf1 ?exists:x.example"},
      {"v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all", false,
       "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all"},
      {"v=spf1 include:foo.example. ptr ptr:p.example a:foo.xn--zckzah", false,
       "v=spf1 include:foo.example. ptr ptr:p.example a:foo.xn--zckzah"},
      {"v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all", false,
       "v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all"},
  };
  for (const auto& c : cases) {
    INFO(c.record);
    SpfSyntax s = check_spf_record(c.record, c.ipv6);
    CHECK(s.ok);
    CHECK(s.error.empty());
    CHECK(s.rewritten == c.rewritten);
  }
}

TEST_CASE("SPF record syntax: permerrors libspf2 would not raise") {
  const char* bad[] = {
      "v=spf1 a:foo.example.com\x01",    // control character
      "v=spf1 a:\xc3\xa9.example -all",  // non-ASCII
      "v=spf1 ip4:1.2.3.4/032 -all",     // leading zero
      "v=spf1 ip4:1.2.3.4/33 -all",      // out of range
      "v=spf1 ip6:::1//64",              // ip6 takes a single slash
      "v=spf1 -all.",                    // junk after all
      "v=spf1 -all:foo",
      "v=spf1 exists:",                     // empty domain-spec
      "v=spf1 exists:mail.example.com/24",  // exists takes no CIDR
      "v=spf1 a:",
      "v=spf1 a:1.2.3.4",  // numeric top label
      "v=spf1 a:foo-bar",  // no top label
      "v=spf1 a:example.-com",
      "v=spf1 ptr/0",
      "v=spf1 redirect:r.example",  // redirect is a modifier
      "v=spf1 redirect=",
      "v=spf1 exp=",
      "v=spf1 exp=-all",
      "v=spf1 exp=a.example exp=b.example -all",
      "v=spf1 redirect=a.example redirect=b.example",
      "v=spf1 -exists:%(ir).sbl.example",  // bad macro
      "v=spf1 -exists:foo%.sbl.example",
      "v=spf1 exists:%{x}.example",   // unknown macro letter
      "v=spf1 exists:%{d0}.example",  // zero DIGIT transformer
      "v=spf1 exists:%{c}.example",   // c only in exp text
      "v=spf1 -all exp=%{r}.example.com",
      "v=spf1 1up=foo",  // a modifier name starts with a letter
      "v=spf1 foo=%",    // unknown modifier, bad macro-string
      "v=spf1 mx/24/",
      "v=spf1 frobnicate",
  };
  for (const char* r : bad) {
    INFO(r);
    SpfSyntax s = check_spf_record(r, false);
    CHECK_FALSE(s.ok);
    CHECK_FALSE(s.error.empty());
  }
}

TEST_CASE("SPF macro-strings and domain-specs (§7.1)") {
  CHECK(valid_macro_string("%{c} is not allowed by %{d}", true));
  CHECK_FALSE(valid_macro_string("%{c} is not allowed", false));
  CHECK_FALSE(valid_macro_string("The %{x}-files.", true));
  CHECK(valid_domain_spec("%{d}"));
  CHECK(valid_domain_spec("_spf.%{d2}"));
  CHECK(valid_domain_spec("example.com."));
  CHECK_FALSE(valid_domain_spec("example"));
  CHECK_FALSE(valid_domain_spec("%{d}.123"));
}
