// The one DKIM key lookup (RFC 6376 §3.6.2, §6.1.2) for every signature alignd
// checks — DKIM-Signature (dkim_verifier.h), ARC (arc_verifier.h) — and the
// libopendkim test oracle: the TXT record at <s>._domainkey.<d> through our
// Resolver (its cache, query budget and per-message deadline), then decoded once per
// record text in a DkimKeyCache. One set of reason texts (docs/dkim.md). What a
// usable key may sign (k=, RSA size, t=s) is the caller's rule.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "auth/dkim_key_record.h"
#include "core/outcome.h"
#include "dns/resolver.h"

namespace alignd {

struct DkimKeyAnswer {
  Outcome outcome = Outcome::None;           // None: record found (and key usable, if decoded)
  std::string reason;                        // why not, for TempError / PermError
  std::string name;                          // <s>._domainkey.<d>, no trailing dot
  std::string record;                        // the TXT record used ("" when none)
  std::shared_ptr<const DkimPublicKey> key;  // lookup_dkim_key only: the decoded record
};

// DNS only. TempFail (timeout, SERVFAIL, budget or deadline used up) is TempError,
// never "no key" (RFC 6376 §6.1.2 step 3); NXDOMAIN/NODATA and unusable answers are
// PermError. Of several records the first is used (§3.6.2.2 leaves this undefined).
DkimKeyAnswer fetch_dkim_key_record(Resolver& dns, std::string_view selector,
                                    std::string_view domain);

// fetch_dkim_key_record, then the record decoded through `keys` (null: decoded
// here, uncached). A record that does not decode is PermError with the parser's
// reason (revoked, bad base64, h=, s=, k=, …).
DkimKeyAnswer lookup_dkim_key(Resolver& dns, DkimKeyCache* keys, std::string_view selector,
                              std::string_view domain);

}  // namespace alignd
