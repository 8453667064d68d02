// Tests for auth/spf_checker.h: SpfChecker over libspf2 with a FakeResolver, one
// row per RFC 7208 result and limit; Received-SPF formatting.
#include <catch2/catch.hpp>

#include "auth/spf_checker.h"
#include "fakes/fake_resolver.h"

using namespace alignd;
using alignd::testing::FakeResolver;

namespace {

// A small world: example.com and friends under .example.
void world(FakeResolver& dns) {
  const alignd::testing::FakeRecord records[] = {
      {"pass.example.", RrType::TXT, "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"},
      {"soft.example.", RrType::TXT, "v=spf1 ip4:192.0.2.1 ~all"},
      {"neutral.example.", RrType::TXT, "v=spf1 ?all"},
      {"nospf.example.", RrType::TXT, "google-site-verification=abc"},
      {"nospf.example.", RrType::A, "192.0.2.1"},
      {"two.example.", RrType::TXT, "v=spf1 -all"},
      {"two.example.", RrType::TXT, "v=spf1 +all"},
      {"syntax.example.", RrType::TXT, "v=spf1 ip4:192.0.2.300 -all"},
      {"unknown.example.", RrType::TXT, "v=spf1 frobnicate -all"},
      {"amech.example.", RrType::TXT, "v=spf1 a mx -all"},
      {"amech.example.", RrType::A, "198.51.100.7"},
      {"amech.example.", RrType::MX, "10 mx.amech.example."},
      {"mx.amech.example.", RrType::A, "198.51.100.25"},
      {"inc.example.", RrType::TXT, "v=spf1 include:pass.example -all"},
      {"redir.example.", RrType::TXT, "v=spf1 redirect=pass.example"},
      {"redir-none.example.", RrType::TXT, "v=spf1 redirect=nospf.example"},
      {"inc-none.example.", RrType::TXT, "v=spf1 include:nospf.example -all"},
      {"tempa.example.", RrType::TXT, "v=spf1 a:slow.example -all"},
      {"voids.example.", RrType::TXT, "v=spf1 a:n1.example a:n2.example a:n3.example +all"},
      {"twovoids.example.", RrType::TXT, "v=spf1 a:n1.example a:n2.example +all"},
      {"exp.example.", RrType::TXT, "v=spf1 -all exp=why.exp.example"},
      {"why.exp.example.", RrType::TXT, "%{i} is not one of %{d}'s senders"},
      {"mail.helo.example.", RrType::TXT, "v=spf1 a -all"},
      {"mail.helo.example.", RrType::A, "192.0.2.55"},
      {"loop.example.", RrType::TXT, "v=spf1 -all"},
      // §5.5: a DNS error at one PTR name skips that name (suite test ptr-cname-loop)
      {"ptrloop.example.", RrType::TXT, "v=spf1 ptr ?all"},
      {"4.2.0.192.in-addr.arpa.", RrType::PTR, "broken.ptrloop.example."},
      {"ptrok.example.", RrType::TXT, "v=spf1 ptr -all"},
      {"5.2.0.192.in-addr.arpa.", RrType::PTR, "broken.ptrok.example."},
      {"5.2.0.192.in-addr.arpa.", RrType::PTR, "mail.ptrok.example."},
      {"mail.ptrok.example.", RrType::A, "192.0.2.5"},
      {"mxtemp.example.", RrType::TXT, "v=spf1 mx -all"},
      {"mxtemp.example.", RrType::MX, "10 broken.mxtemp.example."},
  };
  for (const auto& r : records) dns.add(r.name, r.type, r.data);
  dns.fail("slow.example.", DnsStatus::TempFail);
  dns.fail("tempfail.example.", DnsStatus::TempFail);
  for (const char* n :
       {"broken.ptrloop.example.", "broken.ptrok.example.", "broken.mxtemp.example."})
    dns.fail(n, DnsStatus::TempFail);
  // 11 DNS-querying terms, spread over includes (the limit is global, §4.6.4).
  dns.add("many.example.", RrType::TXT,
          "v=spf1 a:h1.many.example a:h2.many.example a:h3.many.example include:more.many.example "
          "-all");
  dns.add("more.many.example.", RrType::TXT,
          "v=spf1 a:h4.many.example a:h5.many.example a:h6.many.example a:h7.many.example "
          "a:h8.many.example a:h9.many.example a:h10.many.example");
  for (int i = 1; i <= 10; ++i)
    dns.add("h" + std::to_string(i) + ".many.example.", RrType::A, "203.0.113.1");
  // Exactly 10 terms: fine.
  dns.add("ten.example.", RrType::TXT,
          "v=spf1 a:h1.many.example a:h2.many.example a:h3.many.example a:h4.many.example "
          "a:h5.many.example a:h6.many.example a:h7.many.example a:h8.many.example "
          "a:h9.many.example mx:h10.many.example ip4:192.0.2.9 -all");
}

}  // namespace

