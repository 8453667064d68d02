// `alignd eval` output; see eval_output.h.
#include "app/eval_output.h"

#include "app/json_out.h"
#include "core/text.h"

namespace alignd {
namespace {

Json spf_json(const SpfResult& r) {
  Json j = {{"result", r.checked ? to_string(r.result) : "none"},
            {"checked", r.checked},
            {"domain", r.domain},
            {"identity", r.identity}};
  if (!r.explanation.empty()) j["explanation"] = r.explanation;
  j["reason"] = r.reason;
  return j;
}

std::string unfold(std::string_view v) {
  std::string out;
  for (char c : v)
    if (c != '\r' && c != '\n') out += c;
  return out;
}

std::string field_line(const HeaderField& h) { return h.name + ":" + unfold(h.value); }

// " (domain: reason)", " (domain)", " (reason)" or "".
std::string paren(const std::string& domain, const std::string& reason) {
  if (domain.empty() && reason.empty()) return "";
  if (domain.empty()) return " (" + reason + ")";
  return " (" + domain + (reason.empty() ? "" : ": " + reason) + ")";
}

}  // namespace

std::string eval_json(const Evidence& ev, const EomActions& a) {
  const Verdict& v = a.verdict;
  Json j;
  Json verdict = {{"action", to_string(v.action)},
                  {"smtp_reply", v.reply.str()},
                  {"rule", v.rule},
                  {"trace", v.trace}};
  if (!v.quarantine_reason.empty()) verdict["quarantine_reason"] = v.quarantine_reason;
  j["verdict"] = std::move(verdict);

  j["connection"] = {
      {"client_ip", ev.client_ip},         {"helo", ev.helo},
      {"mail_from", ev.mail_from},         {"trusted", ev.trusted},
      {"authenticated", ev.authenticated}, {"direction", ev.outbound() ? "outbound" : "inbound"}};

  j["spf"] = {{"helo", spf_json(ev.spf_helo)}, {"mailfrom", spf_json(ev.spf_mailfrom)}};

  Json dkim = Json::array();
  for (const auto& d : ev.dkim)
    dkim.push_back({{"result", to_string(d.result)},
                    {"domain", d.domain},
                    {"selector", d.selector},
                    {"algorithm", d.algorithm},
                    {"key_bits", d.key_bits},
                    {"body_length_limited", d.has_body_length},
                    {"unsigned_body_bytes", d.unsigned_body_bytes},
                    {"reason", d.reason}});
  j["dkim"] = std::move(dkim);
  j["dkim_ignored"] = ev.dkim_ignored;

  const DmarcResult& m = ev.dmarc;
  Json dm;
  dm["result"] = to_string(m.result);  // permerror for a From without a usable domain
  dm["evaluated"] = m.evaluated;
  dm["author_domain"] = m.author_domain;
  dm["policy_domain"] = m.policy_domain;
  dm["organizational_domain"] = m.organizational_domain;
  dm["discovery"] = m.discovery;
  dm["record"] = m.record;
  dm["requested_policy"] = to_string(m.requested_policy);
  dm["policy_tag"] = m.policy_tag;
  dm["testing"] = m.testing;
  dm["spf_aligned"] = m.spf_aligned;
  dm["dkim_aligned"] = m.dkim_aligned;
  dm["disposition"] = m.applied_disposition;
  dm["override"] = v.override_reason.empty()
                       ? Json(nullptr)
                       : Json{{"type", v.override_reason},
                              {"comment", v.override_comment},
                              {"arc", v.override_arc}};  // rests on trusted ARC sealers
  dm["effective_policy"] = to_string(m.effective_policy);
  dm["sampled_out"] = m.sampled_out;
  dm["mode"] = m.mode;
  dm["reason"] = m.reason;
  if (!ev.from_problem.empty()) dm["from_problem"] = ev.from_problem;
  if (ev.dmarc_each.size() > 1) {  // several author domains (RFC 9989 §11.5), each on its own
    Json each = Json::array();
    for (const auto& d : ev.dmarc_each)
      each.push_back({{"domain", d.author_domain},
                      {"result", to_string(d.result)},
                      {"requested_policy", to_string(d.requested_policy)},
                      {"policy_domain", d.policy_domain}});
    dm["author_domains"] = std::move(each);
  }
  dm["errors"] = m.errors;
  dm["lookups"] = m.lookups;  // every DNS query DMARC made, with its answer
  j["dmarc"] = std::move(dm);

  // RFC 8617 (docs/arc.md): chain status, sealers, trust.
  Json sets = Json::array();
  for (const auto& s : ev.arc.sets)
    sets.push_back({{"instance", s.instance},
                    {"sealer", s.seal_domain},
                    {"selector", s.seal_selector},
                    {"ams_domain", s.ams_domain},
                    {"cv", s.cv},
                    {"ams_pass", s.ams_pass},
                    {"as_pass", s.as_pass},
                    {"authserv_id", s.aar.authserv_id},
                    {"dmarc", s.aar.dmarc},
                    {"dmarc_from", s.aar.dmarc_from}});
  j["arc"] = {{"result", to_string(ev.arc.status)},
              {"checked", ev.arc.checked},
              {"reason", ev.arc.reason},
              {"oldest_pass", ev.arc.oldest_pass},
              {"trusted_sealer", ev.arc.trusted_sealer},
              {"trusted_pass", ev.arc.trusted_pass},
              {"trusted_instance", ev.arc.trusted_instance},
              {"sets", std::move(sets)}};

  Json add = Json::array(), change = Json::array(), remove = Json::array(), sigs = Json::array();
  for (const auto& h : a.insert_top)
    (iequals(h.name, "DKIM-Signature") ? sigs : add).push_back(field_line(h));
  for (const auto& h : a.append) add.push_back(field_line(h));
  for (const auto& h : a.change) change.push_back(h.name + ":" + unfold(h.value));
  for (const auto& h : a.remove) remove.push_back(h.name + ":" + unfold(h.value));
  j["headers"] = {{"add", add}, {"change", change}, {"remove", remove}};
  j["signatures"] = sigs;
  // Why outbound mail was not signed ([signing] sender_login_map), null if it was not refused.
  j["signing_refused"] = ev.signing_refused.empty() ? Json(nullptr) : Json(ev.signing_refused);
  // Outbound without a signature of ours: why (auth/signing_plan.h), else null.
  j["not_signed"] = a.not_signed.empty()
                        ? Json(nullptr)
                        : Json{{"reason", a.not_signed}, {"detail", a.not_signed_detail}};
  return dump_json(j);
}

std::string eval_text(const Evidence& ev, const EomActions& a) {
  std::string out;
  out += std::string("client: ") + (ev.client_ip.empty() ? "(local)" : ev.client_ip) + " (" +
         (ev.outbound() ? "outbound: " : "inbound") +
         (ev.trusted ? "trusted network" : ev.authenticated ? "authenticated as " + ev.auth_user : "") +
         ")\n";
  auto spf_line = [&](const char* what, const SpfResult& r) {
    if (r.checked)
      out += std::string("spf ") + what + ": " + std::string(to_string(r.result)) +
             paren(r.domain, r.reason) + "\n";
  };
  spf_line("helo", ev.spf_helo);
  spf_line("mailfrom", ev.spf_mailfrom);
  for (const auto& d : ev.dkim)
    out += "dkim: " + std::string(to_string(d.result)) + " d=" + d.domain + " s=" + d.selector +
           " a=" + d.algorithm + (d.reason.empty() ? "" : " (" + d.reason + ")") + "\n";
  if (!ev.from_problem.empty() && ev.dmarc.evaluated) out += "from: " + ev.from_problem + "\n";
  if (ev.dmarc.evaluated) {
    // The reason starts with the result ("none: no record ..."): say it once.
    std::string result(to_string(ev.dmarc.result));
    std::string why = ev.dmarc.reason;
    if (why.rfind(result + ": ", 0) == 0) why.erase(0, result.size() + 2);
    out += "dmarc: " + result + (why.empty() ? "" : " (" + why + ")") + "\n";
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
  // One phrasing for every reason an outbound message goes unsigned (the sender
  // login refusal is one of them): "not signed: DETAIL (REASON)".
  if (!a.not_signed.empty())
    out +=
        "not signed: " + (a.not_signed_detail.empty() ? ev.signing_refused : a.not_signed_detail) +
        " (" + a.not_signed + ")\n";
  else if (!ev.signing_refused.empty())
    out += "not signed: " + ev.signing_refused + "\n";
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
