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
  std::string client_ptr;  // MTA-supplied host name, "" if unknown
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
  DmarcResult dmarc;
  ArcResult arc;               // RFC 8617 chain validation and local trust (core/arc)
  bool dns_temperror = false;  // any check ended in temperror because of DNS
  // RFC 9989 §4.4 author domain problems: "", "no-from", "multiple-from",
  // "multiple-addresses", "unparseable"
  std::string from_problem;

  bool outbound() const { return trusted || authenticated; }
};

}  // namespace alignd