TEST_CASE("SPF MAIL FROM results (RFC 7208 §2.6)") {
  struct Case {
    const char* ip;
    const char* from;
    Outcome want;
    const char* reason_part;
  };
  const Case cases[] = {
      {"192.0.2.10", "a@pass.example", Outcome::Pass, "designates"},
      {"198.51.100.1", "a@pass.example", Outcome::Fail, "does not designate"},
      {"2001:db8::5", "a@pass.example", Outcome::Pass, ""},
      {"2001:db9::5", "a@pass.example", Outcome::Fail, ""},
      {"::ffff:192.0.2.10", "a@pass.example", Outcome::Pass, ""},  // IPv4-mapped = IPv4
      {"198.51.100.1", "a@soft.example", Outcome::SoftFail, ""},
      {"198.51.100.1", "a@neutral.example", Outcome::Neutral, ""},
      {"192.0.2.1", "a@nospf.example", Outcome::None, "no SPF record"},
      {"192.0.2.1", "a@nxdomain.example", Outcome::None, ""},
      {"192.0.2.1", "a@tempfail.example", Outcome::TempError, "DNS error"},
      {"192.0.2.1", "a@tempa.example", Outcome::TempError, ""},
      {"192.0.2.1", "a@two.example", Outcome::PermError, "more than one"},
      {"192.0.2.1", "a@syntax.example", Outcome::PermError, "invalid address"},
      {"192.0.2.1", "a@unknown.example", Outcome::PermError, "unknown mechanism"},
      {"198.51.100.7", "a@amech.example", Outcome::Pass, ""},
      {"198.51.100.25", "a@amech.example", Outcome::Pass, ""},
      {"198.51.100.26", "a@amech.example", Outcome::Fail, ""},
      {"192.0.2.10", "a@inc.example", Outcome::Pass, ""},
      {"198.51.100.1", "a@inc.example", Outcome::Fail, ""},
      {"192.0.2.10", "a@redir.example", Outcome::Pass, ""},
      {"192.0.2.10", "a@redir-none.example", Outcome::PermError, ""},
      {"192.0.2.10", "a@inc-none.example", Outcome::PermError, ""},
      {"192.0.2.1", "a@voids.example", Outcome::PermError, "void"},
      {"192.0.2.1", "a@twovoids.example", Outcome::Pass, ""},
      {"192.0.2.1", "a@many.example", Outcome::PermError, "DNS-querying terms"},
      {"192.0.2.9", "a@ten.example", Outcome::Pass, ""},
      {"192.0.2.4", "a@ptrloop.example", Outcome::Neutral, ""},   // not temperror (§5.5)
      {"192.0.2.5", "a@ptrok.example", Outcome::Pass, ""},        // the next name still counts
      {"192.0.2.5", "a@mxtemp.example", Outcome::TempError, ""},  // an MX host: §5 temperror
      {"127.0.0.1", "a@loop.example", Outcome::Fail, ""},         // no "localhost free ride"
      {"192.0.2.1", "a@[192.0.2.1]", Outcome::None, "not a checkable domain"},
      {"192.0.2.1", "a@localhost", Outcome::None, ""},
      {"not-an-ip", "a@pass.example", Outcome::PermError, "invalid client IP"},
  };
  FakeResolver dns;
  world(dns);
  SpfChecker spf(dns, "mx.receiver.example");
  for (const auto& c : cases) {
    INFO(c.from << " from " << c.ip);
    SpfResult r = spf.check_mail_from(c.ip, "helo.example", c.from);
    CHECK(r.result == c.want);
    CHECK(r.checked);
    CHECK(r.identity == c.from);
    CHECK_THAT(r.reason, Catch::Contains(c.reason_part));
  }
}

TEST_CASE("SPF domain and identity for the null sender and a missing local-part (§2.4, §4.3)") {
  FakeResolver dns;
  world(dns);
  SpfChecker spf(dns, "mx.receiver.example");
  SpfResult r = spf.check_mail_from("192.0.2.55", "mail.helo.example", "");
  CHECK(r.result == Outcome::Pass);
  CHECK(r.identity == "postmaster@mail.helo.example");
  CHECK(r.domain == "mail.helo.example");
  r = spf.check_mail_from("192.0.2.55", "mail.helo.example", "<>");
  CHECK(r.identity == "postmaster@mail.helo.example");
  r = spf.check_mail_from("192.0.2.10", "x.example", "@pass.example");
  CHECK(r.identity == "postmaster@pass.example");
  CHECK(r.result == Outcome::Pass);
  r = spf.check_mail_from("192.0.2.10", "x.example", "<a@pass.example>");
  CHECK(r.domain == "pass.example");
}

TEST_CASE("SPF HELO check (§2.3)") {
  FakeResolver dns;
  world(dns);
  SpfChecker spf(dns, "mx.receiver.example");
  struct Case {
    const char* ip;
    const char* helo;
    Outcome want;
  };
  const Case cases[] = {
      {"192.0.2.55", "mail.helo.example", Outcome::Pass},
      {"192.0.2.56", "mail.helo.example", Outcome::Fail},
      {"192.0.2.1", "[192.0.2.1]", Outcome::None},
      {"192.0.2.1", "192.0.2.1", Outcome::None},
      {"192.0.2.1", "OEMCOMPUTER", Outcome::None},
      {"192.0.2.1", "", Outcome::None},
  };
  for (const auto& c : cases) {
    INFO(c.helo);
    SpfResult r = spf.check_helo(c.ip, c.helo);
    CHECK(r.result == c.want);
    CHECK(r.checked);
    CHECK(r.identity == c.helo);
  }
}

