// DkimVerifier against the RFC 8463 §A example (ed25519-sha256 + rsa-sha256), tampered
// copies, DNS failures, RFC 8301 rules, l=, limits and hostile input.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "auth/dkim_verifier.h"
#include "dns/budget_resolver.h"
#include "fakes/fake_resolver.h"
#include "unit/auth/dkim_test_support.h"

using namespace alignd;
using namespace alignd::testing;

namespace {

const char* kEdKey = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
const char* kRsaKey =
    "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6"
    "wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5Qj"
    "vHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

FakeResolver rfc8463_dns() {
  return FakeResolver{{"brisbane._domainkey.football.example.com.", RrType::TXT, kEdKey},
                      {"test._domainkey.football.example.com.", RrType::TXT, kRsaKey}};
}

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  auto p = s.find(from);
  REQUIRE(p != std::string::npos);
  return s.replace(p, from.size(), to);
}

}  // namespace

TEST_CASE("RFC 8463 A.3: both signatures pass, in header order") {
  DkimContext lib;
  auto dns = rfc8463_dns();
  std::string msg = read_data("rfc8463-a3.eml");
  for (size_t chunk : {1u, 7u, 65536u}) {
    auto r = verify_message(lib, dns, msg, 5, chunk);
    REQUIRE(r.size() == 2);
    CHECK(r[0].result == Outcome::Pass);
    CHECK(r[0].algorithm == "ed25519-sha256");
    CHECK(r[0].selector == "brisbane");
    CHECK(r[0].domain == "football.example.com");
    CHECK(r[0].identity == "@football.example.com");
    CHECK(r[0].key_bits == 256);
    CHECK(r[0].b_prefix == "/gCrinpc");
    CHECK(r[1].result == Outcome::Pass);
    CHECK(r[1].algorithm == "rsa-sha256");
    CHECK(r[1].selector == "test");
    CHECK(r[1].key_bits == 1024);
    CHECK(r[1].b_prefix == "F45dVWDf");
    CHECK_FALSE(r[1].has_body_length);
  }
}

