// One message's DMARC evaluation (RFC 9989 §5.3; RFC 7489 §6.6 in
// compatibility mode): discovery, Identifier Alignment, pass/fail, and which
// Domain Owner Assessment Policy is requested. Pure: DNS and the PSL are passed
// in; what we do about the result is the policy engine's decision.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dmarc/discovery.h"
#include "core/dmarc/result.h"
#include "core/dns_types.h"
#include "core/results.h"

namespace alignd {

enum class DmarcMode {
  Rfc9989,  // DNS Tree Walk (RFC 9989 §4.10), psd=, np=, t=; pct ignored
  Rfc7489,  // public suffix list (RFC 7489 §3.2, §6.6.3); pct sampling; np=/psd= ignored
};
std::string_view to_string(DmarcMode m);  // "rfc9989" | "rfc7489"
// "tree-walk" / "rfc9989" and "psl" / "rfc7489" (the config's dmarc.discovery values).
std::optional<DmarcMode> parse_dmarc_mode(std::string_view s);

struct DmarcOptions {
  DmarcMode mode = DmarcMode::Rfc9989;
  // Registrable domain for RFC 7489 mode ("" = the name is a public suffix);
  // src/auth/psl.h provides one. Unused in RFC 9989 mode.
  PslOrgDomain psl_org_domain;
  // 0..99 (taken modulo 100): RFC 7489 §6.6.4 "(random mod 100) < pct" selects
  // the message. The caller draws it; the core has no randomness.
  uint32_t sample = 0;
};

struct DmarcInput {
  std::string author_domain;  // AuthorDomain::domain (A-label); "" when from_problem is set
  std::string from_problem;   // AuthorDomain::problem
  SpfResult spf_mailfrom;     // the MAIL FROM identity's result (RFC 9989 §4.4.2)
  std::vector<DkimResult> dkim;
};

DmarcResult evaluate_dmarc(const DmarcInput& in, const DnsLookup& dns, const DmarcOptions& opts);
// The same over a caller's DmarcDns, whose cache then spans several evaluations
// (e.g. each domain of a multi-address From, RFC 9989 §11.5).
DmarcResult evaluate_dmarc(const DmarcInput& in, DmarcDns& dns, const DmarcOptions& opts);

// Several author domains (RFC 9989 §11.5): core/dmarc/authors.h.

}  // namespace alignd
