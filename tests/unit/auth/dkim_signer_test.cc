// DkimSigner: RSA and Ed25519 signatures that our verifier accepts, dual signing,
// oversigning, t=/x=, canonicalization choices, chunking, field shape, key errors,
// already_signed(), and a hidden 1000-message loop for the valgrind leak check.
#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "auth/dkim_signer.h"
#include "auth/dkim_tags.h"
#include "auth/keygen.h"
#include "fakes/fake_resolver.h"
#include "unit/auth/dkim_test_support.h"

using namespace alignd;
using namespace alignd::testing;

namespace {

SigningKey rfc8463_key(const std::string& file, const std::string& selector) {
  std::string tmp = "/tmp/alignd-dkim-signer-" + selector + ".key";
  {
    std::ofstream out(tmp);
    out << read_data(file);
  }
  ::chmod(tmp.c_str(), 0600);
  SigningKeyConfig c;
  c.domain = "football.example.com";
  c.selector = selector;
  c.key_file = tmp;
  SigningKey k = load_signing_key(c, false);
  std::remove(tmp.c_str());
  return k;
}

void publish(FakeResolver& dns, const std::vector<const SigningKey*>& keys) {
  for (const auto* k : keys) {
    KeyType t = k->algorithm == "rsa-sha256" ? KeyType::Rsa : KeyType::Ed25519;
    dns.add(k->selector + "._domainkey." + k->domain + ".", RrType::TXT,
            dkim_key_record(t, public_key_b64(k->private_key)));
  }
}

const std::string kMessage =
    "From: Joe SixPack <joe@football.example.com>\r\n"
    "To: Suzie Q <suzie@shopping.example.net>\r\n"
    "Subject: Is dinner ready?\r\n"
    "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
    "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
    "X-Unsigned: whatever\r\n"
    "\r\n"
    "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n";

}  // namespace

TEST_CASE("sign with RSA and Ed25519 together; both verify") {
  DkimContext lib;
  SigningKey ed = rfc8463_key("rfc8463-ed25519.key", "brisbane");
  SigningKey rsa = rfc8463_key("rfc8463-rsa.key", "test");
  CHECK(ed.algorithm == "ed25519-sha256");
  CHECK(rsa.algorithm == "rsa-sha256");
  std::vector<const SigningKey*> keys{&rsa, &ed};
  FakeResolver dns;
  publish(dns, keys);

  std::vector<std::string> errors;
  auto sigs = sign_message(lib, keys, kMessage, {}, &errors);
  CHECK(errors.empty());
  REQUIRE(sigs.size() == 2);
  CHECK_THAT(sigs[0], Catch::Contains("a=rsa-sha256"));
  CHECK_THAT(sigs[1], Catch::Contains("a=ed25519-sha256"));
  for (const auto& s : sigs) {
    CHECK_THAT(s, Catch::Contains("c=relaxed/relaxed"));
    CHECK_THAT(s, Catch::Contains("d=football.example.com"));
    for (size_t p = s.find('\n'); p != std::string::npos; p = s.find('\n', p + 1))
      CHECK(s[p - 1] == '\r');  // CRLF folding only
  }

  std::string signed_msg = prepend_signatures(sigs, kMessage);
  auto r = verify_message(lib, dns, signed_msg);
  REQUIRE(r.size() == 2);
  CHECK(r[0].result == Outcome::Pass);
  CHECK(r[0].selector == "test");
  CHECK(r[1].result == Outcome::Pass);
  CHECK(r[1].selector == "brisbane");

  SECTION("a tampered copy fails both") {
    std::string t = signed_msg;
    t.replace(t.find("hungry"), 6, "HUNGRY");
    for (const auto& x : verify_message(lib, dns, t)) CHECK(x.result == Outcome::Fail);
  }
  SECTION("an added From (oversigned) fails both") {
    std::string t = signed_msg + "";
    auto p = t.find("X-Unsigned:");
    t.insert(p, "From: Mallory <m@evil.example>\r\n");
    for (const auto& x : verify_message(lib, dns, t)) CHECK(x.result == Outcome::Fail);
  }
  SECTION("a changed unsigned field keeps both passing") {
    std::string t = signed_msg;
    t.replace(t.find("whatever"), 8, "changed");
    for (const auto& x : verify_message(lib, dns, t)) CHECK(x.result == Outcome::Pass);
  }
}

