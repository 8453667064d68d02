// Signing keys: file checks, formats, dates, selection with rotation, warnings;
// key generation and TXT records (RFC 8463 §A keys give the RFC's p= values).
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "auth/keygen.h"
#include "auth/keys.h"
#include "dns/zone_file.h"
#include "unit/auth/dkim_test_support.h"

using namespace alignd;
using namespace alignd::testing;

namespace {

struct TempKey {
  std::string path;
  TempKey(const std::string& text, mode_t mode) {
    static int n = 0;
    path =
        "/tmp/alignd-keys-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".key";
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
  }
  ~TempKey() { std::remove(path.c_str()); }
};

SigningKeyConfig cfg(const std::string& file, const std::string& domain = "example.com",
                     const std::string& selector = "s1") {
  SigningKeyConfig c;
  c.domain = domain;
  c.selector = selector;
  c.key_file = file;
  return c;
}

const char* kRfcEdPublic = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
const char* kRfcRsaPublic =
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16"
    "JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2E"
    "eC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

}  // namespace

TEST_CASE("RFC 8463 A.1 keys load and give the A.2 public keys") {
  TempKey ed(read_data("rfc8463-ed25519.key"), 0600);
  TempKey rsa(read_data("rfc8463-rsa.key"), 0600);
  SigningKey e = load_signing_key(cfg(ed.path), false);
  CHECK(e.algorithm == "ed25519-sha256");
  CHECK(e.bits == 256);
  CHECK(e.private_key.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
  CHECK(public_key_b64(e.private_key) == kRfcEdPublic);
  CHECK(public_key_b64(read_data("rfc8463-ed25519.key")) == kRfcEdPublic);
  SigningKey r = load_signing_key(cfg(rsa.path), false);
  CHECK(r.algorithm == "rsa-sha256");
  CHECK(r.bits == 1024);
  CHECK(public_key_b64(r.private_key) == kRfcRsaPublic);
}

TEST_CASE("unusable key files are errors naming the file") {
  TempKey good(read_data("rfc8463-ed25519.key"), 0600);
  TempKey loose(read_data("rfc8463-ed25519.key"), 0640);
  TempKey world(read_data("rfc8463-ed25519.key"), 0604);
  TempKey junk("this is not a key\n", 0600);
  TempKey empty("", 0600);
  TempKey pub(
      "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
      "-----END PUBLIC KEY-----\n",
      0600);
  struct Case {
    const char* name;
    SigningKeyConfig c;
    bool loose;
    const char* message_part;
  } cases[] = {
      {"missing", cfg("/nonexistent/alignd.key"), false, "No such file"},
      {"group-readable", cfg(loose.path), false, "group or others"},
      {"world-readable", cfg(world.path), false, "mode 0604"},
      {"junk", cfg(junk.path), false, "not a private key"},
      {"empty", cfg(empty.path), false, "not a private key"},
      {"public key", cfg(pub.path), false, "not a private key"},
      {"directory", cfg("/tmp"), false, "not a regular file"},
      {"bad domain", cfg(good.path, "exa mple.com"), false, "invalid domain"},
      {"bad selector", cfg(good.path, "example.com", "s 1"), false, "invalid selector"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    try {
      load_signing_key(c.c, c.loose);
      FAIL("no KeyError");
    } catch (const KeyError& e) {
      CHECK(e.file == c.c.key_file);
      CHECK_THAT(e.what(), Catch::StartsWith(c.c.key_file + ":"));
      CHECK_THAT(e.what(), Catch::Contains(c.message_part));
    }
  }
  CHECK_NOTHROW(load_signing_key(cfg(loose.path), true));  // allow_loose_key_mode
}

TEST_CASE("group read is accepted only for the daemon's own group (issue 10 item 9)") {
  TempKey g640(read_data("rfc8463-ed25519.key"), 0640);
  TempKey g660(read_data("rfc8463-ed25519.key"), 0660);
  TempKey g644(read_data("rfc8463-ed25519.key"), 0644);
  const gid_t ours = 4242;  // tests run as root: any group will do
  for (auto* k : {&g640, &g660, &g644})
    REQUIRE(::chown(k->path.c_str(), static_cast<uid_t>(-1), ours) == 0);
  CHECK_NOTHROW(load_signing_key(cfg(g640.path), false, {ours}));
  CHECK_THROWS_WITH(load_signing_key(cfg(g640.path), false, {4243}), Catch::Contains("mode 0640"));
  CHECK_THROWS_WITH(load_signing_key(cfg(g640.path), false), Catch::Contains("chgrp alignd"));
  CHECK_THROWS_WITH(load_signing_key(cfg(g660.path), false, {ours}), Catch::Contains("mode 0660"));
  CHECK_THROWS_WITH(load_signing_key(cfg(g644.path), false, {ours}), Catch::Contains("mode 0644"));
}

TEST_CASE("RSA keys under 1024 bits are refused (RFC 8301)") {
  TempKey k(read_data("rsa512.key"), 0600);
  CHECK_THROWS_WITH(load_signing_key(cfg(k.path), false), Catch::Contains("512 bits"));
}

TEST_CASE("dates") {
  CHECK(parse_key_date("2026-03-01") == 1772323200);
  CHECK(parse_key_date("2026-03-01T00:00:00Z") == 1772323200);
  CHECK(parse_key_date("2026-03-01T02:00:00+02:00") == 1772323200);
  CHECK(parse_key_date("2026-02-28T19:00:00.5-05:00") == 1772323200);
  CHECK(parse_key_date("1970-01-01") == 0);
  for (const char* bad : {"", "2026-13-01", "2026-3-1", "tomorrow", "2026-03-01T25:00:00Z",
                          "2026-03-01T10:00:00", "2026-03-01X"})
    CHECK_FALSE(parse_key_date(bad).has_value());

  TempKey k(read_data("rfc8463-ed25519.key"), 0600);
  auto c = cfg(k.path);
  c.not_before = "2026-03-01";
  c.not_after = "2026-06-01";
  SigningKey key = load_signing_key(c, false);
  CHECK_FALSE(key.valid_at(1772323199));
  CHECK(key.valid_at(1772323200));
  CHECK_FALSE(key.valid_at(*parse_key_date("2026-06-01")));
  c.not_after = "next week";
  CHECK_THROWS_WITH(load_signing_key(c, false), Catch::Contains("not_after"));
  c.not_after = "2026-02-01";
  CHECK_THROWS_WITH(load_signing_key(c, false), Catch::Contains("not later"));
}

namespace {
SigningKey key(const std::string& domain, const std::string& sel, const std::string& alg,
               std::optional<std::time_t> nb = {}, std::optional<std::time_t> na = {},
               bool subs = false) {
  SigningKey k;
  k.domain = domain;
  k.selector = sel;
  k.algorithm = alg;
  k.not_before = nb;
  k.not_after = na;
  k.include_subdomains = subs;
  return k;
}
std::vector<std::string> selectors(const std::vector<const SigningKey*>& ks) {
  std::vector<std::string> out;
  for (auto* k : ks) out.push_back(k->selector);
  return out;
}
}  // namespace

TEST_CASE("select_signing_keys: domains, subdomains, dual algorithms, rotation") {
  const std::time_t day = 86400, t0 = 1772323200;
  std::vector<SigningKey> keys{
      key("example.com", "rsa2025", "rsa-sha256", {}, t0 + 10 * day),
      key("example.com", "rsa2026", "rsa-sha256", t0),  // takes over at t0
      key("example.com", "ed2026", "ed25519-sha256"),
      key("parent.example", "p1", "rsa-sha256", {}, {}, true),
      key("sub.parent.example", "sp1", "ed25519-sha256"),
  };
  using V = std::vector<std::string>;
  struct Case {
    const char* from;
    std::time_t now;
    V expected;
  } cases[] = {
      {"example.com", t0 - day, {"rsa2025", "ed2026"}},
      {"EXAMPLE.com.", t0, {"rsa2026", "ed2026"}},
      {"example.com", t0 + 20 * day, {"rsa2026", "ed2026"}},
      {"mail.example.com", t0, {}},  // no include_subdomains
      {"parent.example", t0, {"p1"}},
      {"deep.x.parent.example", t0, {"p1"}},
      {"sub.parent.example", t0, {"sp1"}},   // most specific domain wins
      {"a.sub.parent.example", t0, {"p1"}},  // parent.example covers it
      {"other.example", t0, {}},
  };
  for (const auto& c : cases) {
    INFO(c.from << " at " << c.now);
    CHECK(selectors(select_signing_keys(keys, c.from, c.now)) == c.expected);
  }
}

TEST_CASE("rotation_warnings: a domain without a valid key within 30 days") {
  const std::time_t day = 86400, now = 1772323200;
  std::vector<SigningKey> ok{key("a.example", "old", "rsa-sha256", {}, now + 10 * day),
                             key("a.example", "new", "rsa-sha256", now + 10 * day)};
  CHECK(rotation_warnings(ok, now).empty());
  std::vector<SigningKey> gap{key("a.example", "old", "rsa-sha256", {}, now + 10 * day),
                              key("a.example", "new", "rsa-sha256", now + 12 * day),
                              key("b.example", "b", "ed25519-sha256")};
  auto w = rotation_warnings(gap, now);
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0], Catch::Contains("a.example") && Catch::Contains("2026-03-11"));
  std::vector<SigningKey> expired{key("c.example", "c", "rsa-sha256", {}, now - day)};
  w = rotation_warnings(expired, now);
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0], Catch::Contains("now"));
  std::vector<SigningKey> late{key("d.example", "d", "rsa-sha256", {}, now + 40 * day)};
  CHECK(rotation_warnings(late, now).empty());
}

