// Evidence + Verdict -> MessageRecord; see record.h.
#include "core/simulate/record.h"

#include "core/text.h"

namespace alignd {

MessageRecord make_message_record(const Evidence& ev, const Verdict& v, std::int64_t unix_time,
                                  const std::vector<std::string>& keep) {
  MessageRecord r;
  r.time = unix_time;
  r.action = std::string(to_string(v.action));
  r.rule = v.rule;
  Evidence& e = r.ev;
  e.client_ip = ev.client_ip;
  e.client_names = ev.client_names;
  e.client_name = ev.client_name;
  e.client_name_status = ev.client_name_status;
  e.trusted = ev.trusted;
  e.authenticated = ev.authenticated;  // the user name is not kept
  e.helo = ev.helo;
  e.queue_id = ev.queue_id;
  e.mail_from = ev.mail_from;
  e.rcpt_to = ev.rcpt_to;
  for (const auto& h : ev.headers) {
    bool kept = false;
    for (const auto& k : keep) kept = kept || iequals(h.name, k);
    if (kept) e.headers.push_back({h.name, h.value.substr(0, 998)});
  }
  auto spf = [](const SpfResult& s) {
    SpfResult o;
    o.result = s.result;
    o.domain = s.domain;
    o.checked = s.checked;
    return o;
  };
  e.spf_helo = spf(ev.spf_helo);
  e.spf_mailfrom = spf(ev.spf_mailfrom);
  for (const auto& d : ev.dkim) {
    DkimResult o;
    o.result = d.result;
    o.domain = d.domain;
    o.selector = d.selector;
    e.dkim.push_back(std::move(o));
  }
  const DmarcResult& m = ev.dmarc;
  DmarcResult& o = e.dmarc;
  o.result = m.result;
  o.evaluated = m.evaluated;
  o.author_domain = m.author_domain;
  o.policy_domain = m.policy_domain;
  o.requested_policy = m.requested_policy;
  o.policy_tag = m.policy_tag;
  o.testing = m.testing;
  o.sampled_out = m.sampled_out;
  o.effective_policy = m.effective_policy;
  o.spf_aligned = m.spf_aligned;
  o.dkim_aligned = m.dkim_aligned;
  e.dns_temperror = ev.dns_temperror;
  e.from_problem = ev.from_problem;
  return r;
}

std::string message_source(const Evidence& ev) {
  if (!ev.client_names.empty()) return ev.client_names.front();
  return ev.client_ip.empty() ? "(local)" : ev.client_ip;
}

}  // namespace alignd
