// `alignd eval` output; see eval_output.h.
#include "app/eval_output.h"

#include "app/json.h"
#include "core/text.h"

namespace alignd {
namespace {

void spf_json(JsonWriter& j, const SpfResult& r) {
  j.begin_object();
  j.field("result", r.checked ? to_string(r.result) : "none");
  j.field("checked", r.checked);
  j.field("domain", r.domain);
  j.field("identity", r.identity);
  if (!r.explanation.empty()) j.field("explanation", r.explanation);
  j.field("reason", r.reason);
  j.end_object();
}

std::string unfold(std::string_view v) {
  std::string out;
  for (char c : v)
    if (c != '\r' && c != '\n') out += c;
  return out;
}

std::string field_line(const HeaderField& h) { return h.name + ":" + unfold(h.value); }

}  // namespace

std::string eval_json(const Evidence& ev, const EomActions& a) {
  const Verdict& v = a.verdict;
  JsonWriter j;
  j.begin_object();
  j.key("verdict").begin_object();
  j.field("action", to_string(v.action));
  j.field("smtp_reply", v.reply.str());
  j.field("rule", v.rule);
  j.key("trace").begin_array();
  for (const auto& t : v.trace) j.value(t);
  j.end_array();
  if (!v.quarantine_reason.empty()) j.field("quarantine_reason", v.quarantine_reason);
  j.end_object();

  j.key("connection").begin_object();
  j.field("client_ip", ev.client_ip);
  j.field("helo", ev.helo);
  j.field("mail_from", ev.mail_from);
  j.field("trusted", ev.trusted);
  j.field("authenticated", ev.authenticated);
  j.field("direction", ev.outbound() ? "outbound" : "inbound");
  j.end_object();

  j.key("spf").begin_object();
  j.key("helo");
  spf_json(j, ev.spf_helo);
  j.key("mailfrom");
  spf_json(j, ev.spf_mailfrom);
  j.end_object();

  j.key("dkim").begin_array();
  for (const auto& d : ev.dkim) {
    j.begin_object();
    j.field("result", to_string(d.result));
    j.field("domain", d.domain);
    j.field("selector", d.selector);
    j.field("algorithm", d.algorithm);
    j.field("key_bits", d.key_bits);
    j.field("body_length_limited", d.has_body_length);
    j.field("unsigned_body_bytes", static_cast<int>(d.unsigned_body_bytes));
    j.field("reason", d.reason);
    j.end_object();
  }
  j.end_array();
  j.field("dkim_ignored", ev.dkim_ignored);

  const DmarcResult& m = ev.dmarc;
  j.key("dmarc").begin_object();
  j.field("result", to_string(m.result));  // permerror for a From without a usable domain
  j.field("evaluated", m.evaluated);
  j.field("author_domain", m.author_domain);
  j.field("policy_domain", m.policy_domain);
  j.field("organizational_domain", m.organizational_domain);
  j.field("discovery", m.discovery);
  j.field("record", m.record);
  j.field("requested_policy", to_string(m.requested_policy));
  j.field("policy_tag", m.policy_tag);
  j.field("testing", m.testing);
  j.field("spf_aligned", m.spf_aligned);
  j.field("dkim_aligned", m.dkim_aligned);
  j.field("disposition", m.applied_disposition);
  j.key("override");
  if (v.override_reason.empty()) {
    j.null();
  } else {
    j.begin_object().field("type", v.override_reason).field("comment", v.override_comment).end_object();
  }
  j.field("effective_policy", to_string(m.effective_policy));
  j.field("sampled_out", m.sampled_out);
  j.field("mode", m.mode);
  j.field("reason", m.reason);
  if (!ev.from_problem.empty()) j.field("from_problem", ev.from_problem);
  if (ev.dmarc_each.size() > 1) {  // several author domains (RFC 9989 §11.5), each on its own
    j.key("author_domains").begin_array();
    for (const auto& d : ev.dmarc_each) {
      j.begin_object();
      j.field("domain", d.author_domain);
      j.field("result", to_string(d.result));
      j.field("requested_policy", to_string(d.requested_policy));
      j.field("policy_domain", d.policy_domain);
      j.end_object();
    }
    j.end_array();
  }
  j.key("errors").begin_array();
  for (const auto& e : m.errors) j.value(e);
  j.end_array();
  j.key("lookups").begin_array();  // every DNS query DMARC made, with its answer
  for (const auto& l : m.lookups) j.value(l);
  j.end_array();
  j.end_object();

  // RFC 8617 (docs/arc.md): chain status, sealers, trust.
  j.key("arc").begin_object();
  j.field("result", to_string(ev.arc.status));
  j.field("checked", ev.arc.checked);
  j.field("reason", ev.arc.reason);
  j.field("oldest_pass", ev.arc.oldest_pass);
  j.field("trusted_sealer", ev.arc.trusted_sealer);
  j.field("trusted_pass", ev.arc.trusted_pass);
  j.field("trusted_instance", ev.arc.trusted_instance);
  j.key("sets").begin_array();
  for (const auto& s : ev.arc.sets) {
    j.begin_object();
    j.field("instance", s.instance);
    j.field("sealer", s.seal_domain);
    j.field("selector", s.seal_selector);
    j.field("ams_domain", s.ams_domain);
    j.field("cv", s.cv);
    j.field("ams_pass", s.ams_pass);
    j.field("as_pass", s.as_pass);
    j.field("authserv_id", s.aar.authserv_id);
    j.field("dmarc", s.aar.dmarc);
    j.field("dmarc_from", s.aar.dmarc_from);
    j.end_object();
  }
  j.end_array();
  j.end_object();

  j.key("headers").begin_object();
  j.key("add").begin_array();
  for (const auto& h : a.insert_top)
    if (!iequals(h.name, "DKIM-Signature")) j.value(field_line(h));
  for (const auto& h : a.append) j.value(field_line(h));
  j.end_array();
  j.key("change").begin_array();
  for (const auto& h : a.change) j.value(h.name + ":" + unfold(h.value));
  j.end_array();
  j.key("remove").begin_array();
  for (const auto& h : a.remove) j.value(h.name + ":" + unfold(h.value));
  j.end_array();
  j.end_object();

  j.key("signatures").begin_array();
  for (const auto& h : a.insert_top)
    if (iequals(h.name, "DKIM-Signature")) j.value(field_line(h));
  j.end_array();
  // Why outbound mail was not signed ([signing] sender_login_map), null if it was not refused.
  j.key("signing_refused");
  if (ev.signing_refused.empty())
    j.null();
  else
    j.value(ev.signing_refused);
  j.end_object();
  return j.str() + "\n";
}

std::string eval_text(const Evidence& ev, const EomActions& a) {
  std::string out;
  out += std::string("client: ") + (ev.client_ip.empty() ? "(local)" : ev.client_ip) + " (" +
         (ev.outbound() ? "outbound: " : "inbound") +
         (ev.trusted ? "trusted network" : ev.authenticated ? "authenticated as " + ev.auth_user : "") +
         ")\n";
  auto spf_line = [&](const char* what, const SpfResult& r) {
    if (r.checked)
      out += std::string("spf ") + what + ": " + std::string(to_string(r.result)) + " (" + r.domain +
             (r.reason.empty() ? "" : ": " + r.reason) + ")\n";
  };
  spf_line("helo", ev.spf_helo);
  spf_line("mailfrom", ev.spf_mailfrom);
  for (const auto& d : ev.dkim)
    out += "dkim: " + std::string(to_string(d.result)) + " d=" + d.domain + " s=" + d.selector +
           " a=" + d.algorithm + (d.reason.empty() ? "" : " (" + d.reason + ")") + "\n";
  if (!ev.from_problem.empty() && ev.dmarc.evaluated) out += "from: " + ev.from_problem + "\n";
  if (ev.dmarc.evaluated) {
    out += "dmarc: " + std::string(to_string(ev.dmarc.result)) + " (" + ev.dmarc.reason + ")\n";
    if (!ev.dmarc.record.empty())
      out += "  record at _dmarc." + ev.dmarc.policy_domain + ": " + ev.dmarc.record + "\n";
  } else if (!ev.from_problem.empty()) {
    out += "dmarc: " + std::string(to_string(ev.dmarc.result)) + ", no author domain (" +
           ev.from_problem + ")\n";
  }
  for (const auto& h : a.remove) out += "remove: " + h.name + ":" + unfold(h.value) + "\n";
  for (const auto& h : a.insert_top) out += "add: " + h.name + ":" + h.value + "\n";
  for (const auto& h : a.change) out += "change: " + h.name + ":" + h.value + "\n";
  for (const auto& h : a.append) out += "add: " + h.name + ":" + h.value + "\n";
  if (!ev.signing_refused.empty()) out += "not signed: " + ev.signing_refused + "\n";
  if (!a.quarantine_reason.empty()) out += "quarantine: " + a.quarantine_reason + "\n";
  const Verdict& v = a.verdict;
  out += "verdict: " + std::string(to_string(v.action));
  if (!v.reply.empty()) out += " (" + v.reply.str() + ")";
  out += v.rule.empty() ? " (no rule matched)" : " (rule " + v.rule + ")";
  out += "\n";
  for (const auto& t : v.trace) out += "  - " + t + "\n";
  // Header values carry CRLF; print LF for terminals.
  std::string lf;
  for (char c : out)
    if (c != '\r') lf += c;
  return lf;
}

}  // namespace alignd
