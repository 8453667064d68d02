// Tests for core/dmarc/evaluate.h: Identifier Alignment (RFC 9989 Appendix B.1,
// B.3.1, B.4), pass/fail/none/temperror/permerror, p/sp/np selection (§4.7,
// §4.10.1), t=y, the §4.10.1 invalid-p rule, and RFC 7489 mode with pct.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/dmarc/evaluate.h"
#include "fakes/fake_resolver.h"

using namespace alignd;
using alignd::testing::FakeResolver;

namespace {

void dmarc(FakeResolver& dns, const std::string& domain, const std::string& txt) {
  dns.add("_dmarc." + domain, RrType::TXT, txt);
}

SpfResult spf(Outcome o, const std::string& domain) {
  SpfResult s;
  s.result = o;
  s.domain = domain;
  s.checked = true;
  return s;
}

DkimResult dkim(Outcome o, const std::string& d) {
  DkimResult k;
  k.result = o;
  k.domain = d;
  k.selector = "s1";
  return k;
}

DmarcInput input(const std::string& author, SpfResult s, std::vector<DkimResult> k = {}) {
  return DmarcInput{author, "", std::move(s), std::move(k)};
}

// A psl_org_domain for tests: the last two labels, three under co.uk/bank.example.
std::string fake_psl(std::string_view d) {
  std::string s(d);
  auto labels = std::count(s.begin(), s.end(), '.') + 1;
  bool three = s.ends_with(".co.uk") || s.ends_with(".bank.example");
  size_t keep = three ? 3 : 2;
  if (static_cast<size_t>(labels) < keep) return "";
  if (static_cast<size_t>(labels) == keep) return s;
  size_t pos = s.size();
  for (size_t i = 0; i < keep; ++i) pos = s.rfind('.', pos - 1);
  return s.substr(pos + 1);
}

}  // namespace

