// Evidence <-> text for the messages table; see message_codec.h.
#include "store/message_codec.h"

#include "store/codec.h"

#include <cstdlib>

#include "core/text.h"

namespace alignd {

namespace {

std::string b(bool v) {
  return v ? "1" : "0";
}

Outcome outcome(const std::string& s) {
  return parse_outcome(s).value_or(Outcome::None);
}

long long number(const std::string& s) {
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  return end && *end == '\0' ? v : 0;
}

// AAR results are RFC 8601 result names (no commas): "pass,fail".
std::string join_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
  return out;
}

std::vector<std::string> list(const std::string& s) {
  std::vector<std::string> out;
  if (!s.empty())
    for (auto part : split(s, ',')) out.emplace_back(part);
  return out;
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
    f.push_back({"dkim", std::string(to_string(d.result)), d.domain, d.selector, d.algorithm,
                 std::to_string(d.key_bits), b(d.has_body_length), b(d.unsigned_body_content),
                 std::to_string(d.unsigned_body_bytes)});
  // ARC (RFC 8617): the validated chain as recorded; the local trust fields are
  // not kept, simulate derives them from its own [arc] trusted_sealers.
  const ArcResult& a = ev.arc;
  if (a.checked) {
    f.push_back({"arc", std::string(to_string(a.status)), a.reason,
                 std::to_string(a.max_instance), b(a.latest_cv_fail),
                 std::to_string(a.oldest_pass)});
    for (const auto& s : a.sets)
      f.push_back({"arc_set", std::to_string(s.instance), s.seal_domain, s.seal_selector,
                   s.ams_domain, s.cv, b(s.ams_checked), b(s.ams_pass), b(s.as_pass),
                   s.aar.authserv_id, s.aar.dmarc, s.aar.dmarc_from, join_list(s.aar.spf),
                   join_list(s.aar.dkim)});
  }
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
    f.resize(std::max<size_t>(f.size(), 14));  // fields missing in older records read ""
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
      d.algorithm = f[4];
      d.key_bits = number(f[5]);
      d.has_body_length = f[6] == "1";
      d.unsigned_body_content = f[7] == "1";
      d.unsigned_body_bytes = static_cast<size_t>(number(f[8]));
      ev.dkim.push_back(std::move(d));
    } else if (key == "arc") {
      ArcResult& a = ev.arc;
      a.checked = true;
      a.status = outcome(f[1]);
      a.reason = f[2];
      a.max_instance = static_cast<int>(number(f[3]));
      a.latest_cv_fail = f[4] == "1";
      a.oldest_pass = f[5].empty() ? -1 : static_cast<int>(number(f[5]));
    } else if (key == "arc_set") {
      ArcSetInfo s;
      s.instance = static_cast<int>(number(f[1]));
      s.seal_domain = f[2];
      s.seal_selector = f[3];
      s.ams_domain = f[4];
      s.cv = f[5];
      s.ams_checked = f[6] == "1";
      s.ams_pass = f[7] == "1";
      s.as_pass = f[8] == "1";
      s.aar.authserv_id = f[9];
      s.aar.dmarc = f[10];
      s.aar.dmarc_from = f[11];
      s.aar.spf = list(f[12]);
      s.aar.dkim = list(f[13]);
      ev.arc.sets.push_back(std::move(s));
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
