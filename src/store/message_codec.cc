// Evidence <-> text for the messages table; see message_codec.h.
#include "store/message_codec.h"

#include "store/codec.h"

namespace alignd {

namespace {

std::string b(bool v) {
  return v ? "1" : "0";
}

Outcome outcome(const std::string& s) {
  return parse_outcome(s).value_or(Outcome::None);
}

}  // namespace

std::string encode_evidence(const Evidence& ev) {
  std::vector<std::vector<std::string>> f;
  f.push_back({"ip", ev.client_ip});
  if (!ev.client_name_status.empty()) {
    std::vector<std::string> names = {"names", ev.client_name_status};
    names.insert(names.end(), ev.client_names.begin(), ev.client_names.end());
    f.push_back(std::move(names));
  }
  f.push_back({"flags", b(ev.trusted), b(ev.authenticated), b(ev.dns_temperror)});
  f.push_back({"helo", ev.helo});
  f.push_back({"queue", ev.queue_id});
  f.push_back({"from", ev.mail_from});
  for (const auto& r : ev.rcpt_to) f.push_back({"rcpt", r});
  for (const auto& h : ev.headers) f.push_back({"h", h.name, h.value});
  f.push_back({"spf_helo", std::string(to_string(ev.spf_helo.result)), ev.spf_helo.domain,
               b(ev.spf_helo.checked)});
  f.push_back({"spf", std::string(to_string(ev.spf_mailfrom.result)), ev.spf_mailfrom.domain,
               b(ev.spf_mailfrom.checked)});
  for (const auto& d : ev.dkim)
    f.push_back({"dkim", std::string(to_string(d.result)), d.domain, d.selector});
  const DmarcResult& m = ev.dmarc;
  f.push_back({"dmarc", std::string(to_string(m.result)), b(m.evaluated), m.author_domain,
               m.policy_domain, std::string(to_string(m.requested_policy)), m.policy_tag,
               b(m.testing), b(m.sampled_out), std::string(to_string(m.effective_policy)),
               b(m.spf_aligned), b(m.dkim_aligned)});
  if (!ev.from_problem.empty()) f.push_back({"from_problem", ev.from_problem});
  return encode_fields(f);
}

Evidence decode_evidence(std::string_view text) {
  Evidence ev;
  for (auto& f : decode_fields(text)) {
    const std::string key = f[0];
    f.resize(std::max<size_t>(f.size(), 12));
    auto policy = [](const std::string& s) {
      return parse_requested_policy(s).value_or(RequestedPolicy::None);
    };
    if (key == "ip") {
      ev.client_ip = f[1];
    } else if (key == "names") {
      ev.client_name_status = f[1];
      for (size_t i = 2; i < f.size(); ++i)
        if (!f[i].empty()) ev.client_names.push_back(f[i]);
      ev.client_name = ev.client_names.empty() ? "" : ev.client_names.front();
    } else if (key == "flags") {
      ev.trusted = f[1] == "1";
      ev.authenticated = f[2] == "1";
      ev.dns_temperror = f[3] == "1";
    } else if (key == "helo") {
      ev.helo = f[1];
    } else if (key == "queue") {
      ev.queue_id = f[1];
    } else if (key == "from") {
      ev.mail_from = f[1];
    } else if (key == "rcpt") {
      ev.rcpt_to.push_back(f[1]);
    } else if (key == "h") {
      ev.headers.push_back({f[1], f[2]});
    } else if (key == "spf_helo" || key == "spf") {
      SpfResult& s = key == "spf" ? ev.spf_mailfrom : ev.spf_helo;
      s.result = outcome(f[1]);
      s.domain = f[2];
      s.checked = f[3] == "1";
    } else if (key == "dkim") {
      DkimResult d;
      d.result = outcome(f[1]);
      d.domain = f[2];
      d.selector = f[3];
      ev.dkim.push_back(std::move(d));
    } else if (key == "dmarc") {
      DmarcResult& m = ev.dmarc;
      m.result = outcome(f[1]);
      m.evaluated = f[2] == "1";
      m.author_domain = f[3];
      m.policy_domain = f[4];
      m.requested_policy = policy(f[5]);
      m.policy_tag = f[6];
      m.testing = f[7] == "1";
      m.sampled_out = f[8] == "1";
      m.effective_policy = policy(f[9]);
      m.spf_aligned = f[10] == "1";
      m.dkim_aligned = f[11] == "1";
    } else if (key == "from_problem") {
      ev.from_problem = f[1];
    }
  }
  return ev;
}

}  // namespace alignd