TEST_CASE("RFC 8463 A.3 tampered: body, header, signature") {
  DkimContext lib;
  auto dns = rfc8463_dns();
  std::string msg = read_data("rfc8463-a3.eml");
  struct Case {
    const char* name;
    std::string msg;
    const char* reason_part;
  } cases[] = {
      {"body", replace_once(msg, "hungry", "Hungry"), "body hash"},
      {"subject", replace_once(msg, "Is dinner ready?", "Is lunch ready?"), "did not verify"},
      {"added body line", replace_once(msg, "Joe.\r\n", "Joe.\r\nP.S. wire money\r\n"),
       "body hash"},
      {"b= of both",
       replace_once(replace_once(msg, "b=/gCrinpc", "b=/gCrinpd"), "b=F45dVW", "b=F45dVX"),
       "did not verify"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto r = verify_message(lib, dns, c.msg);
    REQUIRE(r.size() == 2);
    for (const auto& x : r) {
      CHECK(x.result == Outcome::Fail);
      CHECK_THAT(x.reason, Catch::Contains(c.reason_part));
    }
  }
}

TEST_CASE("relaxed canonicalization tolerates whitespace and folding changes") {
  DkimContext lib;
  auto dns = rfc8463_dns();
  std::string msg = read_data("rfc8463-a3.eml");
  msg = replace_once(msg, "Subject: Is dinner ready?", "Subject:   Is dinner\r\n\tready?  ");
  msg = replace_once(msg, "We lost the game.", "We lost  the game. ");
  auto r = verify_message(lib, dns, msg);
  REQUIRE(r.size() == 2);
  CHECK(r[0].result == Outcome::Pass);
  CHECK(r[1].result == Outcome::Pass);
}

TEST_CASE("key lookup outcomes: temperror on TempFail, never fail or none") {
  DkimContext lib;
  std::string msg = read_data("rfc8463-a3.eml");
  struct Case {
    const char* name;
    DnsStatus status;  // for brisbane; test stays good
    Outcome expected;
    const char* reason_part;
  } cases[] = {
      {"timeout", DnsStatus::TempFail, Outcome::TempError, "temporarily"},
      {"malformed answer", DnsStatus::PermFail, Outcome::PermError, "failed"},
      {"nxdomain", DnsStatus::NxDomain, Outcome::PermError, "no key"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    FakeResolver dns{{"test._domainkey.football.example.com.", RrType::TXT, kRsaKey}};
    if (c.status != DnsStatus::NxDomain)
      dns.fail("brisbane._domainkey.football.example.com.", c.status);
    auto r = verify_message(lib, dns, msg);
    REQUIRE(r.size() == 2);
    CHECK(r[0].result == c.expected);
    CHECK_THAT(r[0].reason, Catch::Contains(c.reason_part));
    CHECK(r[1].result == Outcome::Pass);  // one failure does not spoil the other
  }
}

TEST_CASE("bad key records are permerror") {
  DkimContext lib;
  std::string msg = read_data("rfc8463-a3.eml");
  struct Case {
    const char* name;
    std::string record;
    Outcome expected;
  } cases[] = {
      {"revoked", "v=DKIM1; k=ed25519; p=", Outcome::PermError},
      {"garbage", "this is not a key", Outcome::PermError},
      {"wrong key type", std::string(kRsaKey), Outcome::PermError},
      {"not base64", "v=DKIM1; k=ed25519; p=!!!!", Outcome::PermError},
      {"hash not allowed",
       "v=DKIM1; h=sha1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
       Outcome::PermError},
      {"service not email",
       "v=DKIM1; s=foo; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
       Outcome::PermError},
      {"other key",
       "v=DKIM1; k=ed25519; p=21qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", Outcome::Fail},
      {"huge", "v=DKIM1; k=ed25519; p=" + std::string(5000, 'A'), Outcome::PermError},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    FakeResolver dns{{"brisbane._domainkey.football.example.com.", RrType::TXT, c.record},
                     {"test._domainkey.football.example.com.", RrType::TXT, kRsaKey}};
    auto r = verify_message(lib, dns, msg);
    REQUIRE(r.size() == 2);
    CHECK(r[0].result == c.expected);
    CHECK_FALSE(r[0].reason.empty());
    CHECK(r[1].result == Outcome::Pass);
  }
}

TEST_CASE("no signature: empty result, no DNS") {
  DkimContext lib;
  FakeResolver dns;
  auto r = verify_message(lib, dns, "From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n");
  CHECK(r.empty());
  CHECK(dns.queries.empty());
}

TEST_CASE("max_signatures limits what is examined") {
  DkimContext lib;
  auto dns = rfc8463_dns();
  std::string msg = read_data("rfc8463-a3.eml");
  auto one = verify_message(lib, dns, msg, 1);
  REQUIRE(one.size() == 1);
  CHECK(one[0].selector == "brisbane");
  CHECK(one[0].result == Outcome::Pass);
  CHECK(verify_message(lib, dns, msg, 0).empty());
}

TEST_CASE("malformed signatures are permerror with a reason") {
  DkimContext lib;
  auto dns = rfc8463_dns();
  const std::string rest = "From: Joe <joe@football.example.com>\r\nSubject: x\r\n\r\nHi.\r\n";
  struct Case {
    const char* name;
    std::string sig;
  } cases[] = {
      {"no d=", "v=1; a=rsa-sha256; s=test; h=from; bh=AAAA; b=AAAA"},
      {"no b=", "v=1; a=rsa-sha256; d=football.example.com; s=test; h=from; bh=AAAA"},
      {"bad version", "v=2; a=rsa-sha256; d=football.example.com; s=test; h=from; bh=AAAA; b=AAAA"},
      {"unknown algorithm",
       "v=1; a=rsa-md5; d=football.example.com; s=test; h=from; bh=AAAA; b=AAAA"},
      {"From not signed",
       "v=1; a=rsa-sha256; d=football.example.com; s=test; h=subject; bh=AAAA; b=AAAA"},
      {"garbage", "@@@@;;;===;"},
      {"empty", ""},
      {"i= outside d=",
       "v=1; a=rsa-sha256; d=football.example.com; i=@evil.example; s=test; h=from; bh=AAAA; "
       "b=AAAA"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto r = verify_message(lib, dns, "DKIM-Signature: " + c.sig + "\r\n" + rest);
    REQUIRE(r.size() == 1);
    CHECK(r[0].result == Outcome::PermError);
    CHECK_FALSE(r[0].reason.empty());
  }
}

TEST_CASE("hostile input does not crash") {
  DkimContext lib;
  auto dns = rfc8463_dns();
  std::string msg = read_data("rfc8463-a3.eml");
  // Every truncation of the signed message, and random byte flips.
  for (size_t n = 0; n < msg.size(); n += 13) verify_message(lib, dns, msg.substr(0, n));
  uint32_t seed = 12345;
  for (int i = 0; i < 300; ++i) {
    std::string m = msg;
    for (int k = 0; k < 5; ++k) {
      seed = seed * 1103515245 + 12345;
      m[(seed >> 8) % m.size()] = static_cast<char>(seed >> 24);
    }
    verify_message(lib, dns, m);
  }
  // A huge signature field and many signatures.
  std::string big =
      "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=" + std::string(100000, 'x') +
      "; h=from; bh=AAAA; b=AAAA\r\nFrom: a@example.com\r\n\r\nx\r\n";
  auto r = verify_message(lib, dns, big);
  CHECK(r.size() == 1);
  FakeResolver fresh = rfc8463_dns();
  std::string many;
  for (int i = 0; i < 50; ++i)
    many += "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s" + std::to_string(i) +
            "; h=from; bh=AAAA; b=AAAA\r\n";
  r = verify_message(lib, fresh, many + "From: a@example.com\r\n\r\nx\r\n");
  CHECK(r.size() == 5);
  CHECK(fresh.queries.size() == 5);
}

TEST_CASE("rsa-sha1 fails without a key lookup (RFC 8301 §3.1)") {
  DkimContext lib;
  FakeResolver dns = rfc8463_dns();
  auto r = verify_message(lib, dns, read_data("rsa-sha1.eml"));
  REQUIRE(r.size() == 1);
  CHECK(r[0].result == Outcome::Fail);
  CHECK(r[0].algorithm == "rsa-sha1");
  CHECK(dns.queries.empty());
}

TEST_CASE("one DkimContext, many threads (shared key cache)") {
  DkimContext lib;
  FakeResolver dns = rfc8463_dns();
  const std::string msg = read_data("rfc8463-a3.eml");
  std::atomic<int> passes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i)
        for (const auto& r : verify_message(lib, dns, msg, 5, 64))
          if (r.result == Outcome::Pass) ++passes;
    });
  for (auto& t : threads) t.join();
  CHECK(passes == 4 * 25 * 2);
}

