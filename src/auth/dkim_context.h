// What every DKIM verifier and signer of one configuration shares, built once at
// start-up and on reload: the signing Options (t= clock, x= TTL) and the cache of
// decoded public keys (dkim_key_record.h), so that each key record is base64- and
// DER-decoded once, not once per message (issue 12). Thread-safe: the Options are
// read-only, the cache locks. No libopendkim: verification is alignd's own
// (dkim_verifier.h); libopendkim is only the test oracle (tests/oracle/).
#pragma once
#include <cstddef>
#include <ctime>
#include <optional>
#include <stdexcept>

#include "auth/dkim_key_record.h"

namespace alignd {

struct DkimError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class DkimContext {
 public:
  struct Options {
    // x= on our signatures: t= + signature_ttl_s (RFC 6376 §3.5); 0 = no x=.
    int signature_ttl_s = 0;
    // t= on our signatures; unset = the clock. For reproducible tests only.
    std::optional<std::time_t> fixed_time;
    // Decoded keys kept (least recently used dropped beyond this).
    size_t key_cache_entries = 4096;
  };

  DkimContext() : DkimContext(Options{}) {}
  explicit DkimContext(const Options& options)
      : options_(options), keys_(options.key_cache_entries) {}
  DkimContext(const DkimContext&) = delete;
  DkimContext& operator=(const DkimContext&) = delete;

  const Options& options() const { return options_; }
  DkimKeyCache& keys() { return keys_; }

 private:
  Options options_;
  DkimKeyCache keys_;
};

}  // namespace alignd
