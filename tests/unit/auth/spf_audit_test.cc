// auth/spf_audit: check-domain's SPF findings over a FakeResolver (RFC 7208
// §4.6.4 limits, §5.1 all, §4.5 one record).
#include <catch2/catch.hpp>

#include "auth/spf_audit.h"
#include "fakes/fake_resolver.h"

using namespace alignd;
using namespace alignd::testing;

namespace {

bool says(const Findings& f, Severity s, const std::string& text) {
  for (const auto& x : f)
    if (x.severity == s && x.message.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("spf audit: findings per record", "[spf_audit]") {
  FakeResolver dns{
      {"good.example.", RrType::TXT, "v=spf1 ip4:192.0.2.0/24 include:_spf.good.example -all"},
      {"_spf.good.example.", RrType::TXT, "v=spf1 a:mail.good.example ~all"},
      {"mail.good.example.", RrType::A, "192.0.2.1"},
      {"open.example.", RrType::TXT, "v=spf1 +all"},
      {"bare.example.", RrType::TXT, "v=spf1 all"},
      {"noall.example.", RrType::TXT, "v=spf1 ip4:192.0.2.1"},
      {"two.example.", RrType::TXT, "v=spf1 -all"},
      {"two.example.", RrType::TXT, "v=spf1 ~all"},
      {"bad.example.", RrType::TXT, "v=spf1 ip4:192.0.2.300 -all"},
      {"void.example.", RrType::TXT,
       "v=spf1 a:nx1.void.example a:nx2.void.example mx:nx3.void.example -all"},
      {"missing.example.", RrType::TXT, "v=spf1 include:nospf.example -all"},
      {"redir.example.", RrType::TXT, "v=spf1 redirect=good.example"},
  };
  // 11 includes: one over the limit.
  std::string many = "v=spf1";
  for (int i = 0; i < 11; ++i) {
    many += " include:i" + std::to_string(i) + ".many.example";
    dns.add("i" + std::to_string(i) + ".many.example.", RrType::TXT, "v=spf1 -all");
  }
  dns.add("many.example.", RrType::TXT, many + " -all");

  struct Case {
    const char* domain;
    Severity severity;
    const char* says;
    int terms;
  } cases[] = {
      {"good.example", Severity::Ok, "2 DNS-querying terms", 2},
      {"open.example", Severity::Error, "lets every host", 0},
      {"bare.example", Severity::Error, "lets every host", 0},
      {"noall.example", Severity::Warning, "no \"all\"", 0},
      {"two.example", Severity::Error, "2 SPF records", 0},
      {"bad.example", Severity::Error, "syntax", 0},
      {"void.example", Severity::Error, "3 void lookups", 3},
      {"missing.example", Severity::Error, "nospf.example has no SPF record", 1},
      {"many.example", Severity::Error, "11 DNS-querying terms", 11},
      {"none.example", Severity::Warning, "no SPF record at none.example", 0},
      {"redir.example", Severity::Ok, "3 DNS-querying terms", 3},
  };
  for (const auto& c : cases) {
    INFO(c.domain);
    SpfAudit a = audit_spf(c.domain, dns.as_lookup());
    for (const auto& f : a.findings)
      UNSCOPED_INFO(std::string(to_string(f.severity)) + " " + f.message);
    CHECK(says(a.findings, c.severity, c.says));
    CHECK(a.dns_terms == c.terms);
  }
  CHECK_FALSE(has_problems(audit_spf("good.example", dns.as_lookup()).findings));
}