TEST_CASE("h= oversigns From, To, Subject, Date, Message-ID, Cc, Reply-To and MIME fields") {
  DkimContext lib;
  SigningKey ed = rfc8463_key("rfc8463-ed25519.key", "brisbane");
  auto sigs = sign_message(lib, {&ed}, kMessage);
  REQUIRE(sigs.size() == 1);
  std::string h = to_lower(dkim_tag(sigs[0], "h").value_or(""));
  auto count = [&](const std::string& name) {
    int n = 0;
    for (auto f : split(h, ':'))
      if (f == name) ++n;
    return n;
  };
  CHECK(count("from") == 2);
  CHECK(count("to") == 2);
  CHECK(count("subject") == 2);
  CHECK(count("date") == 2);
  CHECK(count("message-id") == 2);
  CHECK(count("cc") >= 1);
  CHECK(count("reply-to") >= 1);
  CHECK(count("mime-version") >= 1);
  CHECK(count("content-type") >= 1);
  CHECK(count("content-transfer-encoding") >= 1);
  CHECK(count("x-unsigned") == 0);
}

TEST_CASE("t= from the library clock, x= when a TTL is configured") {
  DkimContext::Options o;
  o.fixed_time = 1528637909;
  o.signature_ttl_s = 86400;
  DkimContext lib(o);
  SigningKey ed = rfc8463_key("rfc8463-ed25519.key", "brisbane");
  auto sigs = sign_message(lib, {&ed}, kMessage);
  REQUIRE(sigs.size() == 1);
  CHECK(dkim_tag(sigs[0], "t") == "1528637909");
  CHECK(dkim_tag(sigs[0], "x") == std::to_string(1528637909 + 86400));
  // That signature expired long ago: our verifier says fail.
  FakeResolver dns;
  publish(dns, {&ed});
  auto r = verify_message(lib, dns, prepend_signatures(sigs, kMessage));
  REQUIRE(r.size() == 1);
  CHECK(r[0].result == Outcome::Fail);
  CHECK_THAT(r[0].reason, Catch::Contains("expired"));

  DkimContext plain;
  auto s2 = sign_message(plain, {&ed}, kMessage);
  REQUIRE(s2.size() == 1);
  CHECK(dkim_tag(s2[0], "t").has_value());
  CHECK_FALSE(dkim_tag(s2[0], "x").has_value());
}

TEST_CASE("canonicalization options, RSA and Ed25519") {
  DkimContext lib;
  SigningKey rsa = rfc8463_key("rfc8463-rsa.key", "test");
  SigningKey ed = rfc8463_key("rfc8463-ed25519.key", "brisbane");
  FakeResolver dns;
  publish(dns, {&rsa, &ed});
  struct Case {
    const char* option;
    const char* c_tag;
  } cases[] = {{"relaxed/relaxed", "relaxed/relaxed"},
               {"simple/simple", "simple/simple"},
               {"relaxed/simple", "relaxed/simple"},
               {"simple/relaxed", "simple/relaxed"},
               {"bogus", "relaxed/relaxed"}};
  for (const auto& c : cases) {
    INFO(c.option);
    SignOptions o;
    o.canonicalization = c.option;
    auto sigs = sign_message(lib, {&rsa, &ed}, kMessage, o);
    REQUIRE(sigs.size() == 2);
    for (const auto& sig : sigs) {
      auto tag = dkim_tag(sig, "c").value_or("");
      CHECK((tag == c.c_tag || (std::string(c.c_tag) == "simple/simple" && tag == "simple")));
    }
    auto r = verify_message(lib, dns, prepend_signatures(sigs, kMessage));
    REQUIRE(r.size() == 2);
    CHECK(r[0].result == Outcome::Pass);
    CHECK(r[1].result == Outcome::Pass);
  }
}