TEST_CASE("Appendix B.1 identifier alignment examples") {
  FakeResolver dns;
  dmarc(dns, "example.com", "v=DMARC1; p=reject");
  dns.add("child.example.com", RrType::A, "192.0.2.1");
  struct Case {
    const char* name;
    DmarcInput in;
    Outcome result;
    bool spf_aligned;
    bool dkim_aligned;
    const char* alignment;
  };
  const Case cases[] = {
      {"B.1.1 ex1 SPF strict", input("example.com", spf(Outcome::Pass, "example.com")),
       Outcome::Pass, true, false, "strict"},
      {"B.1.1 ex2 SPF relaxed", input("example.com", spf(Outcome::Pass, "child.example.com")),
       Outcome::Pass, true, false, "relaxed"},
      {"B.1.1 ex3 SPF not aligned", input("child.example.com", spf(Outcome::Pass, "example.net")),
       Outcome::Fail, false, false, ""},
      {"B.1.2 ex1 DKIM strict",
       input("example.com", spf(Outcome::None, ""), {dkim(Outcome::Pass, "example.com")}),
       Outcome::Pass, false, true, "strict"},
      {"B.1.2 ex2 DKIM relaxed",
       input("child.example.com", spf(Outcome::None, ""), {dkim(Outcome::Pass, "example.com")}),
       Outcome::Pass, false, true, "relaxed"},
      {"B.1.2 ex3 DKIM not aligned",
       input("child.example.com", spf(Outcome::None, ""), {dkim(Outcome::Pass, "example.net")}),
       Outcome::Fail, false, false, ""},
      {"SPF must pass to align", input("example.com", spf(Outcome::Fail, "example.com")),
       Outcome::Fail, false, false, ""},
      {"SPF softfail does not align", input("example.com", spf(Outcome::SoftFail, "example.com")),
       Outcome::Fail, false, false, ""},
      {"DKIM must pass to align",
       input("example.com", spf(Outcome::None, ""), {dkim(Outcome::Fail, "example.com")}),
       Outcome::Fail, false, false, ""},
      {"any aligned signature passes (§4.4.1)",
       input("example.com", spf(Outcome::None, ""),
             {dkim(Outcome::Fail, "example.com"), dkim(Outcome::Pass, "example.net"),
              dkim(Outcome::Pass, "Mail.Example.COM.")}),
       Outcome::Pass, false, true, "relaxed"},
      {"domains compare case-insensitively",
       input("EXAMPLE.com", spf(Outcome::Pass, "Example.Com"), {}), Outcome::Pass, true, false,
       "strict"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    DmarcResult r = evaluate_dmarc(c.in, dns.as_lookup(), {});
    CHECK(r.evaluated);
    CHECK(r.result == c.result);
    CHECK(r.spf_aligned == c.spf_aligned);
    CHECK(r.dkim_aligned == c.dkim_aligned);
    CHECK((c.spf_aligned ? r.spf_alignment : r.dkim_alignment) == c.alignment);
    CHECK(r.policy_domain == "example.com");
    CHECK(r.organizational_domain == "example.com");
    CHECK(r.requested_policy == RequestedPolicy::Reject);
    CHECK(r.discovery == "tree-walk");
    CHECK_FALSE(r.reason.empty());
  }
}

TEST_CASE("strict alignment modes (adkim=s, aspf=s)") {
  FakeResolver dns;
  dmarc(dns, "example.com", "v=DMARC1; p=reject; adkim=s; aspf=s");
  auto r1 = evaluate_dmarc(input("example.com", spf(Outcome::Pass, "child.example.com"),
                                 {dkim(Outcome::Pass, "child.example.com")}),
                           dns.as_lookup(), {});
  CHECK(r1.result == Outcome::Fail);
  auto r2 = evaluate_dmarc(input("example.com", spf(Outcome::Pass, "child.example.com"),
                                 {dkim(Outcome::Pass, "example.com")}),
                           dns.as_lookup(), {});
  CHECK(r2.result == Outcome::Pass);
  CHECK(r2.dkim_alignment == "strict");
  CHECK_FALSE(r2.spf_aligned);
  CHECK(r2.aligned_dkim_domain == "example.com");
}

TEST_CASE("Appendix B.3.1 SMTP session example") {
  FakeResolver dns;
  dmarc(dns, "example.com", "v=DMARC1; p=reject; aspf=r; rua=mailto:dmarc-feedback@example.com");
  auto r = evaluate_dmarc(input("example.com", spf(Outcome::Pass, "mail.example.com"),
                                {dkim(Outcome::Pass, "example.com")}),
                          dns.as_lookup(), {});
  CHECK(r.result == Outcome::Pass);
  CHECK(r.spf_aligned);
  CHECK(r.dkim_aligned);
  CHECK(r.record == "v=DMARC1; p=reject; aspf=r; rua=mailto:dmarc-feedback@example.com");
  REQUIRE(r.parsed);
  CHECK(r.parsed->rua.size() == 1);
}

TEST_CASE("Appendix B.4 tree walk examples, evaluated") {
  SECTION("B.4.1") {
    FakeResolver dns;
    dmarc(dns, "example.com", "v=DMARC1; p=reject");
    dmarc(dns, "signing.example.com", "v=DMARC1; p=none");
    auto r = evaluate_dmarc(input("example.com", spf(Outcome::Pass, "example.com"),
                                  {dkim(Outcome::Pass, "signing.example.com")}),
                            dns.as_lookup(), {});
    CHECK(r.result == Outcome::Pass);
    CHECK(r.spf_alignment == "strict");
    CHECK(r.dkim_alignment == "relaxed");
    CHECK(r.policy_domain == "example.com");
  }
  SECTION("B.4.2 deep author domain") {
    FakeResolver dns;
    dmarc(dns, "example.com", "v=DMARC1; p=reject");
    dmarc(dns, "signing.example.com", "v=DMARC1; p=none");
    dns.add("a.b.c.d.e.f.g.h.i.j.k.example.com", RrType::A, "192.0.2.1");
    auto r =
        evaluate_dmarc(input("a.b.c.d.e.f.g.h.i.j.k.example.com", spf(Outcome::Fail, "example.com"),
                             {dkim(Outcome::Fail, "signing.example.com")}),
                       dns.as_lookup(), {});
    CHECK(r.result == Outcome::Fail);
    CHECK(r.policy_domain == "example.com");
    CHECK(r.organizational_domain == "example.com");
    CHECK(r.policy_tag == "p");  // no sp=: the p= policy for subdomains
    CHECK(r.requested_policy == RequestedPolicy::Reject);
    // with passes it aligns both ways
    auto p =
        evaluate_dmarc(input("a.b.c.d.e.f.g.h.i.j.k.example.com", spf(Outcome::Pass, "example.com"),
                             {dkim(Outcome::Pass, "signing.example.com")}),
                       dns.as_lookup(), {});
    CHECK(p.result == Outcome::Pass);
    CHECK(p.spf_alignment == "relaxed");
    CHECK(p.dkim_alignment == "relaxed");
  }
  SECTION("B.4.3 PSD record") {
    FakeResolver dns;
    dmarc(dns, "bank.example", "v=DMARC1; p=reject; psd=y");
    dmarc(dns, "giant.bank.example", "v=DMARC1; p=quarantine");
    auto r =
        evaluate_dmarc(input("giant.bank.example", spf(Outcome::Pass, "mail.giant.bank.example"),
                             {dkim(Outcome::Pass, "mail.mega.bank.example")}),
                       dns.as_lookup(), {});
    CHECK(r.result == Outcome::Pass);
    CHECK(r.spf_aligned);
    CHECK_FALSE(r.dkim_aligned);
    CHECK(r.organizational_domain == "giant.bank.example");
    CHECK(r.policy_domain == "giant.bank.example");
    auto f = evaluate_dmarc(input("giant.bank.example", spf(Outcome::Fail, "giant.bank.example"),
                                  {dkim(Outcome::Pass, "mail.mega.bank.example")}),
                            dns.as_lookup(), {});
    CHECK(f.result == Outcome::Fail);
    CHECK(f.requested_policy == RequestedPolicy::Quarantine);
  }
}

TEST_CASE("policy selection: p, sp, np (RFC 9989 §4.7, §4.10.1)") {
  FakeResolver dns;
  dmarc(dns, "all.example", "v=DMARC1; p=reject; sp=quarantine; np=none");
  dmarc(dns, "nosp.example", "v=DMARC1; p=reject; np=quarantine");
  dmarc(dns, "nonp.example", "v=DMARC1; p=reject; sp=none");
  dmarc(dns, "ponly.example", "v=DMARC1; p=quarantine");
  dmarc(dns, "bank.example", "v=DMARC1; p=none; np=reject; psd=y");
  dmarc(dns, "same.example", "v=DMARC1; p=reject; sp=quarantine; np=quarantine");
  for (const char* d : {"www.all.example", "www.nosp.example", "www.nonp.example",
                        "www.ponly.example", "real.bank.example", "www.same.example"})
    dns.add(d, RrType::A, "192.0.2.1");
  struct Case {
    const char* author;
    RequestedPolicy policy;
    const char* tag;
    std::optional<bool> exists;  // nullopt: no existence query needed
  };
  using P = RequestedPolicy;
  const Case cases[] = {
      {"all.example", P::Reject, "p", std::nullopt},
      {"www.all.example", P::Quarantine, "sp", true},
      {"ghost.all.example", P::None, "np", false},
      // np absent: non-existent subdomains get sp, then p (§4.7 np)
      {"www.nonp.example", P::None, "sp", std::nullopt},
      {"ghost.nonp.example", P::None, "sp", std::nullopt},
      // sp absent: existing subdomains get p; np still for non-existent ones
      {"www.nosp.example", P::Reject, "p", true},
      {"ghost.nosp.example", P::Quarantine, "np", false},
      {"ghost.ponly.example", P::Quarantine, "p", std::nullopt},
      // PSD record (psd=y) applied to a non-existent registration
      {"ghost.bank.example", P::Reject, "np", false},
      {"real.bank.example", P::None, "p", true},
      // sp and np ask the same: no need to know whether the domain exists
      {"ghost.same.example", P::Quarantine, "sp", std::nullopt},
  };
  for (const auto& c : cases) {
    INFO(c.author);
    auto r = evaluate_dmarc(input(c.author, spf(Outcome::Fail, c.author)), dns.as_lookup(), {});
    CHECK(r.result == Outcome::Fail);
    CHECK(r.requested_policy == c.policy);
    CHECK(r.policy_tag == c.tag);
    CHECK(r.author_domain_exists == c.exists);
    CHECK(r.np_applies == (std::string(c.tag) == "np"));
    CHECK(r.effective_policy == c.policy);
  }
}

TEST_CASE("t=y: testing, one level below (RFC 9989 §4.7 t)") {
  FakeResolver dns;
  dmarc(dns, "r.example", "v=DMARC1; p=reject; t=y");
  dmarc(dns, "q.example", "v=DMARC1; p=quarantine; t=y");
  dmarc(dns, "n.example", "v=DMARC1; p=none; t=y");
  struct Case {
    const char* author;
    RequestedPolicy requested, effective;
  };
  const Case cases[] = {
      {"r.example", RequestedPolicy::Reject, RequestedPolicy::Quarantine},
      {"q.example", RequestedPolicy::Quarantine, RequestedPolicy::None},
      {"n.example", RequestedPolicy::None, RequestedPolicy::None},
  };
  for (const auto& c : cases) {
    INFO(c.author);
    auto r = evaluate_dmarc(input(c.author, spf(Outcome::Fail, c.author)), dns.as_lookup(), {});
    CHECK(r.result == Outcome::Fail);
    CHECK(r.testing);
    CHECK(r.requested_policy == c.requested);
    CHECK(r.effective_policy == c.effective);
    CHECK_FALSE(r.sampled_out);
  }
  auto pass =
      evaluate_dmarc(input("r.example", spf(Outcome::Pass, "r.example")), dns.as_lookup(), {});
  CHECK(pass.testing);
  CHECK(pass.effective_policy == RequestedPolicy::None);
}

TEST_CASE("records without a valid p= (RFC 9989 §4.10.1)") {
  FakeResolver dns;
  dmarc(dns, "rua.example", "v=DMARC1; p=bogus; rua=mailto:d@rua.example");
  dmarc(dns, "norua.example", "v=DMARC1; p=bogus");
  dmarc(dns, "nop.example", "v=DMARC1; rua=mailto:d@nop.example");
  dmarc(dns, "badrua.example", "v=DMARC1; rua=d@badrua.example");
  dmarc(dns, "badsp.example", "v=DMARC1; p=reject; sp=never; rua=mailto:d@badsp.example");
  dmarc(dns, "badnp.example", "v=DMARC1; p=reject; np=never");
  struct Case {
    const char* author;
    Outcome result;
  };
  const Case cases[] = {
      {"rua.example", Outcome::Fail},       {"norua.example", Outcome::PermError},
      {"nop.example", Outcome::Fail},       {"badrua.example", Outcome::PermError},
      {"badsp.example", Outcome::Fail},     {"badnp.example", Outcome::PermError},
      {"www.badsp.example", Outcome::Fail},
  };
  for (const auto& c : cases) {
    INFO(c.author);
    auto r = evaluate_dmarc(input(c.author, spf(Outcome::Fail, c.author)), dns.as_lookup(), {});
    CHECK(r.result == c.result);
    CHECK_FALSE(r.errors.empty());
    if (c.result == Outcome::Fail) {
      CHECK(r.requested_policy == RequestedPolicy::None);  // acts as p=none
    }
  }
}

TEST_CASE("no record, no author domain") {
  FakeResolver dns;
  auto none =
      evaluate_dmarc(input("example.org", spf(Outcome::Pass, "example.org")), dns.as_lookup(), {});
  CHECK(none.evaluated);
  CHECK(none.result == Outcome::None);
  CHECK(none.policy_domain.empty());
  CHECK(none.organizational_domain == "example.org");
  CHECK_FALSE(none.reason.empty());

  for (const char* problem : {"multiple-from", "no-from", "multiple-addresses", "unparseable"}) {
    DmarcInput in{"", problem, spf(Outcome::Pass, "example.org"), {}};
    auto r = evaluate_dmarc(in, dns.as_lookup(), {});
    CHECK_FALSE(r.evaluated);
    CHECK(r.result == Outcome::None);
    CHECK(r.reason.find(problem) != std::string::npos);
  }
  CHECK(dns.queries.size() == 2);  // _dmarc.example.org and _dmarc.org only
}

TEST_CASE("DNS temperror paths (RFC 9989 §5.3.6)") {
  FakeResolver dns;
  dmarc(dns, "example.com", "v=DMARC1; p=reject; np=quarantine");
  dmarc(dns, "example.net", "v=DMARC1; p=reject");
  dns.fail("_dmarc.down.example", DnsStatus::TempFail);
  dns.fail("_dmarc.net", DnsStatus::TempFail);
  dns.fail("ghost.example.com", DnsStatus::TempFail);
  dns.fail("_dmarc.bad.example", DnsStatus::PermFail);

  SECTION("the policy record lookup fails") {
    auto r = evaluate_dmarc(input("down.example", spf(Outcome::Pass, "down.example")),
                            dns.as_lookup(), {});
    CHECK(r.result == Outcome::TempError);
    CHECK(r.evaluated);
    CHECK_FALSE(r.errors.empty());
    auto p = evaluate_dmarc(input("bad.example", spf(Outcome::Pass, "bad.example")),
                            dns.as_lookup(), {});
    CHECK(p.result == Outcome::PermError);
  }
  SECTION("relaxed alignment needs an org-domain walk that fails") {
    auto r = evaluate_dmarc(input("example.net", spf(Outcome::Pass, "mail.example.net")),
                            dns.as_lookup(), {});
    CHECK(r.result == Outcome::TempError);
    // an identical identifier needs no walk: pass regardless
    auto s = evaluate_dmarc(input("example.net", spf(Outcome::Pass, "mail.example.net"),
                                  {dkim(Outcome::Pass, "example.net")}),
                            dns.as_lookup(), {});
    CHECK(s.result == Outcome::Pass);
    CHECK(s.organizational_domain.empty());  // unknown, not needed
  }
  SECTION("existence of the author domain unknown: np or sp undecided") {
    auto r = evaluate_dmarc(input("ghost.example.com", spf(Outcome::Fail, "ghost.example.com")),
                            dns.as_lookup(), {});
    CHECK(r.result == Outcome::TempError);
    CHECK_FALSE(r.author_domain_exists);
  }
  SECTION("an aligned identifier whose check hit temperror") {
    auto r = evaluate_dmarc(input("example.com", spf(Outcome::TempError, "example.com"),
                                  {dkim(Outcome::Fail, "example.com")}),
                            dns.as_lookup(), {});
    CHECK(r.result == Outcome::TempError);
    auto k = evaluate_dmarc(input("example.com", spf(Outcome::Fail, "example.com"),
                                  {dkim(Outcome::TempError, "example.com")}),
                            dns.as_lookup(), {});
    CHECK(k.result == Outcome::TempError);
    // the temperror concerns an unaligned domain: it could not have passed DMARC
    auto u = evaluate_dmarc(input("example.com", spf(Outcome::TempError, "other.example"),
                                  {dkim(Outcome::TempError, "other.example")}),
                            dns.as_lookup(), {});
    CHECK(u.result == Outcome::Fail);
  }
}

TEST_CASE("RFC 7489 mode: PSL organizational domain, sp, pct sampling") {
  FakeResolver dns;
  dmarc(dns, "example.co.uk", "v=DMARC1; p=reject; sp=quarantine; np=none; pct=30");
  dmarc(dns, "bank.example", "v=DMARC1; p=reject; psd=y");
  dmarc(dns, "full.example", "v=DMARC1; p=reject");
  DmarcOptions o;
  o.mode = DmarcMode::Rfc7489;
  o.psl_org_domain = fake_psl;

  SECTION("relaxed alignment through the PSL") {
    auto r = evaluate_dmarc(input("example.co.uk", spf(Outcome::Pass, "bounce.example.co.uk")),
                            dns.as_lookup(), o);
    CHECK(r.result == Outcome::Pass);
    CHECK(r.spf_alignment == "relaxed");
    CHECK(r.discovery == "psl");
    CHECK(r.mode == "rfc7489");
    CHECK(r.organizational_domain == "example.co.uk");
    auto f = evaluate_dmarc(input("example.co.uk", spf(Outcome::Pass, "other.co.uk")),
                            dns.as_lookup(), o);
    CHECK(f.result == Outcome::Fail);
  }
  SECTION("subdomain: sp=, np= ignored, no existence query") {
    auto r = evaluate_dmarc(input("ghost.example.co.uk", spf(Outcome::Fail, "x.example")),
                            dns.as_lookup(), o);
    CHECK(r.policy_domain == "example.co.uk");
    CHECK(r.policy_tag == "sp");
    CHECK(r.requested_policy == RequestedPolicy::Quarantine);
    CHECK_FALSE(r.author_domain_exists);
    for (const auto& q : dns.queries) CHECK(q.second == RrType::TXT);
  }
  SECTION("no PSD policy in RFC 7489 mode") {
    auto r = evaluate_dmarc(input("ghost.bank.example", spf(Outcome::Fail, "x.example")),
                            dns.as_lookup(), o);
    CHECK(r.result == Outcome::None);
  }
  SECTION("pct sampling: (sample mod 100) < pct selects the message (§6.6.4)") {
    struct Case {
      uint32_t sample;
      bool sampled_out;
      RequestedPolicy effective;
    };
    const Case cases[] = {
        {0, false, RequestedPolicy::Reject},     {29, false, RequestedPolicy::Reject},
        {30, true, RequestedPolicy::Quarantine}, {99, true, RequestedPolicy::Quarantine},
        {129, false, RequestedPolicy::Reject},   {130, true, RequestedPolicy::Quarantine},
    };
    for (const auto& c : cases) {
      INFO(c.sample);
      o.sample = c.sample;
      auto r = evaluate_dmarc(input("example.co.uk", spf(Outcome::Fail, "example.co.uk")),
                              dns.as_lookup(), o);
      CHECK(r.result == Outcome::Fail);
      CHECK(r.requested_policy == RequestedPolicy::Reject);
      CHECK(r.sampled_out == c.sampled_out);
      CHECK(r.effective_policy == c.effective);
    }
    // a pass is never "sampled out"
    o.sample = 99;
    auto p = evaluate_dmarc(input("example.co.uk", spf(Outcome::Pass, "example.co.uk")),
                            dns.as_lookup(), o);
    CHECK_FALSE(p.sampled_out);
  }
  SECTION("pct is ignored in RFC 9989 mode") {
    DmarcOptions n;
    n.sample = 99;
    auto r = evaluate_dmarc(input("example.co.uk", spf(Outcome::Fail, "example.co.uk")),
                            dns.as_lookup(), n);
    CHECK_FALSE(r.sampled_out);
    CHECK(r.effective_policy == RequestedPolicy::Reject);
  }
  SECTION("without a PSL function: exact matches only, and an error noted") {
    DmarcOptions bare;
    bare.mode = DmarcMode::Rfc7489;
    auto r = evaluate_dmarc(input("full.example", spf(Outcome::Pass, "mail.full.example")),
                            dns.as_lookup(), bare);
    CHECK(r.result == Outcome::Fail);
    CHECK_FALSE(r.errors.empty());
  }
}

// Several author domains (RFC 9989 §11.5): dmarc_authors_test.cc.

TEST_CASE("lookups are logged and bounded") {
  FakeResolver dns;
  dmarc(dns, "example.com", "v=DMARC1; p=reject");
  auto r = evaluate_dmarc(input("example.com", spf(Outcome::Pass, "bounce.example.com"),
                                {dkim(Outcome::Pass, "example.com")}),
                          dns.as_lookup(), {});
  CHECK(r.result == Outcome::Pass);
  CHECK(r.dns_queries == static_cast<int>(dns.queries.size()));
  CHECK(r.lookups.size() == dns.queries.size());
  CHECK(r.lookups.front() == "_dmarc.example.com TXT: found");
}

TEST_CASE("t=y and pct sampling together: still one level below") {
  FakeResolver dns;
  dmarc(dns, "both.example", "v=DMARC1; p=reject; t=y; pct=10");
  DmarcOptions o;
  o.mode = DmarcMode::Rfc7489;
  o.psl_org_domain = fake_psl;
  o.sample = 50;
  auto r =
      evaluate_dmarc(input("both.example", spf(Outcome::Fail, "both.example")), dns.as_lookup(), o);
  CHECK(r.testing);
  CHECK(r.sampled_out);
  CHECK(r.effective_policy == RequestedPolicy::Quarantine);
}
