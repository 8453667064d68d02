// Compiles `when` tables into Conditions; see conditions.h and docs/policy.md.
// Each condition reads one fact of the Evidence and explains itself in the trace.
#include "core/policy/conditions.h"

#include <algorithm>
#include <memory>

#include "core/cidr.h"
#include "core/outcome.h"
#include "core/policy/arc_conditions.h"
#include "core/policy/pattern.h"
#include "core/text.h"

namespace alignd::policy {

namespace {

using Compile = Condition (*)(const Reader&, const std::string& key, const toml::node& value);

// ---- enumerated values ("dmarc = ["fail", "temperror"]") ------------------

template <class E>
struct Choice {
  const char* name;
  E value;
};

template <class E, size_t N>
std::vector<E> read_choices(const Reader& r, const std::string& key, const toml::node& n,
                            const Choice<E> (&choices)[N]) {
  std::vector<std::string> names;
  for (const auto& c : choices) names.push_back(c.name);
  std::vector<E> out;
  for (const auto& [s, node] : r.strings(n, key)) {
    std::string v = to_lower(s);
    r.choice(*node, key + " value", v, names);
    for (const auto& c : choices)
      if (v == c.name) out.push_back(c.value);
  }
  return out;
}

template <class E>
std::string names_of(const std::vector<E>& v) {
  std::vector<std::string> s;
  for (const auto& e : v) s.emplace_back(to_string(e));
  return join(s, " or ");
}

template <class E>
bool has(const std::vector<E>& v, const E& e) {
  return std::find(v.begin(), v.end(), e) != v.end();
}

// `label=value`, and "(wanted ...)" when it does not hold.
template <class E>
bool explain(std::string& note, const std::string& label, const E& got,
             const std::vector<E>& want) {
  bool ok = has(want, got);
  note = label + "=" + std::string(to_string(got));
  if (!ok) note += " (wanted " + names_of(want) + ")";
  return ok;
}

const Choice<Outcome> kDmarcResults[] = {{"pass", Outcome::Pass},
                                         {"fail", Outcome::Fail},
                                         {"none", Outcome::None},
                                         {"temperror", Outcome::TempError},
                                         {"permerror", Outcome::PermError}};
// RFC 7208 §2.6
const Choice<Outcome> kSpfResults[] = {
    {"none", Outcome::None},          {"neutral", Outcome::Neutral},
    {"pass", Outcome::Pass},          {"fail", Outcome::Fail},
    {"softfail", Outcome::SoftFail},  {"temperror", Outcome::TempError},
    {"permerror", Outcome::PermError}};
// RFC 8601 §2.7.1
const Choice<Outcome> kDkimResults[] = {
    {"none", Outcome::None},          {"pass", Outcome::Pass},
    {"fail", Outcome::Fail},          {"policy", Outcome::Policy},
    {"neutral", Outcome::Neutral},    {"temperror", Outcome::TempError},
    {"permerror", Outcome::PermError}};
const Choice<RequestedPolicy> kPolicies[] = {{"none", RequestedPolicy::None},
                                             {"quarantine", RequestedPolicy::Quarantine},
                                             {"reject", RequestedPolicy::Reject}};

Condition dmarc(const Reader& r, const std::string& key, const toml::node& n) {
  auto want = read_choices(r, key, n, kDmarcResults);
  return {key, [want](const Evidence& ev, std::string& note) {
            return explain(note, "dmarc", ev.dmarc.result, want);
          }};
}

Condition dmarc_policy(const Reader& r, const std::string& key, const toml::node& n) {
  auto want = read_choices(r, key, n, kPolicies);
  return {key, [want](const Evidence& ev, std::string& note) {
            // Named after the tag that applied (RFC 9989 §4.7: p, sp or np).
            std::string tag = ev.dmarc.policy_tag.empty() ? "p" : ev.dmarc.policy_tag;
            return explain(note, tag, ev.dmarc.requested_policy, want);
          }};
}

// The requested policy after t=y and pct sampling (effective_policy() in rule.h).
Condition effective(const Reader& r, const std::string& key, const toml::node& n) {
  auto want = read_choices(r, key, n, kPolicies);
  return {key, [want](const Evidence& ev, std::string& note) {
            RequestedPolicy eff = effective_policy(ev.dmarc);
            bool ok = explain(note, "effective_policy", eff, want);
            if (eff != ev.dmarc.requested_policy) {
              std::string tag = ev.dmarc.policy_tag.empty() ? "p" : ev.dmarc.policy_tag;
              std::string why = ev.dmarc.testing ? "t=y" : "pct sampled out";
              note.insert(std::string("effective_policy=").size() + to_string(eff).size(),
                          " (" + tag + "=" + std::string(to_string(ev.dmarc.requested_policy)) +
                              ", " + why + ")");
            }
            return ok;
          }};
}

Condition spf_mailfrom(const Reader& r, const std::string& key, const toml::node& n) {
  auto want = read_choices(r, key, n, kSpfResults);
  return {key, [want](const Evidence& ev, std::string& note) {
            return explain(note, "spf", ev.spf_mailfrom.result, want);
          }};
}

Condition spf_helo(const Reader& r, const std::string& key, const toml::node& n) {
  auto want = read_choices(r, key, n, kSpfResults);
  return {key, [want](const Evidence& ev, std::string& note) {
            return explain(note, "spf_helo", ev.spf_helo.result, want);
          }};
}

// Any DKIM signature with one of the results; a message without any is "none".
Condition dkim(const Reader& r, const std::string& key, const toml::node& n) {
  auto want = read_choices(r, key, n, kDkimResults);
  return {key, [want](const Evidence& ev, std::string& note) {
            if (ev.dkim.empty()) return explain(note, "dkim", Outcome::None, want);
            std::vector<std::string> seen;
            for (const auto& sig : ev.dkim) {
              if (has(want, sig.result)) {
                note = "dkim=" + std::string(to_string(sig.result)) + " (d=" + sig.domain + ")";
                return true;
              }
              seen.emplace_back(to_string(sig.result));
            }
            note = "dkim=" + join(seen, ",") + " (wanted " + names_of(want) + ")";
            return false;
          }};
}

// ---- l= (RFC 6376 §8.2) -------------------------------------------------------

// `dkim_unsigned_bytes = N` (at least N) or `{ at_least = N, at_most = M }`: the most
// canonical body content any DKIM signature's l= left unsigned (0 without l=).
Condition dkim_unsigned_bytes(const Reader& r, const std::string& key, const toml::node& n) {
  auto count = [&](const toml::node& v, const std::string& what) -> long long {
    if (!v.is_integer()) r.fail(v, "'" + what + "' must be a whole number of bytes (0 or more)");
    long long x = v.as_integer()->get();
    if (x < 0) r.fail(v, "'" + what + "' must be a whole number of bytes (0 or more)");
    return x;
  };
  long long lo = 0, hi = -1;  // hi -1: no upper bound
  if (n.is_table()) {
    const toml::table& t = *n.as_table();
    r.only_keys(t, {"at_least", "at_most"}, key + " condition");
    if (t.empty()) r.fail(n, key + " needs at_least and/or at_most, e.g. { at_least = 1 }");
    if (auto* v = t.get("at_least")) lo = count(*v, key + ".at_least");
    if (auto* v = t.get("at_most")) hi = count(*v, key + ".at_most");
    if (hi >= 0 && hi < lo) r.fail(n, key + ": at_most is below at_least");
  } else {
    lo = count(n, key);
  }
  return {key, [lo, hi](const Evidence& ev, std::string& note) {
            size_t most = 0;
            std::string domain;
            for (const auto& sig : ev.dkim)
              if (sig.unsigned_body_bytes > most) {
                most = sig.unsigned_body_bytes;
                domain = sig.domain;
              }
            const auto got = static_cast<long long>(most);
            bool ok = got >= lo && (hi < 0 || got <= hi);
            note = "dkim_unsigned_bytes=" + std::to_string(most);
            if (most > 0) note += " (d=" + domain + ")";
            if (!ok)
              note += " (wanted " +
                      (hi < 0 ? "at least " + std::to_string(lo)
                              : std::to_string(lo) + ".." + std::to_string(hi)) +
                      ")";
            return ok;
          }};
}

// ---- booleans ---------------------------------------------------------------

Condition flag(const Reader& r, const std::string& key, const toml::node& n,
               std::function<bool(const Evidence&)> get) {
  bool want = r.boolean(n, key);
  return {key, [want, key, get](const Evidence& ev, std::string& note) {
            bool got = get(ev);
            note = key + "=" + (got ? "true" : "false");
            if (got != want) note += std::string(" (wanted ") + (want ? "true" : "false") + ")";
            return got == want;
          }};
}

Condition testing(const Reader& r, const std::string& key, const toml::node& n) {
  bool want = r.boolean(n, key);
  return {key, [want](const Evidence& ev, std::string& note) {
            // RFC 9989 §4.7 t=y: the domain owner is testing, do not enforce.
            note = ev.dmarc.testing ? "t=y" : "t=n";
            if (ev.dmarc.testing != want) note += want ? " (wanted t=y)" : " (wanted t=n)";
            return ev.dmarc.testing == want;
          }};
}

Condition sampled(const Reader& r, const std::string& key, const toml::node& n) {
  return flag(r, key, n, [](const Evidence& ev) { return sampled_out(ev.dmarc); });
}
Condition spf_aligned(const Reader& r, const std::string& key, const toml::node& n) {
  return flag(r, key, n, [](const Evidence& ev) { return ev.dmarc.spf_aligned; });
}
Condition dkim_aligned(const Reader& r, const std::string& key, const toml::node& n) {
  return flag(r, key, n, [](const Evidence& ev) { return ev.dmarc.dkim_aligned; });
}
Condition authenticated(const Reader& r, const std::string& key, const toml::node& n) {
  return flag(r, key, n, [](const Evidence& ev) { return ev.authenticated; });
}
Condition trusted(const Reader& r, const std::string& key, const toml::node& n) {
  return flag(r, key, n, [](const Evidence& ev) { return ev.trusted; });
}
Condition dns_temperror(const Reader& r, const std::string& key, const toml::node& n) {
  return flag(r, key, n, [](const Evidence& ev) { return ev.dns_temperror; });
}

// ---- domains, networks ------------------------------------------------------

std::vector<DomainPattern> read_patterns(const Reader& r, const std::string& key,
                                         const toml::node& n) {
  std::vector<DomainPattern> out;
  for (const auto& [s, node] : r.strings(n, key)) {
    std::string err;
    auto p = parse_domain_pattern(s, err);
    if (!p) r.fail(*node, err);
    out.push_back(*p);
  }
  return out;
}

std::string pattern_list(const std::vector<DomainPattern>& pats) {
  std::vector<std::string> s;
  for (const auto& p : pats) s.push_back(p.text);
  return join(s);
}

// `label` domain matches one of the patterns.
bool match_domain(std::string& note, const std::string& label, const std::string& domain,
                  const std::vector<DomainPattern>& pats) {
  if (domain.empty()) {
    note = label + " is empty";
    return false;
  }
  for (const auto& p : pats) {
    if (p.matches(domain)) {
      note = label + " " + domain + " matches " + p.text;
      return true;
    }
  }
  note = label + " " + domain + " matches none of " + pattern_list(pats);
  return false;
}

Condition from_domain(const Reader& r, const std::string& key, const toml::node& n) {
  auto pats = read_patterns(r, key, n);
  return {key, [pats](const Evidence& ev, std::string& note) {
            return match_domain(note, "from_domain", ev.dmarc.author_domain, pats);
          }};
}

Condition mail_from_domain(const Reader& r, const std::string& key, const toml::node& n) {
  auto pats = read_patterns(r, key, n);
  return {key, [pats](const Evidence& ev, std::string& note) {
            if (ev.mail_from.empty()) {
              note = "mail_from is the null sender <>";
              return false;
            }
            return match_domain(note, "mail_from_domain", address_domain(ev.mail_from), pats);
          }};
}

// Any recipient's domain (the MTA passes one verdict for the whole message).
Condition recipient_domain(const Reader& r, const std::string& key, const toml::node& n) {
  auto pats = read_patterns(r, key, n);
  return {key, [pats](const Evidence& ev, std::string& note) {
            std::vector<std::string> seen;
            for (const auto& rcpt : ev.rcpt_to) {
              std::string d = address_domain(rcpt);
              for (const auto& p : pats) {
                if (!d.empty() && p.matches(d)) {
                  note = "recipient domain " + d + " matches " + p.text;
                  return true;
                }
              }
              if (seen.size() < 5) seen.push_back(d.empty() ? "<" + rcpt + ">" : d);
            }
            note = "no recipient domain (" + (seen.empty() ? "none" : join(seen)) + ") matches " +
                   pattern_list(pats);
            return false;
          }};
}

Condition client_network(const Reader& r, const std::string& key, const toml::node& n) {
  std::vector<Cidr> nets;
  for (const auto& [s, node] : r.strings(n, key)) {
    auto c = parse_cidr(trim(s));
    if (!c)
      r.fail(*node, "bad CIDR '" + s +
                        "' in client_network (write an address or network such as "
                        "192.0.2.0/24 or 2001:db8::/32)");
    nets.push_back(*c);
  }
  return {key, [nets](const Evidence& ev, std::string& note) {
            for (const auto& c : nets) {
              if (cidr_contains(c, ev.client_ip)) {
                note = "client " + ev.client_ip + " in " + c.text;
                return true;
              }
            }
            std::vector<std::string> s;
            for (const auto& c : nets) s.push_back(c.text);
            note = "client " + (ev.client_ip.empty() ? std::string("(unknown)") : ev.client_ip) +
                   " not in " + join(s);
            return false;
          }};
}

// The client's forward-confirmed PTR name (FCrDNS, core/fcrdns.h): a name the
// client cannot claim for itself, unlike HELO or anything in the message.
Condition client_name(const Reader& r, const std::string& key, const toml::node& n) {
  auto pats = read_patterns(r, key, n);
  return {key, [pats](const Evidence& ev, std::string& note) {
            if (ev.client_names.empty()) {
              note = "client " + (ev.client_ip.empty() ? std::string("(unknown)") : ev.client_ip) +
                     " has no verified name (" +
                     (ev.client_name_status.empty() ? std::string("not looked up")
                                                    : ev.client_name_status) +
                     ")";
              return false;
            }
            for (const auto& name : ev.client_names) {
              for (const auto& p : pats) {
                if (p.matches(name)) {
                  note = "client " + ev.client_ip + " is " + name + " (FCrDNS), matches " + p.text;
                  return true;
                }
              }
            }
            note = "client name " + join(ev.client_names) + " (FCrDNS) matches none of " +
                   pattern_list(pats);
            return false;
          }};
}

// ---- From problems (RFC 9989 §4.4) ------------------------------------------

Condition from_problem(const Reader& r, const std::string& key, const toml::node& n) {
  static const std::vector<std::string> kProblems = {
      "no-from", "multiple-from", "multiple-addresses", "unparseable", "too-many-authors"};
  std::vector<std::string> want;
  for (const auto& [s, node] : r.strings(n, key))
    want.push_back(r.choice(*node, "from_problem value", to_lower(s), kProblems));
  return {key, [want](const Evidence& ev, std::string& note) {
            note = "from_problem=" + (ev.from_problem.empty() ? "none" : ev.from_problem);
            bool ok = has(want, ev.from_problem);
            if (!ok) note += " (wanted " + join(want, " or ") + ")";
            return ok;
          }};
}

// ---- header fields ----------------------------------------------------------

// The value as a reader sees it: unfolded (RFC 5322 §2.2.3), outer blanks trimmed.
std::string unfolded(std::string_view v) {
  std::string out;
  for (char c : v)
    if (c != '\r' && c != '\n') out += c;
  return std::string(trim(out));
}

bool contains_ci(std::string_view hay, std::string_view needle) {
  return to_lower(hay).find(to_lower(needle)) != std::string::npos;
}

bool valid_field_name(std::string_view s) {  // RFC 5322 §3.6.8 ftext
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c < 33 || c > 126 || c == ':') return false;
  return true;
}

Condition one_header(const Reader& r, const toml::table& t) {
  r.only_keys(t, {"name", "present", "matches", "contains"}, "header condition");
  const toml::node* name_node = t.get("name");
  if (!name_node)
    r.fail(t, "header condition needs 'name' (the header field name, e.g. \"List-Id\")");
  std::string name = r.string(*name_node, "name");
  if (!valid_field_name(name)) r.fail(*name_node, "'" + name + "' is not a header field name");
  bool present = true;
  if (auto* p = t.get("present")) present = r.boolean(*p, "present");
  std::vector<std::string> globs, subs;
  if (auto* m = t.get("matches"))
    for (const auto& [s, node] : r.strings(*m, "matches")) globs.push_back(s);
  if (auto* c = t.get("contains"))
    for (const auto& [s, node] : r.strings(*c, "contains")) subs.push_back(s);
  if (!globs.empty() && !subs.empty())
    r.fail(t, "header condition: use either 'matches' or 'contains', not both");
  if (!present && (!globs.empty() || !subs.empty()))
    r.fail(t,
           "header condition: 'present = false' cannot be combined with 'matches' or 'contains'");

  return {"header", [name, present, globs, subs](const Evidence& ev, std::string& note) {
            bool any = false;
            for (const auto& h : ev.headers) {
              if (!iequals(h.name, name)) continue;
              any = true;
              std::string v = unfolded(h.value);
              for (const auto& g : globs) {
                if (glob_match(g, v)) {
                  note = "header " + name + " matches '" + g + "'";
                  return true;
                }
              }
              for (const auto& s : subs) {
                if (contains_ci(v, s)) {
                  note = "header " + name + " contains '" + s + "'";
                  return true;
                }
              }
            }
            if (!present) {
              note = any ? "header " + name + " present (wanted absent)" : "no " + name + " header";
              return !any;
            }
            if (!any) {
              note = "no " + name + " header";
              return false;
            }
            if (globs.empty() && subs.empty()) {
              note = "header " + name + " present";
              return true;
            }
            note = "header " + name +
                   (globs.empty() ? " does not contain '" + join(subs, "' or '")
                                  : " does not match '" + join(globs, "' or '")) +
                   "'";
            return false;
          }};
}

// ---- the table of conditions ----------------------------------------------

struct Spec {
  const char* key;
  bool at_mail_from;  // known at MAIL FROM
  Compile compile;
};

const Spec kSpecs[] = {
    {"dmarc", false, dmarc},
    {"dmarc_policy", false, dmarc_policy},
    {"effective_policy", false, effective},
    {"testing", false, testing},
    {"sampled_out", false, sampled},
    {"spf", true, spf_mailfrom},
    {"spf_helo", true, spf_helo},
    {"spf_aligned", false, spf_aligned},
    {"dkim", false, dkim},
    {"dkim_aligned", false, dkim_aligned},
    {"dkim_unsigned_bytes", false, dkim_unsigned_bytes},
    {"arc", false, arc_result},  // RFC 8617, arc_conditions.h
    {"arc_trusted_sealer", false, arc_trusted_sealer},
    {"arc_trusted_pass", false, arc_trusted_pass},
    {"arc_trusted_dmarc", false, arc_trusted_recorded},
    {"arc_trusted_spf", false, arc_trusted_recorded},
    {"arc_trusted_dkim", false, arc_trusted_recorded},
    {"from_domain", false, from_domain},
    {"from_problem", false, from_problem},
    {"mail_from_domain", true, mail_from_domain},
    {"recipient_domain", false, recipient_domain},
    {"client_network", true, client_network},
    {"client_name", true, client_name},
    {"authenticated", true, authenticated},
    {"trusted", true, trusted},
    {"dns_temperror", true, dns_temperror},
    {"header", false, nullptr},  // one table or a list of tables: see compile_conditions
};

}  // namespace

