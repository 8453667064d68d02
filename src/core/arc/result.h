// ARC (RFC 8617) results as plain values: the Chain Validation Status (§4.4), each
// ARC Set's sealer and what its ARC-Authentication-Results recorded, and the local
// trust verdict (trust.h). Filled by ArcVerifier (src/auth) and Session; read by the
// policy conditions and the Authentication-Results builder. No parsing here.
#pragma once
#include <string>
#include <vector>

#include "core/outcome.h"

namespace alignd {

// What one ARC-Authentication-Results field (RFC 8617 §4.1.1) recorded, as far as
// a policy needs it. Results are lowercase RFC 8601 result names; "" when absent.
struct ArcAarInfo {
  std::string authserv_id;
  std::string dmarc;              // dmarc= result
  std::string dmarc_from;         // its header.from, lowercase
  std::vector<std::string> spf;   // every spf= result
  std::vector<std::string> dkim;  // every dkim= result
};

// One ARC Set (RFC 8617 §4.2), by instance.
struct ArcSetInfo {
  int instance = 0;
  std::string seal_domain;    // ARC-Seal d=, lowercase
  std::string seal_selector;  // ARC-Seal s=
  std::string ams_domain;     // ARC-Message-Signature d=, lowercase
  std::string cv;             // ARC-Seal cv= as written (lowercase)
  bool ams_checked = false;   // validated (§5.2 steps 4-5 stop at the first failure)
  bool ams_pass = false;
  bool as_pass = false;
  ArcAarInfo aar;
};

struct ArcResult {
  bool checked = false;            // the ARC verifier ran on this message
  Outcome status = Outcome::None;  // None | Pass | Fail (RFC 8617 §4.4)
  std::string reason;              // why it failed
  int max_instance = 0;            // highest i= seen (even in a broken chain), for sealing
  bool latest_cv_fail = false;     // the newest ARC-Seal says cv=fail (§5.1 step 2)
  int oldest_pass = -1;            // §5.2 step 5: oldest AMS instance that validates, 0 = all
  std::vector<ArcSetInfo> sets;    // instance 1..N, only when the structure is valid

  // Local trust (core/arc/trust.h), from [arc] trusted_sealers.
  bool trusted_sealer = false;  // chain passes and the newest ARC-Seal is by a trusted sealer
  int trusted_from = 0;         // oldest instance i such that sets i..N are all trusted; 0 = none
  bool trusted_pass = false;    // ... and one of those AARs recorded dmarc=pass for the author
  int trusted_instance = 0;     // the instance whose AAR did
};

}  // namespace alignd
