// ARC policy conditions; see arc_conditions.h and docs/policy.md.
#include "core/policy/arc_conditions.h"

#include <algorithm>

#include "core/arc/trust.h"
#include "core/text.h"

namespace alignd::policy {

namespace {

std::vector<std::string> read_values(const Reader& r, const std::string& key, const toml::node& n,
                                     const std::vector<std::string>& valid) {
  std::vector<std::string> out;
  for (const auto& [s, node] : r.strings(n, key))
    out.push_back(r.choice(*node, key + " value", to_lower(s), valid));
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// "arc=pass, newest sealer lists.example.org" / "arc=none".
std::string chain_summary(const Evidence& ev) {
  std::string s = "arc=" + std::string(to_string(ev.arc.status));
  if (!ev.arc.sets.empty()) s += ", newest sealer " + ev.arc.sets.back().seal_domain;
  return s;
}

Condition boolean(const Reader& r, const std::string& key, const toml::node& n,
                  bool (*get)(const Evidence&), std::string (*detail)(const Evidence&)) {
  bool want = r.boolean(n, key);
  return {key, [want, key, get, detail](const Evidence& ev, std::string& note) {
            bool got = get(ev);
            note = key + "=" + (got ? "true" : "false") + " (" + detail(ev) + ")";
            if (got != want) note += std::string(" (wanted ") + (want ? "true" : "false") + ")";
            return got == want;
          }};
}

}  // namespace

// RFC 8617 §4.4 chain validation status.
Condition arc_result(const Reader& r, const std::string& key, const toml::node& n) {
  auto want = read_values(r, key, n, {"pass", "fail", "none"});
  return {key, [want](const Evidence& ev, std::string& note) {
            std::string got(to_string(ev.arc.status));
            note = "arc=" + got;
            if (!has(want, got)) note += " (wanted " + join(want, " or ") + ")";
            return has(want, got);
          }};
}

Condition arc_trusted_sealer(const Reader& r, const std::string& key, const toml::node& n) {
  return boolean(
      r, key, n, [](const Evidence& ev) { return ev.arc.trusted_sealer; },
      [](const Evidence& ev) { return chain_summary(ev); });
}

Condition arc_trusted_pass(const Reader& r, const std::string& key, const toml::node& n) {
  return boolean(
      r, key, n, [](const Evidence& ev) { return ev.arc.trusted_pass; },
      [](const Evidence& ev) {
        if (ev.arc.trusted_pass)
          return "i=" + std::to_string(ev.arc.trusted_instance) + " " +
                 ev.arc.sets[static_cast<size_t>(ev.arc.trusted_instance - 1)].seal_domain +
                 " recorded dmarc=pass for " + ev.dmarc.author_domain;
        return chain_summary(ev);
      });
}

Condition arc_trusted_recorded(const Reader& r, const std::string& key, const toml::node& n) {
  std::string method = key.substr(key.rfind('_') + 1);  // dmarc | spf | dkim
  std::vector<std::string> valid = {"pass",     "fail",      "none",      "neutral",
                                    "softfail", "temperror", "permerror", "policy"};
  auto want = read_values(r, key, n, valid);
  return {key, [want, key, method](const Evidence& ev, std::string& note) {
            auto got = trusted_aar_results(ev.arc, method, ev.dmarc.author_domain);
            if (got.empty()) got.push_back("none");
            for (const auto& g : got)
              if (has(want, g)) {
                note = key + "=" + g;
                return true;
              }
            note = key + "=" + join(got, ",") + " (wanted " + join(want, " or ") + ")";
            return false;
          }};
}

}  // namespace alignd::policy
