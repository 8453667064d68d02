// One DMARC-evaluated inbound message as the store keeps it and aggregate reports
// count it (RFC 9990 §3.1.1.7–§3.1.1.14): identifiers, published policy, raw and
// aligned results, disposition, override reasons and the ARC chain (RFC 8617).
// Pure values; no storage here.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/evidence.h"
#include "core/report/evaluation_arc.h"
#include "core/verdict.h"

namespace alignd {

// The published policy as discovered (RFC 9989 §4.7); tags absent from the record
// are "" here and take their defaults when a report is built.
struct PublishedPolicy {
  std::string record;       // the TXT record text as published
  std::string p, sp, np;    // "none" | "quarantine" | "reject" | "" (absent)
  std::string adkim, aspf;  // "r" | "s" | ""
  std::string testing;      // t=: "y" | "n" | ""
  std::string psd;          // "y" | "n" | "u" | ""
  std::string pct;          // RFC 7489 pct=, "" if absent
  std::string fo;           // fo=, "" if absent
  std::string rua;          // rua= as published, "" if absent
  std::int64_t ri = 86400;  // RFC 7489 ri= (seconds), 86400 if absent or invalid
  std::string discovery;    // "treewalk" | "psl" (RFC 9990 DiscoveryType)
  std::string errors;       // record problems for the report's <error>, "" if none
  bool operator==(const PublishedPolicy&) const = default;
};

struct DkimAuth {
  std::string domain;        // d=
  std::string selector;      // s=
  std::string result;        // RFC 8601 §2.7.1 result, lowercase
  std::string human_result;  // why not pass, "" if nothing to say
  bool operator==(const DkimAuth&) const = default;
};

struct OverrideReason {
  std::string type;     // RFC 9990 §3.1.6 PolicyOverrideType (or RFC 7489 sampled_out)
  std::string comment;  // free text, "" if none
  bool operator==(const OverrideReason&) const = default;
};

struct Evaluation {
  std::int64_t time = 0;      // unix seconds, when the message was evaluated
  std::string source_ip;      // connecting IP, textual
  std::string envelope_from;  // RFC5321.MailFrom domain, "" for the null sender
  std::string envelope_to;    // domain of the first RCPT TO
  std::string header_from;    // RFC5322.From domain
  std::string policy_domain;  // where the DMARC record was found
  std::string organizational_domain;
  PublishedPolicy policy;
  // SPF (RFC 9990 §3.1.1.13): the MAIL FROM identity; "helo" only when the
  // MAIL FROM check did not run (RFC 7489 reports still show it).
  std::string spf_domain;
  std::string spf_scope;   // "mfrom" | "helo" | "" (no SPF result)
  std::string spf_result;  // RFC 8601 §2.7.2 result, lowercase
  std::string spf_human;
  std::vector<DkimAuth> dkim;  // every signature examined, as received
  bool spf_aligned = false;
  bool dkim_aligned = false;
  std::string dmarc_result;  // "pass" | "fail" | "none" | "temperror" | "permerror"
  std::string disposition;   // applied: "none" | "quarantine" | "reject"
  std::string requested;     // requested policy after p/sp/np selection
  std::vector<OverrideReason> overrides;
  // ARC (RFC 8617): the chain, its sealers, and whether overrides[0] rested on it;
  // the report names the chain in that reason's comment (evaluation_arc.h).
  EvaluationArc arc;

  bool operator==(const Evaluation&) const = default;
};

// Builds the store row for a message the policy engine decided on, for the
// DMARC result of one of its author domains (ev.dmarc, or one of ev.dmarc_each).
Evaluation make_evaluation(const Evidence& ev, const Verdict& v, std::int64_t unix_time);
Evaluation make_evaluation(const Evidence& ev, const DmarcResult& dmarc, const Verdict& v,
                           std::int64_t unix_time);

// True when the message should be recorded for this author domain's result:
// inbound, DMARC evaluated with a policy domain whose record asks for aggregate
// reports (rua= with a mailto URI), and the message is not itself a DMARC report
// (no reports about reports). A broken From (several From fields, several
// author domains) is recorded too, for each domain evaluated (RFC 9989 §11.5):
// the domain owner should see the attack.
bool should_record(const Evidence& ev, const DmarcResult& dmarc);
bool should_record(const Evidence& ev);  // ev.dmarc

// True for DMARC aggregate reports (RFC 9990 §3.5.2 Subject, case-sensitive, and
// a top-level Content-Type of multipart/*, application/gzip|zip|xml or text/xml)
// and failure reports (RFC 9991 multipart/report; report-type=feedback-report).
// Header fields only: the body is never held.
bool is_report_message(const HeaderList& headers);

}  // namespace alignd
