// One process-wide libopendkim handle (DKIM_LIB*), configured once at start-up and
// shared by every verifier (libopendkim allows concurrent per-message handles on one
// library handle). Signing does not use libopendkim (dkim_signer.h); signers read
// only the Options here. Key lookups never use libopendkim's own DNS: they
// go through the Resolver each DkimVerifier passes in (dkim_lookup.h).
#pragma once
#include <ctime>
#include <optional>
#include <stdexcept>

struct dkim_lib;  // libopendkim's DKIM_LIB, kept out of this header (dkim.h needs _Bool)

namespace alignd {

struct DkimError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class DkimLibrary {
 public:
  struct Options {
    // x= on our signatures: t= + signature_ttl_s (RFC 6376 §3.5); 0 = no x=.
    int signature_ttl_s = 0;
    // t= on our signatures; unset = the clock. For reproducible tests only.
    std::optional<std::time_t> fixed_time;
  };

  // Throws DkimError if libopendkim cannot be initialised or lacks ed25519-sha256.
  DkimLibrary();
  explicit DkimLibrary(const Options& options);
  ~DkimLibrary();
  DkimLibrary(const DkimLibrary&) = delete;
  DkimLibrary& operator=(const DkimLibrary&) = delete;

  dkim_lib* handle() const { return lib_; }
  const Options& options() const { return options_; }

 private:
  dkim_lib* lib_ = nullptr;
  Options options_;
};

}  // namespace alignd
