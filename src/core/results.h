// Per-check results handed from the SPF and DKIM adapters to DMARC, the policy
// engine, Authentication-Results and the store. Pure values.
#pragma once
#include <cstddef>
#include <string>

#include "core/outcome.h"

namespace alignd {

// RFC 7208 §2.6; one per identity (HELO, MAIL FROM).
struct SpfResult {
  Outcome result = Outcome::None;
  std::string identity;     // "user@example.com", "postmaster@helo.example" or the HELO name
  std::string domain;       // the domain checked (RFC 7208 §4.1 <domain>)
  std::string explanation;  // exp= text on fail, if any (RFC 7208 §6.2)
  std::string reason;       // human-readable: mechanism matched or error
  bool checked = false;     // false when skipped (trusted client, no HELO, ...)
};

// RFC 6376 §3.9 / RFC 8601 §2.7.1; one per DKIM-Signature examined.
struct DkimResult {
  Outcome result = Outcome::None;
  std::string domain;     // d=
  std::string selector;   // s=
  std::string algorithm;  // a=, e.g. "rsa-sha256", "ed25519-sha256"
  std::string identity;   // i=, if present
  std::string b_prefix;   // first 8+ characters of b= (RFC 6008) for header.b
  int key_bits = 0;       // RSA modulus size; 256 for Ed25519
  bool has_body_length = false;  // l= present (RFC 6376 §8.2)
  bool unsigned_body_content = false;  // l= shorter than the body received
  size_t unsigned_body_bytes = 0;      // canonical content bytes after the l= limit
  std::string reason;     // why not pass, human-readable
};

}  // namespace alignd
