// DKIM canonicalization (RFC 6376 §3.4) for our own signer: header fields relaxed and
// simple, the header fields a signature's h= selects (§5.4.2, bottom-up), and the body,
// streamed chunk by chunk. Pure: no crypto, no I/O; holds no body data beyond a small
// output buffer. Leaves out choosing what to sign (dkim_sig_field.h) and hashing.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/header.h"

namespace alignd {

// One header field, canonicalized, without the CRLF that ends it. `value` is
// everything after the colon (core/header.h), folded lines joined with CRLF.
// RFC 6376 §3.4.1 simple: name ":" value, unchanged.
std::string canon_header_simple(std::string_view name, std::string_view value);
// RFC 6376 §3.4.2 relaxed: name lowercased, continuation lines unfolded, WSP runs
// become one SP, WSP at the end of the value and around the colon deleted.
std::string canon_header_relaxed(std::string_view name, std::string_view value);
inline std::string canon_header(bool relaxed, std::string_view name, std::string_view value) {
  return relaxed ? canon_header_relaxed(name, value) : canon_header_simple(name, value);
}

// RFC 6376 §5.4.2: for each name in `h` (case-insensitive), the last instance of that
// field not yet used by an earlier occurrence of the name; nullptr where none is left
// (a name signed more often than it occurs, §8.15: it contributes nothing).
std::vector<const HeaderField*> select_header_fields(const HeaderList& headers,
                                                     const std::vector<std::string>& h);

// The header hash input for the fields in `h`: each selected field canonicalized and
// followed by CRLF (§3.7). The DKIM-Signature field itself is not included.
std::string canonical_header_block(const HeaderList& headers, const std::vector<std::string>& h,
                                   bool relaxed);

// Streams a message body through RFC 6376 §3.4.3 simple or §3.4.4 relaxed body
// canonicalization. Lines end in CRLF; a bare CR or LF is an ordinary byte. Empty
// lines at the end are held back (as a count) until content follows them, so chunk
// boundaries anywhere, even between CR and LF, give the same output as one chunk.
// The canonical bytes go to `sink` in pieces of at most a few kB.
class BodyCanonicalizer {
 public:
  using Sink = std::function<void(std::string_view)>;
  BodyCanonicalizer(bool relaxed, Sink sink);

  void feed(std::string_view chunk);
  // Ends the body: an unterminated last line gets its CRLF; an empty body is "CRLF"
  // under simple and nothing under relaxed. Call once; feed() is ignored afterwards.
  void finish();

 private:
  void byte(char c);
  void end_line();
  void put(char c);
  void put_run(std::string_view run);
  void flush();

  bool relaxed_;
  Sink sink_;
  std::string buf_;
  size_t pending_crlf_ = 0;   // line ends not yet written: they may be trailing empty lines
  bool pending_cr_ = false;   // a CR that may start a CRLF in the next chunk
  bool pending_wsp_ = false;  // relaxed: a WSP run, written as one SP if content follows
  bool any_content_ = false;  // something other than held-back line ends written
  bool finished_ = false;
};

// The whole body at once (for tests and small inputs).
std::string canonicalize_body(bool relaxed, std::string_view body);

}  // namespace alignd
