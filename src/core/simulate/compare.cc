// Replays records through a candidate policy; see compare.h.
#include "core/simulate/compare.h"

#include <algorithm>
#include <tuple>

#include "core/text.h"

namespace alignd {

bool is_delivered(const std::string& action) {
  return action == "accept" || action == "tag";
}

namespace {

// The candidate's verdict: MAIL FROM rules first (a refusal there ends it),
// then the end-of-message rules, as Session does.
Verdict replay(const PolicyEngine& p, const Evidence& ev) {
  if (auto early = p.decide_mail_from(ev))
    if (early->action == Action::Reject || early->action == Action::TempFail) return *early;
  return p.decide(ev);
}

bool has_header(const Evidence& ev, std::string_view name) {
  for (const auto& h : ev.headers)
    if (iequals(h.name, name)) return true;
  return false;
}

std::string hint_for(const ChangeGroup& g) {
  const bool refused = !is_delivered(g.after) && is_delivered(g.before);
  if (!refused) return "";
  if (g.own_users * 2 > g.count)
    return "your own users (trusted network or SMTP AUTH): exempt them with trusted = true / "
           "authenticated = true";
  // Anchor an exemption on the host (docs/policy.md "What an attacker must forge").
  const std::string anchor = g.source == g.client_ip ? "client_network = \"" + g.client_ip + "\""
                                                     : "client_name = \"" + g.source + "\"";
  if (g.with_list_id * 2 > g.count)
    return "a list: consider it as a trusted forwarder (" + anchor +
           ", override = \"mailing_list\")";
  if (g.dns_temperror * 2 > g.count) return "DNS temporary failures: these would be retried";
  if (g.dmarc_fail * 2 > g.count && g.source != g.client_ip)
    return "DMARC fails from one named host: a forwarder? if you trust it, exempt it (" + anchor +
           ", override = \"trusted_forwarder\")";
  return "";
}

// How hard an action is on the message, to tell a stricter move from a milder one.
int severity(const std::string& action) {
  if (action == "reject") return 3;
  if (action == "tempfail") return 2;
  return action == "quarantine" ? 1 : 0;
}

std::string verb(const std::string& action) {
  if (action == "reject") return "rejected";
  if (action == "tempfail") return "deferred (4xx)";
  if (action == "quarantine") return "quarantined";
  if (action == "tag") return "tagged";
  return "accepted";
}

}  // namespace

SimulationResult simulate_policy(const std::vector<MessageRecord>& records,
                                 const PolicyEngine& candidate) {
  SimulationResult r;
  const bool wants_names = candidate.uses_condition("client_name");
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, size_t> index;
  for (const auto& rec : records) {
    ++r.messages;
    if (wants_names && rec.ev.client_name_status.empty() && !rec.ev.client_ip.empty())
      ++r.names_not_looked_up;
    Verdict v = replay(candidate, rec.ev);
    std::string after(to_string(v.action));
    if (after == rec.action) continue;
    ++r.changed;
    ++r.moves[rec.action][after];
    const std::string source = message_source(rec.ev);
    Key k{rec.ev.dmarc.author_domain, source, rec.action, after};
    auto [it, added] = index.emplace(k, r.groups.size());
    if (added) {
      ChangeGroup g;
      g.from_domain = rec.ev.dmarc.author_domain;
      g.source = source;
      g.client_ip = rec.ev.client_ip;
      g.before = rec.action;
      g.after = after;
      g.rule = v.rule;
      r.groups.push_back(std::move(g));
    }
    ChangeGroup& g = r.groups[it->second];
    ++g.count;
    if (g.examples.size() < 3 && !rec.ev.queue_id.empty()) g.examples.push_back(rec.ev.queue_id);
    if (has_header(rec.ev, "List-Id")) ++g.with_list_id;
    if (rec.ev.outbound()) ++g.own_users;
    if (rec.ev.dns_temperror) ++g.dns_temperror;
    if (rec.ev.dmarc.result == Outcome::Fail) ++g.dmarc_fail;
  }
  for (auto& g : r.groups) g.hint = hint_for(g);
  std::stable_sort(r.groups.begin(), r.groups.end(),
                   [](const ChangeGroup& a, const ChangeGroup& b) { return a.count > b.count; });
  return r;
}

std::vector<std::string> simulation_summary(const SimulationResult& r, const std::string& policy,
                                            const std::string& period, const std::string& domain) {
  std::vector<std::string> out;
  out.push_back(std::to_string(r.messages) + " message" + (r.messages == 1 ? "" : "s") +
                (domain.empty() ? "" : " from " + domain + " (and its subdomains)") + " " + period +
                " replayed through " + policy + "; " + std::to_string(r.changed) +
                " would be handled differently");
  // Newly refused or held (was delivered, or handled more mildly: quarantine ->
  // reject counts as a new reject), per new action, with the biggest source.
  for (const char* after : {"reject", "quarantine", "tempfail"}) {
    int n = 0;
    std::map<std::string, int> by_source;
    std::map<std::string, std::string> hint;
    for (const auto& g : r.groups) {
      if (g.after != after || severity(g.before) >= severity(g.after)) continue;
      n += g.count;
      by_source[g.source] += g.count;
      if (hint[g.source].empty()) hint[g.source] = g.hint;
    }
    if (n == 0) continue;
    std::string line = "switching to " + policy + " would have " + verb(after) + " " +
                       std::to_string(n) + " message" + (n == 1 ? "" : "s") + " " + period;
    auto top = std::max_element(by_source.begin(), by_source.end(),
                                [](const auto& a, const auto& b) { return a.second < b.second; });
    if (by_source.size() > 1 || top->second != n)
      line += "; " + std::to_string(top->second) + " of them from " + top->first;
    else
      line += ", all from " + top->first;
    if (!hint[top->first].empty()) line += " (" + hint[top->first] + ")";
    out.push_back(line);
  }
  int back = 0;
  for (const auto& g : r.groups)
    if (is_delivered(g.after) && !is_delivered(g.before)) back += g.count;
  if (back)
    out.push_back((out.size() > 1 ? "and" : "switching to " + policy) + " would have delivered " +
                  std::to_string(back) + " message" + (back == 1 ? " that was" : "s that were") +
                  " held or refused");
  if (r.names_not_looked_up)
    out.push_back("note: " + policy + " has client_name rules, but " +
                  std::to_string(r.names_not_looked_up) +
                  " messages were recorded without a forward-confirmed name lookup (the running "
                  "policy had no such rule): those rules cannot match them here");
  return out;
}

}  // namespace alignd
