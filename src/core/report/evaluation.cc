// Evidence + Verdict -> Evaluation (the store row), and which messages to record.
#include "core/report/evaluation.h"

#include "core/report/destination.h"
#include "core/report/published_policy.h"
#include "core/text.h"

namespace alignd {

namespace {

std::string domain_of(std::string_view address) {
  address = trim(address);
  if (!address.empty() && address.front() == '<') address.remove_prefix(1);
  if (!address.empty() && address.back() == '>') address.remove_suffix(1);
  auto at = address.rfind('@');
  if (at == std::string_view::npos) return "";
  return normalize_domain(address.substr(at + 1));
}

std::string applied_disposition(const DmarcResult& dmarc, const Verdict& v) {
  const std::string& d = dmarc.applied_disposition;
  if (d == "none" || d == "quarantine" || d == "reject") return d;
  switch (v.action) {
    case Action::Reject: return "reject";
    case Action::Quarantine: return "quarantine";
    default: return "none";
  }
}

// Unfolds a header value (CRLF + WSP -> WSP) and trims it.
std::string unfolded(std::string_view v) {
  std::string out;
  for (char c : v)
    if (c != '\r' && c != '\n') out.push_back(c);
  return std::string(trim(out));
}

// RFC 9990 §3.5.2 dmarc-subject: %s"Report" 1*FWS %s"Domain:" 1*FWS domain-name
// 1*FWS %s"Submitter:" 1*FWS domain-name [...] (case-sensitive literals).
bool dmarc_subject(std::string_view value) {
  std::vector<std::string> words;
  std::string w;
  for (char c : unfolded(value) + " ") {
    if (c == ' ' || c == '\t') {
      if (!w.empty()) words.push_back(std::move(w));
      w.clear();
    } else {
      w.push_back(c);
    }
  }
  return words.size() >= 5 && words[0] == "Report" && words[1] == "Domain:" &&
         words[3] == "Submitter:" && words[2].find('.') != std::string::npos &&
         words[4].find('.') != std::string::npos;
}

// The top-level media type can carry an aggregate report (RFC 9990 §3.5.2:
// application/gzip or text/xml, alone or as a part of a multipart message).
bool report_media_type(std::string_view ct) {
  for (const char* t : {"multipart/", "application/gzip", "application/x-gzip", "application/zip",
                        "application/xml", "text/xml"})
    if (istarts_with(ct, t)) return true;
  return false;
}

}  // namespace

bool is_report_message(const HeaderList& headers) {
  bool subject = false;
  std::string ct;  // RFC 2045 §5.2: none means text/plain
  for (const auto& h : headers) {
    if (iequals(h.name, "Subject") && !subject) subject = dmarc_subject(h.value);
    if (iequals(h.name, "Content-Type") && ct.empty()) ct = to_lower(unfolded(h.value));
  }
  // RFC 9991 failure reports: multipart/report; report-type=feedback-report
  if (istarts_with(ct, "multipart/report") && ct.find("feedback-report") != std::string::npos)
    return true;
  return subject && report_media_type(ct);
}

// A report is not recorded (no reports about reports), but only when it passes
// DMARC: the author domain authenticated it (RFC 9990 §3.5.2 requires report
// streams to pass). Report-looking mail that fails is recorded like any other,
// so a spoofer cannot hide from the spoofed domain's reports by dressing up as a
// report; a sender can only leave out its own authenticated mail (issue 10 item 6).
bool should_record(const Evidence& ev, const DmarcResult& dmarc) {
  if (ev.outbound() || !dmarc.evaluated) return false;
  if (dmarc.policy_domain.empty() || dmarc.author_domain.empty()) return false;
  if (dmarc.record.empty()) return false;
  if (mailto_destinations(dmarc.record).mailto.empty())
    return false;  // RFC 9989 §4.7: no rua, no reports
  return !(dmarc.result == Outcome::Pass && is_report_message(ev.headers));
}

bool should_record(const Evidence& ev) {
  return should_record(ev, ev.dmarc);
}

Evaluation make_evaluation(const Evidence& ev, const Verdict& v, std::int64_t unix_time) {
  return make_evaluation(ev, ev.dmarc, v, unix_time);
}

Evaluation make_evaluation(const Evidence& ev, const DmarcResult& dmarc, const Verdict& v,
                           std::int64_t unix_time) {
  Evaluation e;
  e.time = unix_time;
  e.source_ip = ev.client_ip;
  e.envelope_from = domain_of(ev.mail_from);
  e.envelope_to = ev.rcpt_to.empty() ? "" : domain_of(ev.rcpt_to.front());
  e.header_from = normalize_domain(dmarc.author_domain);
  e.policy_domain = normalize_domain(dmarc.policy_domain);
  e.organizational_domain = normalize_domain(dmarc.organizational_domain);
  e.policy = read_published_policy(dmarc.record, dmarc.discovery);

  // DMARC uses the MAIL FROM identity (RFC 9989 §4.4.2, RFC 9990 §3.1.1.13); for
  // the null sender that is postmaster@HELO, still the "mfrom" scope.
  const SpfResult* spf = nullptr;
  if (ev.spf_mailfrom.checked) {
    spf = &ev.spf_mailfrom;
    e.spf_scope = "mfrom";
  } else if (ev.spf_helo.checked) {
    spf = &ev.spf_helo;
    e.spf_scope = "helo";
  }
  if (spf) {
    e.spf_domain = normalize_domain(spf->domain);
    e.spf_result = std::string(to_string(spf->result));
    if (spf->result != Outcome::Pass) e.spf_human = spf->reason;
  }
  for (const auto& d : ev.dkim) {
    DkimAuth a;
    a.domain = normalize_domain(d.domain);
    a.selector = d.selector;
    a.result = std::string(to_string(d.result));
    if (d.result != Outcome::Pass) a.human_result = d.reason;
    e.dkim.push_back(std::move(a));
  }
  e.spf_aligned = dmarc.spf_aligned;
  e.dkim_aligned = dmarc.dkim_aligned;
  e.dmarc_result = std::string(to_string(dmarc.result));
  e.disposition = applied_disposition(dmarc, v);
  e.requested = std::string(to_string(dmarc.requested_policy));

  // The verdict's override concerns ev.dmarc; another author domain of the same
  // message (ev.dmarc_each) carries it only when it failed and was weakened too.
  const bool weakened = dmarc.result == Outcome::Fail && e.disposition != e.requested;
  e.arc = evaluation_arc(ev.arc);
  if (!v.override_reason.empty() && (&dmarc == &ev.dmarc || weakened)) {
    e.overrides.push_back({v.override_reason, v.override_comment});
    e.arc.override_used = v.override_arc;
  } else if (dmarc.result != Outcome::Pass && e.disposition != e.requested) {
    // RFC 9990 §3.1.1.9: when alignment fails and the applied policy differs from
    // the published one, a reason MUST be given.
    if (dmarc.result != Outcome::Fail) {
      e.overrides.push_back(
          {"other", "DMARC " + e.dmarc_result + (dmarc.reason.empty() ? "" : ": " + dmarc.reason)});
    } else if (dmarc.testing) {
      e.overrides.push_back({"policy_test_mode", "t=y"});
    } else {
      e.overrides.push_back(
          {"local_policy", v.rule.empty() ? "local policy" : "local rule " + v.rule});
    }
  }
  return e;
}

}  // namespace alignd