const std::vector<std::string>& condition_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& s : kSpecs) k.push_back(s.key);
    return k;
  }();
  return keys;
}

const std::vector<std::string>& mail_from_condition_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& s : kSpecs)
      if (s.at_mail_from) k.push_back(s.key);
    return k;
  }();
  return keys;
}

std::vector<Condition> compile_conditions(const Reader& r, const toml::table& when, Stage stage) {
  r.only_keys(when, condition_keys(), "'when' (conditions)");
  std::vector<Condition> out;
  // In documented order, so traces read the same whatever order the file uses.
  for (const auto& spec : kSpecs) {
    const toml::node* n = when.get(spec.key);
    if (!n) continue;
    if (stage == Stage::MailFrom && !spec.at_mail_from)
      r.fail(*n, "condition '" + std::string(spec.key) +
                     "' is not known at stage 'mail_from' (valid there: " +
                     join(mail_from_condition_keys()) + ")");
    if (spec.compile) {
      out.push_back(spec.compile(r, spec.key, *n));
    } else if (n->is_table()) {
      out.push_back(one_header(r, *n->as_table()));
    } else if (n->is_array() && !n->as_array()->empty()) {
      for (const auto& e : *n->as_array()) {
        if (!e.is_table())
          r.fail(e, "'header' must be a table or a list of tables, not a list of values");
        out.push_back(one_header(r, *e.as_table()));
      }
    } else {
      r.fail(*n, "'header' must be a table such as { name = \"List-Id\" } or a list of them");
    }
  }
  return out;
}

}  // namespace alignd::policy
