// BodyHashes (RFC 6376 §3.7 hash step 1): each distinct (c=, l=) hashed once, the same
// digests as canonicalizing and hashing the whole body at once, and a message with a
// DKIM-Signature and an ARC-Message-Signature of the same body canonicalization
// (RFC 8617 §4.1.2) hashed once, with the results of the unshared path.
#include <openssl/evp.h>
#include <catch2/catch.hpp>

#include "auth/arc_fields.h"
#include "auth/arc_sealer.h"
#include "arc_test_support.h"
#include "auth/arc_verifier.h"
#include "auth/body_hashes.h"
#include "auth/dkim_canon.h"
#include "auth/dkim_crypto.h"
#include "auth/keygen.h"
#include "dkim_test_support.h"
#include "fakes/fake_resolver.h"

using namespace alignd;
using alignd::testing::FakeResolver;
using alignd::testing::make_key;
using alignd::testing::serialize;

namespace {

std::string sha256(std::string_view s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  REQUIRE(EVP_Digest(s.data(), s.size(), md, &len, EVP_sha256(), nullptr) == 1);
  return std::string(reinterpret_cast<char*>(md), len);
}

const char* kBody = "Hi  there \t\r\n\r\nline two\r\n \r\n\r\n";

std::string arc_seal(const std::string& raw, const SigningKey& key) {
  ParsedMessage m = parse_message(raw);
  ArcSealer s(key);
  s.body(m.body);
  ArcSealRequest req;
  req.instance = 1;
  req.cv = "none";
  req.aar_payload = "lists.example.org; dkim=pass header.d=example.com";
  req.now = 1767225600;
  std::string err;
  auto set = s.finish(m.headers, req, err);
  INFO(err);
  REQUIRE(set);
  m.headers.insert(m.headers.begin(), set->begin(), set->end());
  return serialize(m);
}

struct Both {
  std::vector<DkimResult> dkim;
  ArcResult arc;
  size_t digests = 0, canonicalizers = 0;
};

// As Session drives them: headers, end of headers, then each chunk to both verifiers
// and, when shared, to the one BodyHashes after them.
Both verify_both(DkimContext& lib, FakeResolver& dns, const std::string& raw, bool shared) {
  ParsedMessage m = parse_message(raw);
  BodyHashes hashes;
  BodyHashes* h = shared ? &hashes : nullptr;
  DkimVerifier dkim(lib, dns, DkimVerifyOptions{}, h);
  ArcVerifier arc(dns, 1767225600, nullptr, h);
  for (const auto& f : m.headers) {
    dkim.header(f);
    arc.header(f);
  }
  dkim.end_of_headers();
  arc.end_of_headers();
  for (size_t i = 0; i < m.body.size(); i += 5) {
    std::string_view c = std::string_view(m.body).substr(i, 5);
    dkim.body(c);
    arc.body(c);
    hashes.feed(c);
  }
  Both b;
  b.dkim = dkim.finish();
  b.arc = arc.finish();
  b.digests = hashes.digests();
  b.canonicalizers = hashes.canonicalizers();
  return b;
}

void check_same(const Both& a, const Both& b) {
  REQUIRE(a.dkim.size() == b.dkim.size());
  for (size_t i = 0; i < a.dkim.size(); ++i) {
    CHECK(a.dkim[i].result == b.dkim[i].result);
    CHECK(a.dkim[i].reason == b.dkim[i].reason);
    CHECK(a.dkim[i].domain == b.dkim[i].domain);
    CHECK(a.dkim[i].b_prefix == b.dkim[i].b_prefix);
  }
  CHECK(a.arc.status == b.arc.status);
  CHECK(a.arc.reason == b.arc.reason);
  CHECK(a.arc.oldest_pass == b.arc.oldest_pass);
  REQUIRE(a.arc.sets.size() == b.arc.sets.size());
  for (size_t i = 0; i < a.arc.sets.size(); ++i)
    CHECK(a.arc.sets[i].ams_pass == b.arc.sets[i].ams_pass);
}

}  // namespace

