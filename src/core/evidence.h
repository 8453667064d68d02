// Everything known about one message at end of data: the single input of every
// policy decision (PolicyEngine::decide). Pure values, filled by Session.
#pragma once
#include <string>
#include <vector>

#include "core/arc/result.h"
#include "core/dmarc/result.h"
#include "core/header.h"
#include "core/results.h"

namespace alignd {

struct Evidence {
  // connection
  std::string client_ip;   // textual IPv4/IPv6
  std::string client_ptr;  // MTA-supplied host name, "" if unknown (not verified: never trust it)
  // Forward-confirmed PTR names of client_ip (core/fcrdns.h), looked up by
  // alignd through the message's resolver only when a rule has a client_name
  // condition; client_name_status: "verified", "none", "temperror",
  // "invalid-ip", or "" when not looked up. client_name: the first, "" if none.
  std::vector<std::string> client_names;
  std::string client_name;
  std::string client_name_status;
  bool trusted = false;        // client IP in trusted_networks
  bool authenticated = false;  // SASL {auth_authen} present
  std::string auth_user;
  std::string helo;
  // envelope
  std::string queue_id;
  std::string mail_from;  // without angle brackets; "" is the null sender
  std::vector<std::string> rcpt_to;
  // content
  HeaderList headers;
  // checks
  SpfResult spf_helo;
  SpfResult spf_mailfrom;
  std::vector<DkimResult> dkim;
  int dkim_ignored = 0;  // DKIM-Signature fields beyond [dkim] max_signatures, not examined
  DmarcResult dmarc;  // the one author domain's result, or the strictest of several
  // Each evaluated author domain's own result (one entry for an ordinary
  // message; several for a multi-domain From, RFC 9989 §11.5), for the reports.
  std::vector<DmarcResult> dmarc_each;
  ArcResult arc;  // RFC 8617 chain validation and local trust (core/arc)
  // A temporary DNS failure that could change the outcome. At MAIL FROM: the SPF
  // check of the MAIL FROM identity. At end of message: DMARC ended in temperror
  // (the DMARC record, an Organizational Domain walk, the np= existence check, or
  // the SPF / DKIM key lookup of an *aligned* identifier, RFC 9989 §5.3.6). A
  // temperror of an identifier that cannot align does not count.
  bool dns_temperror = false;
  // RFC 9989 §4.4/§11.5 author domain problems: "", "no-from", "multiple-from",
  // "multiple-addresses", "unparseable", "too-many-authors" (more distinct
  // domains than dmarc.max_author_domains: the evaluation is incomplete)
  std::string from_problem;
  // outbound: why mail from an authenticated login is not DKIM-signed (the login
  // may not use the From address, [signing] sender_login_map); "" = not refused
  std::string signing_refused;

  bool outbound() const { return trusted || authenticated; }
};

}  // namespace alignd