TEST_CASE("generate_key: RSA and Ed25519 keys that load and whose TXT records parse") {
  struct Case {
    KeyType type;
    int bits;
    const char* k;
    size_t p_len;
  } cases[] = {{KeyType::Rsa, 2048, "rsa", 392},
               {KeyType::Rsa, 1024, "rsa", 216},
               {KeyType::Ed25519, 256, "ed25519", 44}};
  for (const auto& c : cases) {
    GeneratedKey g = generate_key(c.type, c.bits);
    CHECK(g.bits == c.bits);
    CHECK(g.public_b64.size() == c.p_len);
    TempKey f(g.private_pem, 0600);
    SigningKey k = load_signing_key(cfg(f.path), false);
    CHECK(k.bits == c.bits);
    CHECK(public_key_b64(k.private_key) == g.public_b64);

    std::string rec = dkim_key_record(c.type, g.public_b64);
    CHECK(rec == std::string("v=DKIM1; k=") + c.k + "; p=" + g.public_b64);
    std::string line = txt_record_line("Example.com", "s1", rec);
    auto zone = parse_zone(line + "\n", "keygen");
    REQUIRE(zone.size() == 1);
    CHECK(zone[0].name == "s1._domainkey.example.com.");
    CHECK(zone[0].type == RrType::TXT);
    CHECK(zone[0].data == rec);
  }
  CHECK_THROWS(generate_key(KeyType::Rsa, 512));
}