TEST_CASE("body hashes: one per distinct (c=, l=), equal to hashing the canonical body") {
  struct Case {
    bool relaxed;
    std::optional<uint64_t> limit;
  };
  const Case cases[] = {{false, {}}, {true, {}}, {false, 0}, {true, 3}, {true, 12}, {false, 1000}};
  for (size_t chunk : {1, 2, 7, 1000}) {
    BodyHashes h;
    std::vector<BodyHashes::Id> ids;
    for (const auto& c : cases) ids.push_back(h.need(c.relaxed, c.limit));
    for (const auto& c : cases) CHECK(h.need(c.relaxed, c.limit) == ids[&c - cases]);
    CHECK(h.digests() == 6);
    CHECK(h.canonicalizers() == 2);
    std::string_view body(kBody);
    for (size_t i = 0; i < body.size(); i += chunk) h.feed(body.substr(i, chunk));
    for (const auto& c : cases) {
      std::string canon = canonicalize_body(c.relaxed, body);
      const auto& d = h.digest(ids[&c - cases]);
      INFO("relaxed=" << c.relaxed << " limit=" << (c.limit ? *c.limit : -1) << " chunk=" << chunk);
      CHECK(d.ready);
      CHECK(d.ok);
      CHECK(d.total == canon.size());
      CHECK(d.value == sha256(std::string_view(canon).substr(0, c.limit.value_or(canon.size()))));
    }
  }
  BodyHashes none;
  none.feed("x\r\n");  // no needs: nothing to do
  CHECK(none.canonicalizers() == 0);
  CHECK_FALSE(none.digest(none.need(true, {})).ready);  // would miss bytes: never ok
  BodyHashes late;
  late.need(true, {});
  late.feed("x\r\n");
  CHECK_FALSE(late.digest(late.need(false, {})).ready);
}

TEST_CASE("body hashes: DKIM-Signature and AMS of the same c= hash the body once") {
  DkimContext lib;
  FakeResolver dns;
  SigningKey author = make_key("example.com", "s1", dns);
  SigningKey list = make_key("lists.example.org", "arc", dns);
  const std::string raw = std::string(
                              "From: Alice <alice@example.com>\r\n"
                              "To: list@lists.example.org\r\n"
                              "Subject: hello\r\n"
                              "Date: Thu, 14 Jan 2026 15:00:01 -0800\r\n"
                              "Message-ID: <1@example.com>\r\n"
                              "\r\n") +
                          kBody;
  for (std::string canon : {"relaxed/relaxed", "simple/simple"}) {
    SignOptions so;
    so.canonicalization = canon;
    auto sigs = alignd::testing::sign_message(lib, {&author}, raw, so);
    REQUIRE(sigs.size() == 1);
    std::string msg = arc_seal(alignd::testing::prepend_signatures(sigs, raw), list);
    INFO(canon);

    Both shared = verify_both(lib, dns, msg, true);
    Both apart = verify_both(lib, dns, msg, false);
    REQUIRE(shared.dkim.size() == 1);
    CHECK(shared.dkim[0].result == Outcome::Pass);
    CHECK(shared.arc.status == Outcome::Pass);
    check_same(shared, apart);
    // The AMS is relaxed (c=relaxed/relaxed): one digest when DKIM's body is relaxed too.
    CHECK(shared.digests == (canon == "relaxed/relaxed" ? 1u : 2u));
    CHECK(shared.canonicalizers == shared.digests);
    CHECK(apart.digests == 0);  // each verifier hashed on its own

    // A changed body fails both, with the same reasons either way.
    std::string bad = msg;
    bad.replace(bad.find("line two"), 8, "line 2!!");
    Both s2 = verify_both(lib, dns, bad, true);
    Both a2 = verify_both(lib, dns, bad, false);
    CHECK(s2.dkim[0].result == Outcome::Fail);
    CHECK(s2.arc.status == Outcome::Fail);
    check_same(s2, a2);
  }
}
