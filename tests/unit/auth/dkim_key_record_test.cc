// Tests for auth/dkim_key_record.h: RFC 6376 §3.6.1 key records (RFC 8463 §A.2's
// Ed25519 key, a fresh RSA key), each rejection, and the decoded-key cache.
#include "auth/dkim_key_record.h"

#include <catch2/catch.hpp>

#include "auth/keygen.h"

using namespace alignd;

namespace {
// RFC 8463 §A.2: brisbane._domainkey.football.example.com
constexpr const char* kEd25519 =
    "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
}  // namespace

TEST_CASE("RFC 8463 Ed25519 key record and a generated RSA record decode") {
  DkimPublicKey ed = parse_dkim_key_record(kEd25519);
  CHECK(ed.error.empty());
  REQUIRE(ed.pkey);
  CHECK(ed.type == DkimPublicKey::Type::Ed25519);
  CHECK(ed.bits == 256);

  GeneratedKey g = generate_key(KeyType::Rsa, 1024);
  std::string rec = dkim_key_record(KeyType::Rsa, g.public_b64);
  DkimPublicKey rsa = parse_dkim_key_record(rec);
  REQUIRE(rsa.pkey);
  CHECK(rsa.type == DkimPublicKey::Type::Rsa);
  CHECK(rsa.bits == 1024);

  // folded with spaces inside p= (TXT strings joined), t= flags
  std::string spaced =
      "k=rsa; t=y:s; p=" + g.public_b64.substr(0, 40) + " \t " + g.public_b64.substr(40);
  DkimPublicKey sp = parse_dkim_key_record(spaced);
  CHECK(sp.pkey);
  CHECK(sp.testing);
  CHECK(sp.strict_identity);
}

TEST_CASE("unusable key records say why") {
  struct Case {
    const char* record;
    const char* error_part;
    bool revoked;
  } cases[] = {
      {"v=DKIM1; p=", "revoked", true},
      {"k=rsa; v=DKIM1; p=AAAA", "v=", false},
      {"v=DKIM2; p=AAAA", "v=", false},
      {"v=DKIM1; h=sha1; p=AAAA", "sha256", false},
      {"v=DKIM1; s=tlsrpt; p=AAAA", "email", false},
      {"v=DKIM1; k=dsa; p=AAAA", "k=dsa", false},
      {"v=DKIM1; k=rsa", "no p=", false},
      {"v=DKIM1; p=!!!notbase64", "base64", false},
      {"v=DKIM1; p=AAAA", "valid rsa key", false},
      {"v=DKIM1; k=ed25519; p=AAAA", "32 bytes", false},
  };
  for (const auto& c : cases) {
    INFO(c.record);
    DkimPublicKey k = parse_dkim_key_record(c.record);
    CHECK_FALSE(k.pkey);
    CHECK(k.revoked == c.revoked);
    CHECK(k.error.find(c.error_part) != std::string::npos);
  }
  // h= listing sha256 among others, s= with *: fine
  CHECK(parse_dkim_key_record(std::string(kEd25519) + "; h=sha1:sha256; s=*").pkey);
}

TEST_CASE("the key cache decodes a record once and keeps at most its capacity") {
  DkimKeyCache cache(2);
  auto a = cache.get(kEd25519);
  auto b = cache.get(kEd25519);
  CHECK(a.get() == b.get());  // the same decoded key, not a second decode
  GeneratedKey g1 = generate_key(KeyType::Ed25519), g2 = generate_key(KeyType::Ed25519);
  cache.get(dkim_key_record(KeyType::Ed25519, g1.public_b64));
  cache.get(dkim_key_record(KeyType::Ed25519, g2.public_b64));  // evicts kEd25519, the least recently used
  CHECK(cache.size() == 2);
  CHECK(cache.get(kEd25519).get() != a.get());
  CHECK(a->pkey);  // entries handed out stay valid after eviction
}
