// End of message, carried out: EomActions applied through MtaEdits, the small
// interface over the MTA's modification calls (callbacks.cc implements it with
// smfi_*; tests with a fake that refuses). A refused edit never passes silently:
// a forged Authentication-Results that could not be removed would stay, so the
// message is tempfailed (451 4.3.0) and the refusal named for the log.
// SMTP replies (smfi_setreply) stay in callbacks.cc.
#pragma once
#include <string>

#include "milter/actions.h"

namespace alignd {

class MtaEdits {
 public:
  virtual ~MtaEdits() = default;
  // Each returns false when the MTA refused (libmilter MI_FAILURE).
  // value == nullptr removes the index-th field with that name (1-based).
  virtual bool change_header(const std::string& name, int index, const std::string* value) = 0;
  virtual bool insert_header(int index, const std::string& name, const std::string& value) = 0;
  virtual bool add_header(const std::string& name, const std::string& value) = 0;
  virtual bool quarantine(const std::string& reason) = 0;
};

struct EomOutcome {
  StageReply reply;     // Continue, or the verdict's Reject/TempFail, or 451 4.3.0 on failure
  std::string failure;  // "" = every edit applied; else the first refused call
};

// Applies a: removals (highest index first, so earlier indexes stay valid),
// changes, insertions at the top (first element ends up first), appends, then
// the verdict's reply or quarantine. Stops at the first refused call.
EomOutcome apply_eom_actions(const EomActions& a, MtaEdits& mta);

}  // namespace alignd
