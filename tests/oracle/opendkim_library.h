// Test oracle (not in the daemon): one libopendkim handle (DKIM_LIB*) configured as
// alignd's production verifier was before issue 12 — bad-signature handles, RSA keys
// of at least 1024 bits (RFC 8301 §3.2), rsa-sha1 refused in the prescreen (§3.1),
// key lookups through our Resolver and the one key lookup (auth/dkim_key_lookup.h).
// The differential tests compare DkimVerifier with OpenDkimVerifier over this handle.
#pragma once
#include <stdexcept>

struct dkim_lib;  // libopendkim's DKIM_LIB, kept out of this header (dkim.h needs _Bool)

namespace alignd::oracle {

class OpenDkimLibrary {
 public:
  // Throws std::runtime_error if libopendkim cannot be initialised or lacks ed25519.
  OpenDkimLibrary();
  ~OpenDkimLibrary();
  OpenDkimLibrary(const OpenDkimLibrary&) = delete;
  OpenDkimLibrary& operator=(const OpenDkimLibrary&) = delete;

  dkim_lib* handle() const { return lib_; }

 private:
  dkim_lib* lib_ = nullptr;
};

}  // namespace alignd::oracle
