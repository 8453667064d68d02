// Placeholder templates; see template.h.
#include "core/policy/template.h"

#include <algorithm>

#include "core/policy/pattern.h"
#include "core/policy/rule.h"

namespace alignd::policy {

const std::vector<std::string>& template_variables() {
  static const std::vector<std::string> v = {
      "rule",  "from_domain", "policy_domain", "dmarc_policy", "effective_policy",
      "dmarc", "spf",         "spf_domain",    "mail_from",    "client_ip",
      "helo",  "queue_id",    "from_problem",  "client_name"};
  return v;
}

std::string printable(std::string_view s, size_t max_len) {
  std::string out;
  for (unsigned char c : s) {
    if (out.size() >= max_len) break;
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  return out;
}

namespace {

std::string value_of(std::string_view var, const Evidence& ev, std::string_view rule) {
  if (var == "rule") return std::string(rule);
  if (var == "from_domain") return ev.dmarc.author_domain;
  if (var == "policy_domain") return ev.dmarc.policy_domain;
  if (var == "dmarc_policy") return std::string(to_string(ev.dmarc.requested_policy));
  if (var == "effective_policy") return std::string(to_string(effective_policy(ev.dmarc)));
  if (var == "dmarc") return std::string(to_string(ev.dmarc.result));
  if (var == "spf") return std::string(to_string(ev.spf_mailfrom.result));
  if (var == "spf_domain") {
    if (!ev.spf_mailfrom.domain.empty()) return ev.spf_mailfrom.domain;
    return address_domain(ev.mail_from);
  }
  if (var == "mail_from") return "<" + ev.mail_from + ">";
  if (var == "client_ip") return ev.client_ip;
  if (var == "helo") return ev.helo;
  if (var == "queue_id") return ev.queue_id;
  if (var == "from_problem") return ev.from_problem.empty() ? "none" : ev.from_problem;
  if (var == "client_name") return ev.client_name.empty() ? "unknown" : ev.client_name;
  return "";
}

}  // namespace

std::string Template::expand(const Evidence& ev, std::string_view rule) const {
  std::string out;
  for (const auto& p : parts) out += p.variable ? printable(value_of(p.text, ev, rule)) : p.text;
  return out;
}

std::optional<Template> parse_template(std::string_view s, std::string& error) {
  Template t;
  std::string lit;
  auto flush = [&] {
    if (!lit.empty()) t.parts.push_back({false, lit});
    lit.clear();
  };
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f) {
      error = c >= 0x80 ? "text must be ASCII" : "text must not contain control characters";
      return std::nullopt;
    }
    if (c == '{' && i + 1 < s.size() && s[i + 1] == '{') {
      lit += '{';
      ++i;
    } else if (c == '}' && i + 1 < s.size() && s[i + 1] == '}') {
      lit += '}';
      ++i;
    } else if (c == '{') {
      auto close = s.find('}', i);
      if (close == std::string_view::npos) {
        error = "unclosed '{' (write '{{' for a literal brace)";
        return std::nullopt;
      }
      std::string name(s.substr(i + 1, close - i - 1));
      const auto& vars = template_variables();
      if (std::find(vars.begin(), vars.end(), name) == vars.end()) {
        std::string list;
        for (const auto& v : vars) list += (list.empty() ? "{" : ", {") + v + "}";
        error = "unknown placeholder '{" + name + "}' (valid: " + list + ")";
        return std::nullopt;
      }
      flush();
      t.parts.push_back({true, name});
      i = close;
    } else if (c == '}') {
      error = "unmatched '}' (write '}}' for a literal brace)";
      return std::nullopt;
    } else {
      lit += static_cast<char>(c);
    }
  }
  flush();
  return t;
}

}  // namespace alignd::policy
