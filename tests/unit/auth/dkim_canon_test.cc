// DKIM canonicalization: the RFC 6376 §3.4.5 examples, header and body tables, chunk
// boundaries anywhere (also between CR and LF), the RFC's empty-body hashes, bottom-up
// field selection, and the RFC 8463 §A.3 signatures checked over our header data.
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <catch2/catch.hpp>

#include <memory>

#include "auth/dkim_canon.h"
#include "auth/keygen.h"
#include "core/message.h"
#include "unit/auth/dkim_test_support.h"

using namespace alignd;

namespace {

std::string sha256_b64(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  REQUIRE(EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr) == 1);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(md), n));
}

// The body fed in pieces of `chunk` bytes.
std::string chunked(bool relaxed, const std::string& body, size_t chunk) {
  std::string out;
  BodyCanonicalizer c(relaxed, [&out](std::string_view s) { out.append(s); });
  for (size_t i = 0; i < body.size(); i += chunk) c.feed(std::string_view(body).substr(i, chunk));
  c.finish();
  return out;
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("RFC 6376 §3.4.5 examples: headers and body, relaxed and simple") {
  // A: <SP> X <CRLF>
  // B <SP> : <SP> Y <HTAB><CRLF> <HTAB> Z <SP><SP><CRLF>
  const HeaderList headers{{"A", " X"}, {"B ", " Y\t\r\n\tZ  "}};
  const std::string body = " C \r\nD \t E\r\n\r\n\r\n";

  CHECK(canon_header_relaxed(headers[0].name, headers[0].value) == "a:X");
  CHECK(canon_header_relaxed(headers[1].name, headers[1].value) == "b:Y Z");
  CHECK(canon_header_simple(headers[0].name, headers[0].value) == "A: X");
  CHECK(canon_header_simple(headers[1].name, headers[1].value) == "B : Y\t\r\n\tZ  ");
  CHECK(canonical_header_block(headers, {"a", "b"}, true) == "a:X\r\nb:Y Z\r\n");
  CHECK(canonical_header_block(headers, {"a", "b"}, false) == "A: X\r\nB : Y\t\r\n\tZ  \r\n");

  for (size_t chunk = 1; chunk <= body.size(); ++chunk) {
    INFO("chunk " << chunk);
    CHECK(chunked(true, body, chunk) == " C\r\nD E\r\n");
    CHECK(chunked(false, body, chunk) == " C \r\nD \t E\r\n");
  }
}

TEST_CASE("relaxed header canonicalization (RFC 6376 §3.4.2)") {
  struct Case {
    const char* name;
    const char* value;
    const char* expected;
  } cases[] = {
      {"SUBJect", " AbC", "subject:AbC"},
      {"Subject", "AbC", "subject:AbC"},
      {"Subject", " \t a  \t b \t ", "subject:a b"},
      {"Subject", " one\r\n two\r\n\tthree", "subject:one two three"},
      {"Subject", " trailing fold \r\n ", "subject:trailing fold"},
      {"To", "", "to:"},
      {"To", " \t ", "to:"},
      {"X-Name  \t", " v", "x-name:v"},
      {"Subject", " Gr\xc3\xbc\xc3\x9f\xff", "subject:Gr\xc3\xbc\xc3\x9f\xff"},  // 8-bit kept
      {"Subject", " a:b ; c", "subject:a:b ; c"},  // only the separator colon matters
  };
  for (const auto& c : cases) {
    INFO(c.name << ":" << c.value);
    CHECK(canon_header_relaxed(c.name, c.value) == c.expected);
    CHECK(canon_header_simple(c.name, c.value) == std::string(c.name) + ":" + c.value);
  }
}

TEST_CASE("body canonicalization, simple and relaxed, any chunking") {
  struct Case {
    const char* what;
    std::string body, simple, relaxed;
  } cases[] = {
      // §3.4.3: an empty body is CRLF under simple; §3.4.4: nothing under relaxed.
      {"empty", "", "\r\n", ""},
      {"only CRLF", "\r\n", "\r\n", ""},
      {"only empty lines", "\r\n\r\n\r\n", "\r\n", ""},
      {"one line", "Hi.\r\n", "Hi.\r\n", "Hi.\r\n"},
      {"trailing empty lines", "Hi.\r\n\r\n\r\n", "Hi.\r\n", "Hi.\r\n"},
      {"empty lines inside", "a\r\n\r\n\r\nb\r\n", "a\r\n\r\n\r\nb\r\n", "a\r\n\r\n\r\nb\r\n"},
      {"leading empty lines", "\r\n\r\na\r\n\r\n", "\r\n\r\na\r\n", "\r\n\r\na\r\n"},
      {"WSP runs", "a  \t b\t\r\n", "a  \t b\t\r\n", "a b\r\n"},
      {"leading WSP kept as one SP", " \t lead\r\n", " \t lead\r\n", " lead\r\n"},
      {"WSP-only lines at the end", "x\r\n   \r\n\t\r\n", "x\r\n   \r\n\t\r\n", "x\r\n"},
      {"WSP-only body", " \r\n\t\r\n", " \r\n\t\r\n", ""},
      {"no final CRLF", "no newline", "no newline\r\n", "no newline\r\n"},
      {"no final CRLF, WSP", "abc  ", "abc  \r\n", "abc\r\n"},
      {"WSP only, no final CRLF", "  ", "  \r\n", ""},
      {"bare CR is a byte", "a\rb\r\n", "a\rb\r\n", "a\rb\r\n"},
      {"bare LF is a byte", "a\nb\r\n", "a\nb\r\n", "a\nb\r\n"},
      {"CR CR LF", "abc \r\r\n", "abc \r\r\n", "abc \r\r\n"},
      {"CR at the very end", "abc\r", "abc\r\r\n", "abc\r\r\n"},
      {"8-bit", "Gr\xc3\xbc\xc3\x9f \xff\r\n", "Gr\xc3\xbc\xc3\x9f \xff\r\n",
       "Gr\xc3\xbc\xc3\x9f \xff\r\n"},
      {"many empty lines, then content", repeat("\r\n", 3000) + "x\r\n",
       repeat("\r\n", 3000) + "x\r\n", repeat("\r\n", 3000) + "x\r\n"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK(canonicalize_body(false, c.body) == c.simple);
    CHECK(canonicalize_body(true, c.body) == c.relaxed);
    for (size_t chunk : {1u, 2u, 3u, 5u}) {
      INFO("chunk " << chunk);
      CHECK(chunked(false, c.body, chunk) == c.simple);
      CHECK(chunked(true, c.body, chunk) == c.relaxed);
    }
  }
}

TEST_CASE("many held-back empty lines are written in pieces when content follows") {
  const std::string body = repeat("\r\n", 20000) + "x\r\n";
  size_t biggest = 0, total = 0;
  BodyCanonicalizer c(false, [&](std::string_view s) {
    biggest = std::max(biggest, s.size());
    total += s.size();
  });
  for (size_t i = 0; i < body.size(); i += 1000) c.feed(std::string_view(body).substr(i, 1000));
  c.finish();
  CHECK(total == body.size());
  CHECK(biggest <= 8192);
  CHECK(canonicalize_body(true, body) == body);
}

TEST_CASE("empty-body and RFC 8463 body hashes") {
  // RFC 6376 §3.4.3 and §3.4.4 give the SHA-256 of the empty body.
  CHECK(sha256_b64(canonicalize_body(false, "")) == "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
  CHECK(sha256_b64(canonicalize_body(true, "")) == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  // RFC 8463 §A.3: bh= of its example message (relaxed).
  ParsedMessage m = parse_message(testing::read_data("rfc8463-a3.eml"));
  for (size_t chunk : {1u, 7u, 4096u})
    CHECK(sha256_b64(chunked(true, m.body, chunk)) ==
          "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
}

TEST_CASE("h= selects fields bottom-up, each instance once (RFC 6376 §5.4.2)") {
  const HeaderList h{{"Received", " r1"}, {"To", " t1"},     {"From", " f"},
                     {"TO", " t2"},       {"Subject", " s"}, {"to", " t3"}};
  struct Case {
    std::vector<std::string> names;
    std::vector<const char*> values;  // nullptr: no instance left
  } cases[] = {
      {{"to"}, {" t3"}},
      {{"to", "to", "to"}, {" t3", " t2", " t1"}},
      {{"to", "to", "to", "to"}, {" t3", " t2", " t1", nullptr}},
      {{"From", "from"}, {" f", nullptr}},
      {{"cc", "subject"}, {nullptr, " s"}},
      {{}, {}},
  };
  for (const auto& c : cases) {
    auto got = select_header_fields(h, c.names);
    REQUIRE(got.size() == c.values.size());
    for (size_t i = 0; i < got.size(); ++i) {
      INFO(i);
      if (c.values[i] == nullptr)
        CHECK(got[i] == nullptr);
      else
        CHECK((got[i] != nullptr && got[i]->value == c.values[i]));
    }
  }
  CHECK(canonical_header_block(h, {"to", "to", "cc", "from"}, true) ==
        "to:t3\r\nto:t2\r\nfrom:f\r\n");
}

TEST_CASE("RFC 8463 §A.3 signatures verify over our canonical header data") {
  // Independent of libopendkim: the header hash input built here (selected fields +
  // the signature field with b= emptied, relaxed) must verify with the RFC's keys.
  ParsedMessage m = parse_message(testing::read_data("rfc8463-a3.eml"));
  REQUIRE(m.headers.size() >= 2);
  std::vector<std::string> h = {"from",       "to",   "subject", "date",
                                "message-id", "from", "subject", "date"};
  struct Case {
    size_t index;
    const char* p;
    bool ed25519;
  } cases[] = {
      {0, "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", true},
      {1,
       "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/"
       "J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLz"
       "BfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB",
       false},
  };
  for (const auto& c : cases) {
    INFO(c.index);
    const HeaderField& sig = m.headers[c.index];
    size_t b = sig.value.rfind(" b=");  // the last tag; its value is base64
    REQUIRE(b != std::string::npos);
    b += 1;
    std::string b64, sig_bytes, key;
    for (char ch : sig.value.substr(b + 2))
      if (ch != ' ' && ch != '\r' && ch != '\n' && ch != '\t') b64 += ch;
    REQUIRE(base64_decode(b64, sig_bytes));
    REQUIRE(base64_decode(c.p, key));
    const auto* kp = reinterpret_cast<const unsigned char*>(key.data());
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
        c.ed25519 ? EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, kp, key.size())
                  : d2i_PUBKEY(nullptr, &kp, static_cast<long>(key.size())),
        EVP_PKEY_free);
    REQUIRE(pkey);
    auto verifies = [&](std::string in) {
      if (c.ed25519) {  // RFC 8463 §3: Ed25519 over the SHA-256 of the data
        unsigned char md[32];
        unsigned int n = 0;
        REQUIRE(EVP_Digest(in.data(), in.size(), md, &n, EVP_sha256(), nullptr) == 1);
        in.assign(reinterpret_cast<const char*>(md), n);
      }
      std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                  EVP_MD_CTX_free);
      REQUIRE(EVP_DigestVerifyInit(ctx.get(), nullptr, c.ed25519 ? nullptr : EVP_sha256(), nullptr,
                                   pkey.get()) == 1);
      return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig_bytes.data()),
                              sig_bytes.size(), reinterpret_cast<const unsigned char*>(in.data()),
                              in.size()) == 1;
    };
    std::string data = canonical_header_block(m.headers, h, true) +
                       canon_header_relaxed(sig.name, sig.value.substr(0, b + 2));
    CHECK(verifies(data));
    std::string bad = data;  // one changed byte in a signed field
    bad[bad.find("dinner")] = 'D';
    CHECK_FALSE(verifies(bad));
  }
}

TEST_CASE("body canonicalization: runs give the byte-by-byte result on random bodies") {
  // Fed one byte at a time the canonicalizer takes no run longer than one byte,
  // so that is the reference for the run-wise fast paths (whole words, single
  // SPs inside a run under relaxed, find('\r') under simple).
  std::uint32_t seed = 12345;
  auto next = [&seed] {  // an LCG's high bits (its low bits repeat with a short period)
    seed = seed * 1664525u + 1013904223u;
    return seed >> 16;
  };
  const char alphabet[] = {'a', 'b', ' ', ' ', '\t', '\r', '\n', '\xff'};
  for (int round = 0; round < 3000; ++round) {
    std::string body;
    const size_t len = next() % 120;
    for (size_t i = 0; i < len; ++i) body += alphabet[next() % sizeof alphabet];
    const size_t chunk = 2 + next() % 40;
    INFO("body '" << body << "' chunk " << chunk);
    for (bool relaxed : {false, true}) {
      const std::string want = chunked(relaxed, body, 1);
      CHECK(canonicalize_body(relaxed, body) == want);
      CHECK(chunked(relaxed, body, chunk) == want);
    }
  }
}
