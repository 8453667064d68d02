// DkimSigner: RSA and Ed25519 signatures that our verifier accepts, dual signing,
// oversigning, t=/x=, canonicalization choices, and already_signed().
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
  DkimLibrary lib;
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
  DkimLibrary lib;
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
  DkimLibrary::Options o;
  o.fixed_time = 1528637909;
  o.signature_ttl_s = 86400;
  DkimLibrary lib(o);
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

  DkimLibrary plain;
  auto s2 = sign_message(plain, {&ed}, kMessage);
  REQUIRE(s2.size() == 1);
  CHECK(dkim_tag(s2[0], "t").has_value());
  CHECK_FALSE(dkim_tag(s2[0], "x").has_value());
}

TEST_CASE("canonicalization options, RSA and Ed25519") {
  DkimLibrary lib;
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
  DkimLibrary lib;
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
  DkimLibrary lib;
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
