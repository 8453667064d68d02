// ARC (RFC 8617): chains sealed by ArcSealer validate in ArcVerifier; every way of
// breaking one (body, signed header, AAR, removed or reordered sets, cv=, keys, DNS)
// fails. dkimpy interop is in tests/integration/arc_interop.sh.
#include <catch2/catch.hpp>

#include "arc_test_support.h"
#include "auth/arc_fields.h"
#include "auth/arc_sealer.h"
#include "auth/arc_verifier.h"
#include "auth/dkim_crypto.h"
#include "auth/keygen.h"
#include "core/message.h"
#include "fakes/fake_resolver.h"

using namespace alignd;
using alignd::testing::FakeResolver;
using alignd::testing::make_key;
using alignd::testing::serialize;

namespace {

const char* kMessage =
    "From: Alice <alice@example.com>\r\n"
    "To: list@lists.example.org\r\n"
    "Subject: hello\r\n"
    "Date: Thu, 14 Jan 2026 15:00:01 -0800\r\n"
    "Message-ID: <1@example.com>\r\n"
    "\r\n"
    "Hey gang,\r\nThis is a test message.\r\n";

struct Sealer {
  SigningKey key;
};

// Seals `raw` as the next hop and returns the message with the new set on top.
std::string seal(const std::string& raw, const SigningKey& key, const std::string& cv,
                 const std::string& aar = "mx.example; dmarc=pass header.from=example.com") {
  ParsedMessage m = parse_message(raw);
  int instance = 1;
  for (const auto& f : read_arc_fields(m.headers))
    if (f.facts.instance && *f.facts.instance >= instance) instance = *f.facts.instance + 1;
  ArcSealer s(key);
  for (size_t i = 0; i < m.body.size(); i += 5) s.body(std::string_view(m.body).substr(i, 5));
  ArcSealRequest req;
  req.instance = instance;
  req.cv = cv;
  req.aar_payload = aar;
  req.now = 1767225600;
  std::string err;
  auto set = s.finish(m.headers, req, err);
  INFO(err);
  REQUIRE(set);
  m.headers.insert(m.headers.begin(), set->begin(), set->end());
  return serialize(m);
}

ArcResult verify(FakeResolver& dns, const std::string& raw, size_t chunk = 7) {
  ParsedMessage m = parse_message(raw);
  ArcVerifier v(dns, 1767225600);
  for (const auto& h : m.headers) v.header(h);
  v.end_of_headers();
  for (size_t i = 0; i < m.body.size(); i += chunk)
    v.body(std::string_view(m.body).substr(i, chunk));
  return v.finish();
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto p = s.find(from);
  REQUIRE(p != std::string::npos);
  return s.replace(p, from.size(), to);
}

struct Fixture {
  FakeResolver dns;
  SigningKey a = make_key("lists.example.org", "s1", dns);
  SigningKey b = make_key("fwd.example.net", "s2", dns);
  SigningKey c = make_key("mx.example.com", "s3", dns);
  std::string one = seal(kMessage, a, "none");
  std::string three = seal(seal(one, b, "pass", "fwd.example.net; arc=pass"), c, "pass",
                           "mx.example.com; arc=pass");
};

}  // namespace

TEST_CASE("arc: a message without ARC fields is none") {
  FakeResolver dns;
  ArcResult r = verify(dns, kMessage);
  CHECK(r.checked);
  CHECK(r.status == Outcome::None);
  CHECK(dns.queries.empty());
}

TEST_CASE("arc: sealed chains of 1 and 3 hops pass, with sealers and oldest-pass") {
  Fixture fx;
  ArcResult r = verify(fx.dns, fx.one);
  INFO(r.reason);
  CHECK(r.status == Outcome::Pass);
  CHECK(r.oldest_pass == 0);
  REQUIRE(r.sets.size() == 1);
  CHECK(r.sets[0].seal_domain == "lists.example.org");
  CHECK(r.sets[0].aar.dmarc == "pass");
  CHECK(r.sets[0].aar.dmarc_from == "example.com");

  for (size_t chunk : {1, 3, 64, 100000}) {
    r = verify(fx.dns, fx.three, chunk);
    INFO(r.reason);
    CHECK(r.status == Outcome::Pass);
    CHECK(r.oldest_pass == 0);
    REQUIRE(r.sets.size() == 3);
    CHECK(r.sets[2].seal_domain == "mx.example.com");
    CHECK(r.sets[1].aar.authserv_id == "fwd.example.net");
  }
  // A signed header changed after hop 1 but before hop 2: oldest-pass = 2.
  std::string mid = replace(fx.one, "Subject: hello", "Subject: [list] hello");
  mid = seal(mid, fx.b, "pass");
  r = verify(fx.dns, mid);
  CHECK(r.status == Outcome::Pass);
  CHECK(r.oldest_pass == 2);
  CHECK(r.sets[0].ams_checked);
  CHECK_FALSE(r.sets[0].ams_pass);
}

