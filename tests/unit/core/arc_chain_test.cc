// ARC chain structure (RFC 8617 §5.2 steps 1-3), AAR reading (§4.1.1) and the
// trusted-sealer decision (core/arc/trust.h), table-driven.
#include <catch2/catch.hpp>

#include "core/arc/aar.h"
#include "core/arc/chain.h"
#include "core/arc/trust.h"

using namespace alignd;

namespace {

using K = ArcFieldKind;

ArcFieldFacts f(K kind, int i, std::string cv = "") {
  ArcFieldFacts x;
  x.kind = kind;
  x.instance = i;
  x.cv = std::move(cv);
  return x;
}

// A well-formed chain of n sets, newest first as on the wire.
std::vector<ArcFieldFacts> chain(int n) {
  std::vector<ArcFieldFacts> out;
  for (int i = n; i >= 1; --i) {
    out.push_back(f(K::Seal, i, i == 1 ? "none" : "pass"));
    out.push_back(f(K::Ams, i));
    out.push_back(f(K::Aar, i));
  }
  return out;
}

}  // namespace

TEST_CASE("arc structure: RFC 8617 §5.2 steps 1-3") {
  struct Case {
    const char* name;
    std::function<std::vector<ArcFieldFacts>()> make;
    Outcome want;
    const char* reason_has;
  };
  const Case cases[] = {
      {"no ARC fields: none", [] { return std::vector<ArcFieldFacts>{}; }, Outcome::None, ""},
      {"one set", [] { return chain(1); }, Outcome::Pass, ""},
      {"three sets", [] { return chain(3); }, Outcome::Pass, ""},
      {"fifty sets", [] { return chain(50); }, Outcome::Pass, ""},
      {"fifty-one sets", [] { return chain(51); }, Outcome::Fail, "more than 50"},
      {"missing instance",
       [] {
         auto c = chain(2);
         c[1].instance.reset();
         return c;
       },
       Outcome::Fail, "without a valid instance"},
      {"gap: sets 1 and 3",
       [] {
         auto c = chain(3);
         c.erase(c.begin() + 3, c.begin() + 6);  // drop instance 2
         return c;
       },
       Outcome::Fail, "i=2 has no"},
      {"removed newest AAR",
       [] {
         auto c = chain(2);
         c.erase(c.begin() + 2);
         return c;
       },
       Outcome::Fail, "i=2 has no ARC-Authentication-Results"},
      {"duplicate AMS",
       [] {
         auto c = chain(2);
         c.push_back(f(K::Ams, 1));
         return c;
       },
       Outcome::Fail, "more than one ARC-Message-Signature with i=1"},
      {"newest cv=fail",
       [] {
         auto c = chain(2);
         c[0].cv = "fail";
         return c;
       },
       Outcome::Fail, "cv=fail"},
      {"cv=pass at i=1",
       [] {
         auto c = chain(1);
         c[0].cv = "pass";
         return c;
       },
       Outcome::Fail, "must be none"},
      {"cv=none at i=2",
       [] {
         auto c = chain(2);
         c[0].cv = "none";
         return c;
       },
       Outcome::Fail, "must be pass"},
      {"older cv=fail",
       [] {
         auto c = chain(3);
         c[3].cv = "fail";
         return c;
       },
       Outcome::Fail, "i=2 has cv=fail"},
      {"h= in an ARC-Seal",
       [] {
         auto c = chain(1);
         c[0].has_h = true;
         return c;
       },
       Outcome::Fail, "h= tag"},
      {"order on the wire does not matter",
       [] {
         auto c = chain(3);
         std::reverse(c.begin(), c.end());
         return c;
       },
       Outcome::Pass, ""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    ArcStructure s = check_arc_structure(c.make());
    CHECK(s.status == c.want);
    CHECK(s.reason.find(c.reason_has) != std::string::npos);
    if (s.status == Outcome::Pass) CHECK(s.sets.size() == static_cast<size_t>(s.max_instance));
  }
  CHECK(check_arc_structure([] {
          auto c = chain(2);
          c[0].cv = "fail";
          return c;
        }())
            .latest_cv_fail);
}

TEST_CASE("arc instance tag values (RFC 8617 §4.2.1)") {
  struct Case {
    const char* text;
    std::optional<int> want;
  };
  const Case cases[] = {{"1", 1},
                        {"50", 50},
                        {"51", 51},
                        {"0", std::nullopt},
                        {"01", std::nullopt},
                        {"", std::nullopt},
                        {"-1", std::nullopt},
                        {"1a", std::nullopt},
                        {"1000", std::nullopt}};
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(parse_arc_instance(c.text) == c.want);
  }
}