TEST_CASE("unique_b_prefixes: at least 8, longer when needed (RFC 6008)") {
  CHECK(unique_b_prefixes({"abcdefghij", "abcdefghXY", "zzzzzzzzzz"}) ==
        std::vector<std::string>{"abcdefghi", "abcdefghX", "zzzzzzzz"});
  CHECK(unique_b_prefixes({"abc"}) == std::vector<std::string>{"abc"});
}

TEST_CASE("fixtures through ZoneResolver: RFC 6376 erratum, RFC 8301, l=") {
  DkimContext lib;
  ZoneResolver dns(load_zone_file(data_path("fixtures.zone")));
  struct Case {
    const char* file;
    Outcome expected;
    const char* reason_part;
    int key_bits;
  } cases[] = {
      {"rfc8463-a3.eml", Outcome::Pass, "", 256},
      {"rfc6376-a2.eml", Outcome::Fail, "did not verify", 1024},
      {"rsa-sha1.eml", Outcome::Fail, "RFC 8301", 0},
      {"rsa512.eml", Outcome::Fail, "512 bits", 512},
      {"body-length.eml", Outcome::Policy, "after the l= limit", 1024},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    auto r = verify_message(lib, dns, read_data(c.file));
    REQUIRE(!r.empty());
    CHECK(r[0].result == c.expected);
    CHECK_THAT(r[0].reason, Catch::Contains(c.reason_part));
    CHECK(r[0].key_bits == c.key_bits);
  }
  auto l = verify_message(lib, dns, read_data("body-length.eml"));
  REQUIRE(l.size() == 1);
  CHECK(l[0].has_body_length);
  CHECK(l[0].unsigned_body_content);
  CHECK(l[0].unsigned_body_bytes == 43);
  // Without the appended line the l= signature covers everything.
  std::string whole = read_data("body-length.eml");
  whole = whole.substr(0, whole.find("\r\nP.S.") + 2);
  l = verify_message(lib, dns, whole);
  REQUIRE(l.size() == 1);
  CHECK(l[0].result == Outcome::Pass);
  CHECK(l[0].has_body_length);
  CHECK_FALSE(l[0].unsigned_body_content);
  CHECK(l[0].unsigned_body_bytes == 0);
}

