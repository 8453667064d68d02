// One decided message as the store keeps it for `alignd simulate`: the facts a
// policy rule can read (core/policy/conditions.cc, template.cc) and what was
// done with it. Every message decided at end of data is kept, inbound and
// outbound, whatever its DMARC record asks for (the report rows,
// core/report/evaluation.h, stay one per reportable author domain). Pure values.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/evidence.h"
#include "core/verdict.h"

namespace alignd {

struct MessageRecord {
  std::int64_t time = 0;  // unix seconds
  // What decide() reads, restored: connection, envelope (every recipient),
  // SPF, DKIM (domain, selector, result), the combined DMARC result with its
  // policy fields, from_problem, dns_temperror, the FCrDNS names if they were
  // looked up, and only the kept header fields (values cut to 998 octets).
  Evidence ev;
  std::string action;  // what was done: accept | tag | quarantine | reject | tempfail
  std::string rule;    // the rule that fired, "" = none
};

// `keep`: header field names to keep (case-insensitive).
MessageRecord make_message_record(const Evidence& ev, const Verdict& v, std::int64_t unix_time,
                                  const std::vector<std::string>& keep);

// The source a message came from, as simulate groups it: the first
// forward-confirmed name if known, else the client IP ("(local)" for none).
std::string message_source(const Evidence& ev);

}  // namespace alignd
