// The body hashes of one message (RFC 6376 §3.7 hash step 1), each computed once per
// distinct (body canonicalization, hash algorithm, l=) and shared by every signature
// that needs it: the DKIM verifier's DKIM-Signatures and the ARC verifier's
// ARC-Message-Signatures (RFC 8617 §4.1.2: an AMS has "the same syntax and semantics
// as the DKIM-Signature field", c= and l= included). One BodyCanonicalizer per body
// canonicalization (RFC 6376 §3.4.3 simple, §3.4.4 relaxed) feeds one digest per l=.
// The only hash algorithm either verifier accepts is SHA-256 (RFC 8301 §3.1 retired
// rsa-sha1; RFC 8463 ed25519-sha256 and RFC 8617 rsa-sha256 hash with SHA-256), so
// the algorithm is not part of the key yet. Leaves out comparing with bh= and what
// an l= longer than the body means: each verifier decides that itself.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alignd {

class BodyHashes {
 public:
  using Id = size_t;
  BodyHashes();
  ~BodyHashes();
  BodyHashes(const BodyHashes&) = delete;
  BodyHashes& operator=(const BodyHashes&) = delete;

  // Registers a need (before the first non-empty feed(); a later one is never
  // ready): the SHA-256 of the body under
  // `relaxed` or simple body canonicalization, cut after `limit` canonical octets
  // (l=, RFC 6376 §3.5). The same need twice gives the same Id.
  Id need(bool relaxed, std::optional<uint64_t> limit);

  // The body as it arrives, CRLF line ends, chunks of any size. Nothing is done
  // while no need is registered.
  void feed(std::string_view chunk);
  // Ends the body. Idempotent; digest() calls it.
  void finish();

  struct Digest {
    bool ready = false;  // the digest could be set up (false: out of memory, or the
                         // need came after feed(), which would miss bytes)
    bool ok = false;     // ready, and every update and the final step succeeded
    std::string value;   // raw digest bytes, of at most `limit` canonical octets
    uint64_t total = 0;  // canonical body octets seen in all (for l= > body)
  };
  const Digest& digest(Id id);

  bool has_needs() const { return !entries_.empty(); }
  // Distinct digests computed and canonicalizers run (for tests and metrics).
  size_t digests() const { return entries_.size(); }
  size_t canonicalizers() const;

 private:
  struct Entry;
  struct Canon;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::unique_ptr<Canon> simple_, relaxed_;
  bool fed_ = false, finished_ = false;
};

}  // namespace alignd