// Issue 10 item 4: content appended after l= made the signature pass and DMARC pass.
// By default it is `policy` (RFC 8601 §2.7.1); [dkim] partial_body = "pass" restores
// RFC 6376 as written.
TEST_CASE("l= leaving body content unsigned: policy by default, pass when allowed") {
  DkimContext lib;
  ZoneResolver dns(load_zone_file(data_path("fixtures.zone")));
  const std::string appended = read_data("body-length.eml");
  const std::string whole = appended.substr(0, appended.find("\r\nP.S.") + 2);
  struct Case {
    const char* name;
    const std::string* msg;
    bool partial_body_passes;
    Outcome expected;
    size_t unsigned_bytes;
    const char* reason_part;
  } cases[] = {
      {"appended, default", &appended, false, Outcome::Policy, 43, "not used for DMARC"},
      {"appended, partial_body = pass", &appended, true, Outcome::Pass, 43, "after the l= limit"},
      {"nothing appended, default", &whole, false, Outcome::Pass, 0, ""},
      {"nothing appended, partial_body = pass", &whole, true, Outcome::Pass, 0, ""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    ParsedMessage m = parse_message(*c.msg);
    DkimVerifier v(lib, dns, DkimVerifyOptions{5, c.partial_body_passes});
    for (const auto& h : m.headers) v.header(h);
    v.end_of_headers();
    v.body(m.body);
    auto r = v.finish();
    REQUIRE(r.size() == 1);
    CHECK(r[0].result == c.expected);
    CHECK(r[0].unsigned_body_bytes == c.unsigned_bytes);
    CHECK_THAT(r[0].reason, Catch::Contains(c.reason_part));
  }
}

// Issue 10 item 5: libopendkim parses every DKIM-Signature field it is handed before
// its prescreen callback can apply the limit, so cost grew faster than linearly with
// the number of fields. Only the first max_signatures may reach the library.
TEST_CASE("hostile: 20,000 DKIM-Signature fields, only max_signatures are parsed") {
  DkimContext lib;
  auto dns = rfc8463_dns();
  std::string msg = read_data("rfc8463-a3.eml");
  std::string junk;
  for (int i = 0; i < 20000; ++i)
    junk += "DKIM-Signature: v=1; a=rsa-sha256; d=junk" + std::to_string(i) +
            ".example; s=s; h=from; bh=AAAA; b=AAAA\r\n";
  msg = to_crlf(msg);
  msg.insert(msg.find("\r\n\r\n") + 2, junk);  // after the two real signatures
  for (int max : {1, 2, 5}) {
    INFO("max_signatures " << max);
    ParsedMessage m = parse_message(msg);
    DkimVerifier v(lib, dns, max);
    for (const auto& h : m.headers) v.header(h);
    v.end_of_headers();
    v.body(m.body);
    auto r = v.finish();
    REQUIRE(static_cast<int>(r.size()) == max);
    CHECK(r[0].result == Outcome::Pass);
    if (max >= 2) CHECK(r[1].result == Outcome::Pass);
    CHECK(v.examined_signatures() == max);
    CHECK(v.ignored_signatures() == 20002 - max);
  }
}

// Issue 12: each key record is decoded once per DkimContext, not once per message.
TEST_CASE("the decoded-key cache: one decoding per key record, shared by messages") {
  DkimContext ctx;
  auto dns = rfc8463_dns();
  const std::string msg = read_data("rfc8463-a3.eml");
  for (int i = 0; i < 20; ++i) {
    auto r = verify_message(ctx, dns, msg);
    REQUIRE(r.size() == 2);
    CHECK(r[0].result == Outcome::Pass);
    CHECK(r[1].result == Outcome::Pass);
  }
  CHECK(ctx.keys().decoded() == 2);
  CHECK(ctx.keys().size() == 2);
  CHECK(dns.queries.size() == 40);  // DNS answers are cached by CacheResolver, not here
}

namespace {
// Answers like `inner` after `delay`, ignoring deadlines (a slow upstream).
struct SlowResolver : Resolver {
  Resolver& inner;
  std::chrono::milliseconds delay;
  SlowResolver(Resolver& r, std::chrono::milliseconds d) : inner(r), delay(d) {}
  DnsAnswer query(std::string_view name, RrType type) override {
    std::this_thread::sleep_for(delay);
    return inner.query(name, type);
  }
};
}  // namespace

// The per-message DNS bounds ([dns] max_queries_per_message, message_deadline_ms):
// a key lookup refused by them is temperror with the budget's reason, never fail.
TEST_CASE("the message's DNS query budget and deadline: later key lookups are temperror") {
  DkimContext ctx;
  auto zone = rfc8463_dns();
  const std::string msg = read_data("rfc8463-a3.eml");
  {
    BudgetResolver budget(zone, 1);
    auto r = verify_message(ctx, budget, msg);
    REQUIRE(r.size() == 2);
    CHECK(r[0].result == Outcome::Pass);
    CHECK(r[1].result == Outcome::TempError);
    CHECK_THAT(r[1].reason, Catch::Contains(BudgetResolver::kExhausted));
  }
  {
    SlowResolver slow(zone, std::chrono::milliseconds(60));
    BudgetResolver deadline(slow, 100, std::chrono::milliseconds(30));
    auto r = verify_message(ctx, deadline, msg);
    REQUIRE(r.size() == 2);
    CHECK(r[1].result == Outcome::TempError);
    CHECK_THAT(r[1].reason, Catch::Contains(BudgetResolver::kOutOfTime));
  }
}
