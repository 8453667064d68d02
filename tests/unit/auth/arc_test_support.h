// Helpers for the ARC unit tests: an RSA signing key published in a fake DNS, and
// a parsed message written back as text.
#pragma once
#include <string>

#include "auth/keys.h"
#include "auth/keygen.h"
#include "core/message.h"
#include "fakes/fake_resolver.h"

namespace alignd::testing {

// A key for DOMAIN/SEL whose record is added to `dns`; 1024-bit keys share one
// generated key (generating one per test is slow).
inline SigningKey make_key(const std::string& domain, const std::string& sel, FakeResolver& dns,
                           int bits = 1024) {
  static GeneratedKey g = generate_key(KeyType::Rsa, 1024);
  GeneratedKey k = bits == 1024 ? g : generate_key(KeyType::Rsa, bits);
  SigningKey s;
  s.domain = domain;
  s.selector = sel;
  s.algorithm = "rsa-sha256";
  s.private_key = k.private_pem;
  s.bits = bits;
  dns.add(sel + "._domainkey." + domain + ".", RrType::TXT,
          dkim_key_record(KeyType::Rsa, k.public_b64));
  return s;
}

inline std::string serialize(const ParsedMessage& m) {
  std::string out;
  for (const auto& h : m.headers) out += h.name + ":" + h.value + "\r\n";
  return out + "\r\n" + m.body;
}

}  // namespace alignd::testing