TEST_CASE("split_txt: pieces of at most 255 bytes") {
  std::string v(600, 'a');
  auto parts = split_txt(v);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].size() == 255);
  CHECK(parts[2].size() == 90);
  CHECK(split_txt("short") == std::vector<std::string>{"short"});
  std::string line = txt_record_line("example.com", "s", v);
  CHECK(line.find(std::string(256, 'a')) == std::string::npos);
}

TEST_CASE("base64 round trip") {
  const std::vector<std::string> samples{
      "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)};
  for (const auto& s : samples) {
    std::string back;
    REQUIRE(base64_decode(base64_encode(s), back));
    CHECK(back == s);
  }
  std::string out;
  CHECK_FALSE(base64_decode("ab!c", out));
  CHECK(base64_decode("Zm9v\r\n YmFy", out));
  CHECK(out == "foobar");
}

TEST_CASE("public_key_of: type, size and p= of a private key (keygen --record, issue 15)") {
  for (auto type : {KeyType::Rsa, KeyType::Ed25519}) {
    GeneratedKey g = generate_key(type);
    auto pk = public_key_of(g.private_pem);
    REQUIRE(pk);
    CHECK(pk->type == type);
    CHECK(pk->bits == g.bits);
    CHECK(pk->public_b64 == g.public_b64);
    // The record keygen prints at generation, rebuilt from the private key alone.
    CHECK(dkim_key_record(pk->type, pk->public_b64) == dkim_key_record(type, g.public_b64));
  }
  // dkimpy's format: the RFC 8463 §A.1 seed in base64.
  auto ed = public_key_of(read_data("rfc8463-ed25519.key"));
  REQUIRE(ed);
  CHECK(ed->type == KeyType::Ed25519);
  CHECK(ed->public_b64 == kRfcEdPublic);
  CHECK_FALSE(public_key_of("not a key"));
  CHECK_FALSE(public_key_of(""));
}
