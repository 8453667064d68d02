// Tests for core/dmarc/authors.h: DMARC over the whole From, however broken
// (RFC 9989 §5.3.1, §11.5; issue 10 item 2). Each case starts from the header
// fields as received, through author_domain(), as the session does.
#include <catch2/catch.hpp>

#include "core/dmarc/authors.h"
#include "fakes/fake_resolver.h"

using namespace alignd;
using alignd::testing::FakeResolver;

namespace {

// bank.example asks for reject (and reports); attacker.example passes SPF.
void zone(FakeResolver& dns) {
  dns.add("_dmarc.bank.example", RrType::TXT, "v=DMARC1; p=reject; rua=mailto:d@bank.example");
  dns.add("_dmarc.shop.example", RrType::TXT, "v=DMARC1; p=quarantine");
  dns.add("_dmarc.news.example", RrType::TXT, "v=DMARC1; p=none");
  dns.add("_dmarc.attacker.example", RrType::TXT, "v=DMARC1; p=none");
  dns.fail("_dmarc.down.example", DnsStatus::TempFail);
}

DmarcInput attacker_input() {
  DmarcInput in;
  in.spf_mailfrom.result = Outcome::Pass;
  in.spf_mailfrom.domain = "attacker.example";
  in.spf_mailfrom.checked = true;
  DkimResult sig;
  sig.result = Outcome::Pass;
  sig.domain = "attacker.example";
  in.dkim = {sig};
  return in;
}

AuthorsDmarc run(FakeResolver& dns, const HeaderList& headers, size_t max = 5) {
  return evaluate_dmarc_authors(author_domain(headers), attacker_input(), dns.as_lookup(), {}, max);
}

}  // namespace

TEST_CASE("broken From: DMARC is applied, never silently skipped (RFC 9989 §11.5)") {
  struct Case {
    const char* name;
    HeaderList headers;
    const char* problem;        // AuthorsDmarc::from_problem
    Outcome result;             // combined
    bool evaluated;             // combined.evaluated
    const char* author;         // combined.author_domain
    RequestedPolicy requested;  // combined.requested_policy
    size_t each;                // domains evaluated (each recorded for its reports)
  };
  const Case cases[] = {
      {"one author",
       {{"From", " service@bank.example"}},
       "",
       Outcome::Fail,
       true,
       "bank.example",
       RequestedPolicy::Reject,
       1},
      {"several addresses, p=reject domain not first",
       {{"From", " a@attacker.example, service@bank.example"}},
       "multiple-addresses",
       Outcome::Fail,
       true,
       "bank.example",
       RequestedPolicy::Reject,
       2},
      {"several addresses in display-name form",
       {{"From", " \"Att\" <a@attacker.example>, \"Bank\" <service@bank.example>"}},
       "multiple-addresses",
       Outcome::Fail,
       true,
       "bank.example",
       RequestedPolicy::Reject,
       2},
      {"two From fields, spoofed one second",
       {{"From", " a@attacker.example"}, {"From", " service@bank.example"}},
       "multiple-from",
       Outcome::Fail,
       true,
       "bank.example",
       RequestedPolicy::Reject,
       2},
      {"two From fields, spoofed one first",
       {{"From", " service@bank.example"}, {"From", " a@attacker.example"}},
       "multiple-from",
       Outcome::Fail,
       true,
       "bank.example",
       RequestedPolicy::Reject,
       2},
      {"two From fields, one unparseable",
       {{"From", " service@bank.example"}, {"From", " (unterminated"}},
       "multiple-from",
       Outcome::Fail,
       true,
       "bank.example",
       RequestedPolicy::Reject,
       1},
      {"two From fields, both the attacker's (pass, still broken)",
       {{"From", " a@attacker.example"}, {"From", " b@attacker.example"}},
       "multiple-from",
       Outcome::Pass,
       true,
       "attacker.example",
       RequestedPolicy::None,
       1},
      {"no From",
       {{"Subject", " hi"}},
       "no-from",
       Outcome::PermError,
       false,
       "",
       RequestedPolicy::None,
       0},
      {"unterminated comment",
       {{"From", " service@bank.example (Bank"}},
       "unparseable",
       Outcome::PermError,
       false,
       "",
       RequestedPolicy::None,
       1},
      {"control character",
       {{"From", " service@bank.example\x01"}},
       "unparseable",
       Outcome::PermError,
       false,
       "",
       RequestedPolicy::None,
       1},
      {"empty group",
       {{"From", " undisclosed-recipients:;"}},
       "unparseable",
       Outcome::PermError,
       false,
       "",
       RequestedPolicy::None,
       0},
      {"two addresses glued",
       {{"From", " service@bank.example <a@attacker.example>"}},
       "unparseable",
       Outcome::PermError,
       false,
       "",
       RequestedPolicy::None,
       2},
      {"six domains, p=reject sixth: incomplete",
       {{"From",
         " a@a1.example, a@a2.example, a@a3.example, a@a4.example, a@a5.example, "
         "service@bank.example"}},
       "too-many-authors",
       Outcome::None,
       true,
       "a1.example",
       RequestedPolicy::None,
       5},
      {"six domains, p=reject first: still incomplete",
       {{"From",
         " service@bank.example, a@a1.example, a@a2.example, a@a3.example, a@a4.example, "
         "a@a5.example"}},
       "too-many-authors",
       Outcome::Fail,
       true,
       "bank.example",
       RequestedPolicy::Reject,
       5},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    FakeResolver dns;
    zone(dns);
    AuthorsDmarc r = run(dns, c.headers);
    INFO(r.combined.reason);
    CHECK(r.from_problem == c.problem);
    CHECK(r.combined.result == c.result);
    CHECK(r.combined.evaluated == c.evaluated);
    CHECK(r.combined.author_domain == c.author);
    CHECK(r.combined.requested_policy == c.requested);
    CHECK(r.each.size() == c.each);
    for (const auto& e : r.each) CHECK(e.evaluated);
    if (!c.evaluated) CHECK(r.combined.reason.find(c.problem) != std::string::npos);
  }
}