TEST_CASE("SPF exp= explanation with macros on fail only (§6.2, §7.3)") {
  FakeResolver dns;
  world(dns);
  SpfChecker spf(dns, "mx.receiver.example");
  SpfResult r = spf.check_mail_from("192.0.2.99", "h.example", "u@exp.example");
  CHECK(r.result == Outcome::Fail);
  CHECK(r.explanation == "192.0.2.99 is not one of exp.example's senders");
  r = spf.check_mail_from("198.51.100.1", "h.example", "u@pass.example");
  CHECK(r.result == Outcome::Fail);
  CHECK(r.explanation.empty());  // no exp=: no made-up default text
}

TEST_CASE("SPF %{h} without a HELO expands to \"unknown\", not an error") {
  FakeResolver dns{{"h.example.", RrType::TXT, "v=spf1 exists:%{h}.hosts.h.example -all"},
                   {"unknown.hosts.h.example.", RrType::A, "127.0.0.2"}};
  SpfChecker spf(dns, "mx.receiver.example");
  CHECK(spf.check_mail_from("192.0.2.1", "", "a@h.example").result == Outcome::Pass);
  CHECK(spf.check_mail_from("192.0.2.1", "other.example", "a@h.example").result == Outcome::Fail);
}

TEST_CASE("SPF resolver can be swapped between messages") {
  FakeResolver first;
  world(first);
  FakeResolver second{{"pass.example.", RrType::TXT, "v=spf1 -all"}};
  SpfChecker spf(first, "mx.receiver.example");
  CHECK(spf.check_mail_from("192.0.2.10", "h.example", "a@pass.example").result == Outcome::Pass);
  spf.set_resolver(second);
  CHECK(spf.check_mail_from("192.0.2.10", "h.example", "a@pass.example").result == Outcome::Fail);
  CHECK_FALSE(second.queries.empty());
}

TEST_CASE("SPF asks DNS only for TXT, never type 99, and counts terms per check") {
  FakeResolver dns;
  world(dns);
  SpfChecker spf(dns, "mx.receiver.example");
  // Two checks in a row, each with 10 terms: the limit is per check_host().
  CHECK(spf.check_mail_from("192.0.2.9", "h.example", "a@ten.example").result == Outcome::Pass);
  CHECK(spf.check_mail_from("192.0.2.9", "h.example", "a@ten.example").result == Outcome::Pass);
  for (const auto& [name, type] : dns.queries) CHECK(static_cast<int>(type) != 99);
}

TEST_CASE("Received-SPF field value (RFC 7208 §9.1)") {
  SpfResult r;
  r.result = Outcome::Pass;
  r.identity = "a@pass.example";
  r.domain = "pass.example";
  r.checked = true;
  CHECK(received_spf_value(r, "192.0.2.10", "mail.example", "mx.receiver.example") ==
        "pass (mx.receiver.example: domain of a@pass.example designates 192.0.2.10 as permitted "
        "sender) client-ip=192.0.2.10; envelope-from=\"a@pass.example\"; helo=mail.example; "
        "receiver=mx.receiver.example; identity=mailfrom");

  SpfResult h;
  h.result = Outcome::Fail;
  h.identity = "mail.example";
  h.domain = "mail.example";
  std::string v = received_spf_value(h, "2001:db8::1", "mail.example", "mx.receiver.example");
  CHECK_THAT(v, Catch::StartsWith("fail (mx.receiver.example: domain of mail.example does not"));
  CHECK_THAT(v, Catch::Contains("client-ip=\"2001:db8::1\";"));  // not a dot-atom: quoted
  CHECK_THAT(v, Catch::EndsWith("identity=helo"));
  CHECK_THAT(v, !Catch::Contains("envelope-from"));

  SpfResult p;
  p.result = Outcome::PermError;
  p.identity = "x@bad.example";
  p.domain = "bad.example";
  p.reason = "unknown mechanism 'foo(bar)'";
  v = received_spf_value(p, "192.0.2.1", "h.example", "mx.receiver.example");
  CHECK_THAT(v, Catch::Contains("foo\\(bar\\)"));  // comment text escaped
  CHECK_THAT(v, Catch::Contains("problem=\"unknown mechanism 'foo(bar)'\";"));
}

TEST_CASE("spf_checkable_domain (§4.3)") {
  for (const char* ok : {"example.com", "example.com.", "a.b.c.example", "xn--bcher-kva.example",
                         "A12345678901234567890123456789012345678901234567890123456789012.example"})
    CHECK(spf_checkable_domain(ok));
  for (const char* bad :
       {"", "localhost", "[192.0.2.1]", "192.0.2.1", "a..example", ".example",
        "A123456789012345678901234567890123456789012345678901234567890123.example",
        "with space.example"})
    CHECK_FALSE(spf_checkable_domain(bad));
}