TEST_CASE("edge bodies: empty, trailing whitespace, long folded header, 8-bit, 1 MB") {
  DkimContext lib;
  SigningKey ed = rfc8463_key("rfc8463-ed25519.key", "brisbane");
  SigningKey rsa = rfc8463_key("rfc8463-rsa.key", "test");
  FakeResolver dns;
  publish(dns, {&ed, &rsa});
  const std::string head = "From: joe@football.example.com\r\nSubject: t\r\n";
  std::string big;
  for (int i = 0; big.size() < 1024 * 1024; ++i)
    big += "line " + std::to_string(i) + " of a big body\r\n";
  struct Case {
    const char* name;
    std::string msg;
  } cases[] = {
      {"empty body", head + "\r\n"},
      {"no body at all", head},
      {"trailing whitespace", head + "\r\nline  \t\r\n\r\n\r\n"},
      {"long folded header", "Subject: " + std::string(300, 'x') + "\r\n\t" +
                                 std::string(300, 'y') + "\r\n" + head + "\r\nbody\r\n"},
      {"8-bit", head + "\r\nGr\xc3\xbc\xc3\x9f"
                       "e \xff\xfe\r\n"},
      {"1 MB", head + "\r\n" + big},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::vector<std::string> errors;
    auto sigs = sign_message(lib, {&ed, &rsa}, c.msg, {}, &errors);
    CHECK(errors.empty());
    REQUIRE(sigs.size() == 2);
    auto r = verify_message(lib, dns, prepend_signatures(sigs, c.msg), 5, 65536);
    REQUIRE(r.size() == 2);
    CHECK(r[0].result == Outcome::Pass);
    CHECK(r[1].result == Outcome::Pass);
  }
}

TEST_CASE("a message without From cannot be signed; the error says why") {
  DkimContext lib;
  SigningKey ed = rfc8463_key("rfc8463-ed25519.key", "brisbane");
  std::vector<std::string> errors;
  auto sigs = sign_message(lib, {&ed}, "Subject: no from\r\n\r\nx\r\n", {}, &errors);
  CHECK(sigs.empty());
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Catch::Contains("brisbane._domainkey.football.example.com"));
}

TEST_CASE("already_signed matches d= and s= of an existing signature") {
  HeaderList h{{"DKIM-Signature", " v=1; a=rsa-sha256; d=Example.COM;\r\n\ts=s1; b=abc"},
               {"From", " a@example.com"}};
  struct Case {
    const char* d;
    const char* s;
    bool expected;
  } cases[] = {{"example.com", "s1", true},
               {"example.com.", "S1", true},
               {"example.com", "s2", false},
               {"other.example", "s1", false}};
  for (const auto& c : cases) CHECK(already_signed(h, c.d, c.s) == c.expected);
  CHECK_FALSE(already_signed({{"From", " a@example.com"}}, "example.com", "s1"));
}

TEST_CASE("any chunking gives the same signatures, CRLF split across chunks included") {
  DkimContext::Options o;
  o.fixed_time = 1700000000;  // RSA PKCS#1 v1.5 and Ed25519 are deterministic
  DkimContext lib(o);
  SigningKey rsa = rfc8463_key("rfc8463-rsa.key", "test");
  SigningKey ed = rfc8463_key("rfc8463-ed25519.key", "brisbane");
  FakeResolver dns;
  publish(dns, {&rsa, &ed});
  const std::string msg = kMessage + "trailing  \t \r\n \r\n\r\n\r\n";
  ParsedMessage m = parse_message(msg);
  for (const char* canon :
       {"relaxed/relaxed", "simple/simple", "relaxed/simple", "simple/relaxed"}) {
    INFO(canon);
    SignOptions so;
    so.canonicalization = canon;
    auto reference = sign_message(lib, {&rsa, &ed}, msg, so);
    REQUIRE(reference.size() == 2);
    auto r = verify_message(lib, dns, prepend_signatures(reference, msg), 5, 1);
    REQUIRE(r.size() == 2);
    CHECK(r[0].result == Outcome::Pass);
    CHECK(r[1].result == Outcome::Pass);
    for (size_t chunk : {1u, 2u, 3u, 7u, 64u, 100000u}) {
      INFO("chunk " << chunk);
      DkimSigner s(lib, {&rsa, &ed}, so);
      for (const auto& h : m.headers) s.header(h);
      s.end_of_headers();
      for (size_t i = 0; i < m.body.size(); i += chunk)
        s.body(std::string_view(m.body).substr(i, chunk));
      CHECK(s.finish() == reference);
      CHECK(s.errors().empty());
    }
  }
}

