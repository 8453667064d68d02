// What Session asks the MTA to do. callbacks.cc alone turns these into smfi_*
// calls; `alignd eval` prints them. No libmilter types here.
#pragma once
#include <string>
#include <vector>

#include "core/header.h"
#include "core/verdict.h"

namespace alignd {

// Reply to one SMTP stage before end of message.
struct StageReply {
  enum Kind { Continue, Reject, TempFail };
  Kind kind = Continue;
  SmtpReply reply;
  static StageReply go() { return {}; }
};

struct HeaderRemoval {
  std::string name;
  int index = 0;      // 1-based among fields with this name, as received (smfi_chgheader)
  std::string value;  // the removed value, for logs and eval output
};

// Everything to do at end of message, in this order: remove, change, insert
// at the top (first element ends up first), append, then quarantine/reply.
struct EomActions {
  std::vector<HeaderRemoval> remove;
  std::vector<HeaderRemoval> change;  // index + new value (Subject prefix)
  std::vector<HeaderField> insert_top;
  std::vector<HeaderField> append;
  std::string quarantine_reason;      // non-empty: smfi_quarantine
  // Outbound mail without our DKIM signature: why (auth/signing_plan.h code,
  // e.g. "no-key", "key-expired", "already-signed") and in words. "" = signed.
  std::string not_signed;
  std::string not_signed_detail;
  Verdict verdict;
};

}  // namespace alignd