TEST_CASE("ARC-Authentication-Results reading (RFC 8617 §4.1.1, Appendix B)") {
  ArcAarInfo a = parse_aar(
      " i=1; lists.example.org; spf=pass\r\n    smtp.mfrom=jqd@d1.example; dkim=pass (512-bit "
      "key)\r\n"
      "    header.i=@d1.example; dmarc=pass");
  CHECK(a.authserv_id == "lists.example.org");
  CHECK(a.dmarc == "pass");
  CHECK(a.dmarc_from.empty());
  CHECK(a.spf == std::vector<std::string>{"pass"});
  CHECK(a.dkim == std::vector<std::string>{"pass"});

  a = parse_aar(
      " i=2; mx.lists.example.org; dmarc=PASS header.from=Example.COM; dkim=fail; dkim=pass");
  CHECK(a.dmarc == "pass");
  CHECK(a.dmarc_from == "example.com");
  CHECK(a.dkim == std::vector<std::string>{"fail", "pass"});

  struct Bad {
    const char* v;
  };
  for (const char* v :
       {"lists.example.org; dmarc=pass", " i=; x; dmarc=pass", " i=1 x; dmarc=pass", " i=1", ""}) {
    INFO(v);
    CHECK(parse_aar(v).dmarc.empty());
  }
  CHECK(aar_instance_digits(" i = 7 ;x") == "7");
}

namespace {

ArcResult passing_chain(std::vector<std::pair<std::string, std::string>> sealers_and_dmarc) {
  ArcResult r;
  r.checked = true;
  r.status = Outcome::Pass;
  int i = 0;
  for (auto& [sealer, dmarc] : sealers_and_dmarc) {
    ArcSetInfo s;
    s.instance = ++i;
    s.seal_domain = sealer;
    if (!dmarc.empty()) {
      s.aar.dmarc = "pass";
      s.aar.dmarc_from = dmarc;
    }
    r.sets.push_back(s);
  }
  r.max_instance = i;
  return r;
}

}  // namespace

TEST_CASE("arc trust: the newest seals trusted, a trusted AAR recorded dmarc=pass for the author") {
  const std::vector<std::string> trusted = {"lists.example.org", "Fwd.Example.NET."};
  struct Case {
    const char* name;
    ArcResult chain;
    const char* author;
    bool sealer, pass;
    int instance;
  };
  auto failed = passing_chain({{"lists.example.org", "example.com"}});
  failed.status = Outcome::Fail;
  const Case cases[] = {
      {"one trusted hop that saw dmarc=pass", passing_chain({{"lists.example.org", "example.com"}}),
       "example.com", true, true, 1},
      {"author domain differs", passing_chain({{"lists.example.org", "example.com"}}),
       "evil.example", true, false, 0},
      {"no author domain", passing_chain({{"lists.example.org", "example.com"}}), "", true, false,
       0},
      {"chain failed", failed, "example.com", false, false, 0},
      {"untrusted sealer", passing_chain({{"other.example", "example.com"}}), "example.com", false,
       false, 0},
      {"trusted newest, untrusted hop recorded the pass",
       passing_chain({{"evil.example", "example.com"}, {"lists.example.org", ""}}), "example.com",
       true, false, 0},
      {"untrusted newest hides a trusted pass",
       passing_chain({{"lists.example.org", "example.com"}, {"evil.example", ""}}), "example.com",
       false, false, 0},
      {"two trusted hops, the older saw the pass",
       passing_chain({{"lists.example.org", "example.com"}, {"fwd.example.net", ""}}),
       "example.com", true, true, 1},
      {"untrusted first hop, trusted pass above it",
       passing_chain(
           {{"origin.example", ""}, {"lists.example.org", "example.com"}, {"fwd.example.net", ""}}),
       "EXAMPLE.com.", true, true, 2},
      {"subdomain of a trusted sealer is not trusted",
       passing_chain({{"x.lists.example.org", "example.com"}}), "example.com", false, false, 0},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    ArcResult r = c.chain;
    apply_arc_trust(r, trusted, c.author);
    CHECK(r.trusted_sealer == c.sealer);
    CHECK(r.trusted_pass == c.pass);
    CHECK(r.trusted_instance == c.instance);
  }
}