TEST_CASE("the field: no i=, l=, z=; b= last; folded with CRLF + TAB within 78 columns") {
  DkimContext lib;
  SigningKey rsa = rfc8463_key("rfc8463-rsa.key", "test");
  SigningKey ed = rfc8463_key("rfc8463-ed25519.key", "brisbane");
  for (const char* canon : {"relaxed/relaxed", "simple/simple"}) {
    SignOptions so;
    so.canonicalization = canon;
    for (const auto& sig : sign_message(lib, {&rsa, &ed}, kMessage, so)) {
      INFO(sig);
      auto tags = parse_dkim_tags(sig);
      REQUIRE_FALSE(tags.empty());
      CHECK(tags.back().first == "b");
      for (const auto& [n, v] : tags) {
        CHECK(n != "i");
        CHECK(n != "l");
        CHECK(n != "z");
      }
      std::string field = "DKIM-Signature: " + sig;
      for (auto line : split(field, '\n')) {
        size_t col = 0;
        for (char c : line)
          if (c != '\r') col = c == '\t' ? (col / 8 + 1) * 8 : col + 1;
        CHECK(col <= 78);
      }
      for (size_t p = sig.find('\n'); p != std::string::npos; p = sig.find('\n', p + 1))
        CHECK(sig.compare(p - 1, 3, "\r\n\t") == 0);
    }
  }
}

TEST_CASE("a key that cannot sign is reported by name; the other keys still sign") {
  DkimContext lib;
  SigningKey rsa = rfc8463_key("rfc8463-rsa.key", "test");
  SigningKey ed = rfc8463_key("rfc8463-ed25519.key", "brisbane");
  SigningKey garbage = ed, mismatch = rsa, sha1 = rsa;
  garbage.selector = "garbage";
  garbage.private_key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  garbage.pkey = nullptr;  // else the key parsed at load time signs
  mismatch.selector = "mismatch";
  mismatch.algorithm = "ed25519-sha256";  // an RSA key
  sha1.selector = "sha1";
  sha1.algorithm = "rsa-sha1";
  struct Case {
    const SigningKey* bad;
    const char* why;
  } cases[] = {{&garbage, "cannot read the private key"},
               {&mismatch, "not ed25519-sha256"},
               {&sha1, "unsupported algorithm rsa-sha1"}};
  for (const auto& c : cases) {
    INFO(c.bad->selector);
    std::vector<std::string> errors;
    SignOptions so;
    so.id = "4Q1x2y";
    auto sigs = sign_message(lib, {c.bad, &ed}, kMessage, so, &errors);
    REQUIRE(sigs.size() == 1);
    CHECK(dkim_tag(sigs[0], "s") == "brisbane");
    REQUIRE(errors.size() == 1);
    CHECK_THAT(errors[0], Catch::StartsWith(c.bad->selector + "._domainkey.football.example.com"));
    CHECK_THAT(errors[0], Catch::Contains("4Q1x2y") && Catch::Contains(c.why));
  }
}

TEST_CASE("a key without its parsed form is read from private_key; same signature") {
  DkimContext::Options o;
  o.fixed_time = 1700000000;
  DkimContext lib(o);
  SigningKey rsa = rfc8463_key("rfc8463-rsa.key", "test");
  SigningKey ed = rfc8463_key("rfc8463-ed25519.key", "brisbane");
  REQUIRE(rsa.pkey);
  REQUIRE(ed.pkey);
  SigningKey rsa_pem = rsa, ed_pem = ed;
  rsa_pem.pkey = nullptr;
  ed_pem.pkey = nullptr;
  auto parsed = sign_message(lib, {&rsa, &ed}, kMessage);
  auto from_pem = sign_message(lib, {&rsa_pem, &ed_pem}, kMessage);
  REQUIRE(parsed.size() == 2);
  CHECK(parsed == from_pem);
}

// Not run by default: ctest -L leak runs it under valgrind (docs/dkim.md), which must
// report nothing lost. libopendkim leaked ~1.3 kB per Ed25519 signature.
TEST_CASE("sign 1000 messages with RSA and Ed25519", "[.][leak]") {
  DkimContext lib;
  SigningKey rsa = rfc8463_key("rfc8463-rsa.key", "test");
  SigningKey ed = rfc8463_key("rfc8463-ed25519.key", "brisbane");
  ParsedMessage m = parse_message(kMessage);
  size_t signatures = 0;
  for (int i = 0; i < 1000; ++i) {
    SignOptions so;
    so.canonicalization = i % 2 ? "simple/simple" : "relaxed/relaxed";
    DkimSigner s(lib, {&rsa, &ed}, so);
    for (const auto& h : m.headers) s.header(h);
    s.end_of_headers();
    s.body(m.body);
    signatures += s.finish().size();
  }
  CHECK(signatures == 2000);
}