TEST_CASE("arc: tampering fails the chain (RFC 8617 §5.2)") {
  Fixture fx;
  struct Case {
    const char* name;
    std::function<std::string(const Fixture&)> make;
    const char* reason_has;
  };
  const Case cases[] = {
      {"body changed",
       [](const Fixture& f) { return replace(f.three, "test message", "text message"); },
       "ARC-Message-Signature i=3: body hash"},
      {"signed header changed",
       [](const Fixture& f) { return replace(f.three, "Subject: hello", "Subject: hullo"); },
       "ARC-Message-Signature i=3: signature did not verify"},
      {"AAR of instance 2 changed",
       [](const Fixture& f) {
         return replace(f.three, "fwd.example.net; arc=pass", "fwd.example.net; arc=fail");
       },
       "ARC-Seal i=3: signature"},
      {"newest set removed",
       [](const Fixture& f) {
         ParsedMessage m = parse_message(f.three);
         m.headers.erase(m.headers.begin(), m.headers.begin() + 3);
         // now a 2-hop chain whose newest seal is intact: still passes, checked below
         m.headers.erase(m.headers.begin() + 1);  // and drop AMS i=2
         return serialize(m);
       },
       "i=2 has no ARC-Message-Signature"},
      {"middle set removed",
       [](const Fixture& f) {
         ParsedMessage m = parse_message(f.three);
         m.headers.erase(m.headers.begin() + 3, m.headers.begin() + 6);
         return serialize(m);
       },
       "i=2 has no"},
      {"instances renumbered (1 and 2 swapped)",
       [](const Fixture& f) {
         std::string s = f.three;
         for (const char* n :
              {"ARC-Seal: i=", "ARC-Message-Signature: i=", "ARC-Authentication-Results: i="}) {
           s = replace(s, std::string(n) + "2", std::string(n) + "X");
           s = replace(s, std::string(n) + "1", std::string(n) + "2");
           s = replace(s, std::string(n) + "X", std::string(n) + "1");
         }
         return s;
       },
       "cv="},
      {"newest seal cv=fail",
       [](const Fixture& f) { return replace(f.three, "cv=pass", "cv=fail"); }, "cv=fail"},
      {"a fresh seal over a failed chain",
       [](const Fixture& f) {
         return seal(replace(f.one, "test message", "spam message"), f.b, "fail");
       },
       "cv=fail"},
      {"seal key revoked",
       [](const Fixture& f) {
         std::string s = replace(f.three, "s=s3", "s=gone");
         return s;
       },
       "no key"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    ArcResult r = verify(fx.dns, c.make(fx));
    INFO(r.reason);
    CHECK(r.status == Outcome::Fail);
    CHECK(r.reason.find(c.reason_has) != std::string::npos);
  }
}

TEST_CASE("arc: DNS failures and weak keys are fail (RFC 8617 §5.2.1, RFC 8301)") {
  Fixture fx;
  fx.dns.fail("s1._domainkey.lists.example.org.", DnsStatus::TempFail);
  ArcResult r = verify(fx.dns, fx.one);
  CHECK(r.status == Outcome::Fail);
  CHECK(r.reason.find("temporarily") != std::string::npos);

  // generate_key refuses 512 bits; this is tests/data/dkim/rsa512.key's record.
  CHECK(parse_key_record("v=DKIM1; k=rsa; "
                         "p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALyN/"
                         "ZIOuOJ8l0jqxOENWM6NBviaTPLdOawOMI4uMKYcK5CqZ6yOLg9N4KmExktY50FcOv4KMsBH+"
                         "gNrJAPuzrcCAwEAAQ==")
            .reason.find("RFC 8301") != std::string::npos);
  CHECK(parse_key_record("v=DKIM1; k=rsa; p=").reason.find("revoked") != std::string::npos);
  CHECK(parse_key_record("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
            .outcome == Outcome::PermError);
  CHECK(parse_key_record("k=rsa; v=DKIM1; p=x").reason.find("v=") != std::string::npos);
}

TEST_CASE("arc: strip_b_value empties only b=") {
  CHECK(strip_b_value(" i=1; a=rsa-sha256; bh=abc=; b=xyz\r\n\tdef") ==
        " i=1; a=rsa-sha256; bh=abc=; b=");
  CHECK(strip_b_value(" b = x y ; d=a") == " b =; d=a");
  CHECK(strip_b_value("d=a") == "d=a");
}

TEST_CASE("arc sealer: fields, instance limits, cv=fail scope") {
  Fixture fx;
  ParsedMessage m = parse_message(fx.three);
  CHECK(m.headers[0].name == "ARC-Seal");
  CHECK(m.headers[0].value.find("i=3; a=rsa-sha256; cv=pass; d=mx.example.com; s=s3;") !=
        std::string::npos);
  CHECK(m.headers[1].name == "ARC-Message-Signature");
  CHECK(m.headers[2].value.rfind(" i=3; mx.example.com; arc=pass", 0) == 0);
  for (const auto& h : m.headers)
    for (auto line : split(h.name + ":" + h.value, '\n')) CHECK(line.size() <= 79);

  ArcSealer s(fx.a);
  std::string err;
  ArcSealRequest req;
  req.instance = 51;
  CHECK_FALSE(s.finish(m.headers, req, err));
  req.instance = 2;  // the message has 3 sets: the chain does not end at 1
  req.cv = "pass";
  CHECK_FALSE(ArcSealer(fx.a).finish(m.headers, req, err));
  CHECK(err.find("not intact") != std::string::npos);

  SigningKey ed = fx.a;
  ed.algorithm = "ed25519-sha256";
  CHECK_FALSE(ArcSealer(ed).finish(m.headers, req, err));
  CHECK(err.find("RSA") != std::string::npos);

  CHECK(arc_signed_headers({{"From", " a@b"}, {"DKIM-Signature", " v=1"}}).back() ==
        "dkim-signature");
}

TEST_CASE("arc: hostile input stays bounded (long tag values, many l= values)") {
  Fixture fx;
  std::string big(5000, 'x');
  ArcResult r = verify(fx.dns, replace(fx.one, "a=rsa-sha256; c=", "a=" + big + "; c="));
  CHECK(r.status == Outcome::Fail);
  CHECK(r.reason.size() < 200);
  r = verify(fx.dns, replace(fx.one, "cv=none", "cv=" + big));
  CHECK(r.status == Outcome::Fail);
  CHECK(r.reason.size() < 200);
}
