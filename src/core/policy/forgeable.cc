// The forgeable-exemption check of the policy compiler; see forgeable.h.
#include "core/policy/forgeable.h"

#include <algorithm>
#include <vector>

#include "core/policy/reader.h"
#include "core/text.h"

namespace alignd::policy {

namespace {

// The values of a string-or-list condition, lowercased; empty when absent.
std::vector<std::string> values(const toml::table& when, const char* key) {
  std::vector<std::string> out;
  const toml::node* n = when.get(key);
  if (!n) return out;
  if (auto s = n->value<std::string>()) out.push_back(to_lower(*s));
  if (auto* a = n->as_array())
    for (const auto& e : *a)
      if (auto s = e.value<std::string>()) out.push_back(to_lower(*s));
  return out;
}

bool has(const std::vector<std::string>& v, const char* s) {
  for (const auto& x : v)
    if (x == s) return true;
  return false;
}

bool flag_true(const toml::table& when, const char* key) {
  const toml::node* n = when.get(key);
  return n && n->value<bool>().value_or(false);
}

int strength(const std::string& policy) {
  return policy == "reject" ? 2 : policy == "quarantine" ? 1 : 0;
}

const char* const kAnchorAdvice =
    "tie it to the sending host (client_network, client_name, trusted, authenticated, "
    "or mail_from_domain with spf = \"pass\"), or limit it to effective_policy = \"none\" "
    "(docs/policy.md, \"What an attacker must forge\")";

}  // namespace

std::optional<ForgeableMatch> forgeable_match(const toml::table& when, Action action) {
  if (action != Action::Accept && action != Action::Tag && action != Action::Quarantine)
    return std::nullopt;
  const std::vector<std::string> dmarc = values(when, "dmarc");
  if (!dmarc.empty() && !has(dmarc, "fail")) return std::nullopt;

  // The strongest policy this rule can meet on a failure; effective_policy is
  // what enforcing rules apply, dmarc_policy bounds it from above.
  std::vector<std::string> policies = values(when, "effective_policy");
  if (policies.empty()) policies = values(when, "dmarc_policy");
  if (policies.empty()) policies = {"reject"};
  ForgeableMatch m;
  for (const auto& p : policies) m.strongest = std::max(m.strongest, strength(p));
  m.applied = strength(action);
  if (m.strongest <= m.applied) return std::nullopt;

  // Anchored to the sending host: the sender cannot claim these.
  const std::vector<std::string> spf = values(when, "spf");
  const bool spf_pass_only = !spf.empty() && spf.size() == static_cast<size_t>(has(spf, "pass"));
  if (when.get("client_network") || when.get("client_name") || flag_true(when, "trusted") ||
      flag_true(when, "authenticated") || flag_true(when, "spf_aligned") ||
      flag_true(when, "dkim_aligned") || (when.get("mail_from_domain") && spf_pass_only))
    return std::nullopt;

  for (const char* key : {"header", "dkim", "spf", "spf_helo", "mail_from_domain", "from_problem"})
    if (when.get(key)) m.forged.emplace_back(key);
  if (m.forged.empty()) return std::nullopt;  // a blanket local choice, not an exemption
  return m;
}

bool asks_dmarc_fail(const toml::table& when) {
  return has(values(when, "dmarc"), "fail");
}

int strength(Action action) {
  switch (action) {
    case Action::Reject:
    case Action::TempFail: return 2;
    case Action::Quarantine: return 1;
    default: return 0;
  }
}

std::optional<std::string> forgeable_lift(const toml::table& when, Action action) {
  if (!asks_dmarc_fail(when)) return std::nullopt;
  auto m = forgeable_match(when, action);
  if (!m) return std::nullopt;
  return "this rule lets a DMARC failure through (action '" + std::string(to_string(action)) +
         "' where the owner may ask for " + (m->strongest == 2 ? "reject" : "quarantine") +
         ") on conditions any sender can forge (" + join(m->forged) + "): " + kAnchorAdvice;
}

std::string forgeable_before(const std::string& action, const ForgeableMatch& m,
                             const std::string& later_rule, const std::string& later_action,
                             const std::string& later_where) {
  return "this rule comes before rule '" + later_rule + "' (" + later_where + ", action '" +
         later_action + "' on a DMARC failure) and matches a failing message on conditions any "
         "sender can forge (" + join(m.forged) + "): a spoofer adds them and gets '" + action +
         "' instead of '" + later_action + "'. Load it after '" + later_rule +
         "', add dmarc = \"pass\", or " + kAnchorAdvice;
}

}  // namespace alignd::policy
