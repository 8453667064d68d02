// Turns policy files (TOML text) into ordered Rules, or a PolicyError that
// names path:line:column and the valid choices. Reads no files: the app layer
// expands `[policy] files` and passes the texts in. Language: docs/policy.md.
#include <algorithm>
#include <map>

#include "core/policy/conditions.h"
#include "core/policy/forgeable.h"
#include "core/policy/reader.h"
#include "core/policy/rule.h"
#include "core/text.h"

namespace alignd::policy {

namespace {

const std::vector<std::string> kRuleKeys = {"name",       "description",    "enabled",  "stage",
                                            "when",       "action",         "reply",    "reason",
                                            "add_header", "subject_prefix", "override", "comment"};
const std::vector<std::string> kActions = {"accept", "tag", "quarantine", "reject", "tempfail"};
const std::vector<std::string> kMailFromActions = {"accept", "reject", "tempfail"};
const std::vector<std::string> kStages = {"message", "mail_from"};
// RFC 9990 §4.3 PolicyOverrideType, plus RFC 7489's sampled_out (pct).
const std::vector<std::string> kOverrides = {"local_policy", "trusted_forwarder",
                                             "mailing_list", "policy_test_mode",
                                             "sampled_out",  "other"};

Action action_of(const std::string& s) {
  if (s == "tag") return Action::Tag;
  if (s == "quarantine") return Action::Quarantine;
  if (s == "reject") return Action::Reject;
  if (s == "tempfail") return Action::TempFail;
  return Action::Accept;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// RFC 3463 §2: class "." subject "." detail; subject and detail 1-3 digits.
bool enhanced_code(std::string_view s) {
  auto parts = split(s, '.');
  return parts.size() == 3 && parts[0].size() == 1 && all_digits(parts[0]) &&
         (parts[0] == "2" || parts[0] == "4" || parts[0] == "5") && parts[1].size() <= 3 &&
         all_digits(parts[1]) && parts[2].size() <= 3 && all_digits(parts[2]);
}

Template read_template(const Reader& r, const toml::node& n, const std::string& key) {
  std::string s = r.string(n, key);
  std::string err;
  auto t = parse_template(s, err);
  if (!t) r.fail(n, "'" + key + "': " + err);
  return *t;
}

// "550 5.7.1 text", "451 4.4.3 text" or just "text" (default codes kept).
void read_reply(const Reader& r, const toml::node& n, Rule& rule) {
  std::string s = std::string(trim(r.string(n, "reply")));
  const char want = rule.action == Action::Reject ? '5' : '4';
  const std::string example = want == '5' ? "550 5.7.1" : "451 4.4.3";
  std::string_view rest = s;
  auto first = rest.substr(0, rest.find(' '));
  if (all_digits(first)) {
    if (first.size() != 3 || first[1] > '5')
      r.fail(n,
             "reply code '" + std::string(first) + "' is not an SMTP reply code (RFC 5321 §4.2)");
    if (first[0] != want)
      r.fail(n, "reply code " + std::string(first) + " does not fit action '" +
                    std::string(to_string(rule.action)) + "' (it needs a " + want +
                    "xx code, e.g. '" + example + " ...')");
    rule.code = std::string(first);
    rest = trim(rest.substr(first.size()));
    auto second = rest.substr(0, rest.find(' '));
    if (!enhanced_code(second))
      r.fail(n, "reply '" + s + "' lacks an enhanced status code after " + rule.code +
                    " (RFC 3463), e.g. '" + example + " ...'");
    if (second[0] != want)
      r.fail(n, "enhanced status code " + std::string(second) + " does not match reply code " +
                    rule.code + " (its first digit must be " + want + ")");
    rule.xcode = std::string(second);
    rest = trim(rest.substr(second.size()));
  } else if (enhanced_code(first)) {
    r.fail(n, "reply '" + s + "' starts with an enhanced status code but no reply code, e.g. '" +
                  example + " ...'");
  }
  std::string err;
  auto t = parse_template(rest, err);
  if (!t) r.fail(n, "'reply': " + err);
  if (rest.size() > 400) r.fail(n, "'reply' text is longer than 400 characters");
  if (!t->empty()) rule.reply_text = *t;
}

void read_headers(const Reader& r, const toml::node& n, Rule& rule) {
  for (const auto& [s, node] : r.strings(n, "add_header")) {
    auto colon = s.find(':');
    std::string name = colon == std::string::npos ? "" : std::string(trim(s.substr(0, colon)));
    bool ok = !name.empty() && name.size() == colon;  // no blanks before the colon
    for (unsigned char c : name)
      if (c < 33 || c > 126) ok = false;
    if (!ok) r.fail(*node, "'add_header' must look like \"X-Name: value\", not '" + s + "'");
    std::string err;
    auto value = parse_template(trim(s.substr(colon + 1)), err);
    if (!value) r.fail(*node, "'add_header': " + err);
    rule.add_headers.push_back({name, *value});
  }
}

std::string printable_name(const Reader& r, const toml::node& n) {
  std::string name = r.string(n, "name");
  if (name.empty() || trim(name).size() != name.size() || name.size() > 100)
    r.fail(n, "rule name must be 1 to 100 characters without leading or trailing blanks");
  for (unsigned char c : name)
    if (c < 0x20 || c >= 0x7f || c == '\'' || c == '"')
      r.fail(n, "rule name '" + name + "' may hold printable ASCII only, without quotes");
  return name;
}

Rule read_rule(const Reader& r, const toml::table& t) {
  Rule rule;
  rule.where = r.where(t.source());
  const toml::node* name = t.get("name");
  if (!name) r.fail(t, "rule without 'name' (every [[rule]] needs a unique name)");
  rule.name = printable_name(r, *name);
  const std::string what = "rule '" + rule.name + "'";
  r.only_keys(t, kRuleKeys, what);

  if (auto* d = t.get("description")) rule.description = r.string(*d, "description");
  if (auto* s = t.get("stage"))
    rule.stage = r.choice(*s, "stage", r.string(*s, "stage"), kStages) == "mail_from"
                     ? Stage::MailFrom
                     : Stage::Message;

  const toml::node* a = t.get("action");
  if (!a) r.fail(t, what + " needs an 'action' (valid: " + join(kActions) + ")");
  std::string action = r.choice(*a, "action", r.string(*a, "action"), kActions);
  if (rule.stage == Stage::MailFrom &&
      std::find(kMailFromActions.begin(), kMailFromActions.end(), action) == kMailFromActions.end())
    r.fail(*a, "action '" + action + "' is not possible at stage 'mail_from' (valid there: " +
                   join(kMailFromActions) + ")");
  rule.action = action_of(action);

  if (auto* w = t.get("when")) {
    rule.when = compile_conditions(r, r.table(*w, "when"), rule.stage);
    // An ARC override: a condition that asks for trusted sealers (not `= false`).
    for (const auto& [k, v] : r.table(*w, "when"))
      if (k.str().starts_with("arc_trusted") && !(v.is_boolean() && !*v.value<bool>()))
        rule.rests_on_arc = true;
    if (rule.stage == Stage::Message)
      if (auto why = forgeable_lift(r.table(*w, "when"), rule.action))
        r.fail(*w, what + ": " + *why);
  }

  auto only_for = [&](const char* key, std::initializer_list<Action> actions, const char* names) {
    const toml::node* n = t.get(key);
    if (!n) return n;
    for (auto act : actions)
      if (rule.action == act) return n;
    r.fail(*n, "'" + std::string(key) + "' does not apply to action '" + action + "' (only to " +
                   names + ")");
  };
  if (auto* n = only_for("reply", {Action::Reject, Action::TempFail}, "reject and tempfail"))
    read_reply(r, *n, rule);
  if (auto* n = only_for("reason", {Action::Quarantine}, "quarantine"))
    rule.reason = read_template(r, *n, "reason");
  if (auto* n = only_for("add_header", {Action::Tag}, "tag")) read_headers(r, *n, rule);
  if (auto* n = only_for("subject_prefix", {Action::Tag}, "tag"))
    rule.subject_prefix = read_template(r, *n, "subject_prefix");
  if (rule.action == Action::Tag && rule.add_headers.empty() && !rule.subject_prefix)
    r.fail(*a, "action 'tag' needs 'add_header' and/or 'subject_prefix'");

  if (auto* n = only_for("override", {Action::Accept, Action::Tag, Action::Quarantine},
                         "accept, tag and quarantine: the actions that can weaken the "
                         "domain owner's policy")) {
    rule.override_type = r.choice(*n, "override", r.string(*n, "override"), kOverrides);
  }
  if (auto* c = t.get("comment")) {
    if (rule.override_type.empty())
      r.fail(*c, "'comment' explains an 'override'; set 'override' too");
    rule.override_comment = r.string(*c, "comment");
    if (printable(rule.override_comment, 1000) != rule.override_comment)
      r.fail(*c, "'comment' must be printable ASCII text of at most 1000 characters");
  }
  if (rule.override_type == "other" && rule.override_comment.empty())
    r.fail(*t.get("override"),
           "override 'other' needs a 'comment' saying what it is (RFC 9990 §4.3)");
  return rule;
}

}  // namespace

// An enabled message-stage rule that matches a DMARC failure on forgeable
// conditions only, without `dmarc = "fail"` (forgeable.h); refused if an
// enforcing rule comes after it.
struct Pending {
  std::string path;
  toml::source_region where;
  std::string name, action;
  ForgeableMatch match;
};

std::vector<Rule> compile_rules(const std::vector<PolicySource>& sources) {
  std::vector<Rule> rules;
  std::vector<Pending> pending;
  std::map<std::string, std::string> seen;  // name -> where first defined
  for (const auto& src : sources) {
    Reader r(src.path);
    toml::table root;
    try {
      root = toml::parse(src.text, src.path);
    } catch (const toml::parse_error& e) {
      r.fail_at(e.source(), std::string(e.description()));
    }
    for (const auto& [k, v] : root) {
      if (k.str() != "rule")
        r.fail_at(k.source(), "unknown top-level key '" + std::string(k.str()) +
                                  "' (valid: rule, written as [[rule]] tables)");
      if (!v.is_array_of_tables() || v.as_array()->empty())
        r.fail_at(k.source(), "'rule' must be written as [[rule]] tables (an array of tables)");
    }
    const toml::array* arr = root["rule"].as_array();
    if (!arr) continue;  // a file without rules is allowed (monitor)
    for (const auto& e : *arr) {
      const toml::table& t = *e.as_table();
      Rule rule = read_rule(r, t);
      bool enabled = true;
      if (auto* n = t.get("enabled")) enabled = r.boolean(*n, "enabled");
      auto [it, fresh] = seen.emplace(rule.name, rule.where);
      if (!fresh)
        r.fail(*t.get("name"),
               "duplicate rule name '" + rule.name + "' (first defined at " + it->second + ")");
      if (!enabled) continue;
      if (const auto* w = t.get("when"); w && w->is_table() && rule.stage == Stage::Message) {
        const toml::table& when = *w->as_table();
        const std::string action(to_string(rule.action));
        if (asks_dmarc_fail(when) && strength(rule.action) > 0) {
          for (const auto& p : pending)
            if (p.match.applied < strength(rule.action) &&
                strength(rule.action) <= p.match.strongest)
              Reader(p.path).fail_at(p.where, "rule '" + p.name + "': " +
                                                   forgeable_before(p.action, p.match, rule.name,
                                                                    action, rule.where));
        } else if (!when.get("dmarc")) {
          if (auto m = forgeable_match(when, rule.action))
            pending.push_back({src.path, w->source(), rule.name, action, *m});
        }
      }
      rules.push_back(std::move(rule));
    }
  }
  return rules;
}

}  // namespace alignd::policy