TEST_CASE("several author domains: the strictest outcome wins (RFC 9989 §11.5)") {
  struct Case {
    const char* name;
    const char* from;
    Outcome result;
    const char* author;
  };
  const Case cases[] = {
      {"reject beats quarantine", " x@shop.example, y@bank.example", Outcome::Fail, "bank.example"},
      {"quarantine beats none", " x@news.example, y@shop.example", Outcome::Fail, "shop.example"},
      // an unknown policy may be reject: retry rather than apply a milder one
      {"temperror beats a quarantine failure", " x@shop.example, y@down.example",
       Outcome::TempError, "down.example"},
      {"a reject failure beats temperror", " y@down.example, x@bank.example", Outcome::Fail,
       "bank.example"},
      // pass means every author domain passed
      {"no record beats pass", " a@attacker.example, b@unknown.example", Outcome::None,
       "unknown.example"},
      {"all pass", " a@attacker.example, b@mail.attacker.example", Outcome::Pass,
       "attacker.example"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    FakeResolver dns;
    zone(dns);
    AuthorsDmarc r = run(dns, {{"From", c.from}});
    CHECK(r.combined.result == c.result);
    CHECK(r.combined.author_domain == c.author);
    CHECK(r.from_problem == "multiple-addresses");
  }
}

TEST_CASE("the author-domain limit is configurable; lookups shared across domains") {
  FakeResolver dns;
  zone(dns);
  AuthorsDmarc two = run(dns, {{"From", " a@attacker.example, b@bank.example, c@shop.example"}}, 2);
  CHECK(two.from_problem == "too-many-authors");
  CHECK(two.each.size() == 2);
  CHECK_FALSE(two.combined.errors.empty());
  CHECK(two.combined.reason.find("...") != std::string::npos);

  FakeResolver d2;
  zone(d2);
  AuthorsDmarc same = run(d2, {{"From", " a@bank.example"}, {"From", " b@bank.example"}});
  CHECK(same.each.size() == 1);  // one domain, evaluated once
  size_t bank_queries = 0;
  for (const auto& q : d2.queries) bank_queries += q.first == "_dmarc.bank.example";
  CHECK(bank_queries == 1);
}

TEST_CASE("a From that does not parse: the domains it names are evaluated for reports only") {
  FakeResolver dns;
  zone(dns);
  AuthorsDmarc r = run(dns, {{"From", " Bank\x01 <service@bank.example>"}});
  CHECK(r.from_problem == "unparseable");
  CHECK(r.combined.result == Outcome::PermError);  // never a pass, never the owner's policy
  CHECK_FALSE(r.combined.evaluated);
  REQUIRE(r.each.size() == 1);
  CHECK(r.each[0].author_domain == "bank.example");
  CHECK(r.each[0].result == Outcome::Fail);
  CHECK(r.each[0].requested_policy == RequestedPolicy::Reject);

  // Bounded like any From: at most max_domains lookups; words without a dot or
  // not a valid name are not domains.
  FakeResolver d2;
  zone(d2);
  AuthorsDmarc many = run(d2,
                          {{"From", " (x@a1.example y@a2.example z@a3.example w@bank.example "
                                    "v@localhost u@-bad-.example"}},
                          3);
  CHECK(many.combined.result == Outcome::PermError);
  REQUIRE(many.each.size() == 3);
  CHECK(many.each[2].author_domain == "a3.example");

  // A second, unparseable From field adds its domains after the parsed one's.
  FakeResolver d3;
  zone(d3);
  AuthorsDmarc two =
      run(d3, {{"From", " a@attacker.example"}, {"From", " service@bank.example (Bank"}});
  CHECK(two.from_problem == "multiple-from");
  REQUIRE(two.each.size() == 2);
  CHECK(two.each[1].author_domain == "bank.example");
  CHECK(two.combined.author_domain == "bank.example");  // the strictest
}
