// alignd simulate: replays the messages the store kept (core/simulate/record.h)
// through a candidate policy and prints what would change, per From domain
// and source (core/simulate/compare.h). Reads the store, changes nothing.
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "app/args.h"
#include "app/cli.h"
#include "app/config.h"
#include "app/json_out.h"
#include "app/runtime_loader.h"
#include "core/arc/trust.h"
#include "core/fcrdns.h"
#include "core/log.h"
#include "core/simulate/compare.h"
#include "core/text.h"
#include "store/store.h"

namespace alignd {
namespace {

const char* kHelp =
    "usage: alignd simulate [-c FILE] --policy FILE... [--since DURATION] [--domain D]\n"
    "                       [--json] [--now UNIXTIME]\n"
    "\n"
    "Replays the messages of the period kept in the store ([store] record_messages)\n"
    "through a candidate policy, with the same rule engine the milter runs, and prints\n"
    "which messages would be handled differently: per From domain and source (the\n"
    "client's forward-confirmed name, else its IP), how many move from accept to\n"
    "quarantine/reject and back, with example queue ids and the rule that fires.\n"
    "Changes nothing.\n"
    "\n"
    "  -c, --config FILE   configuration, for [store] url (default /etc/alignd/alignd.toml)\n"
    "  --policy FILE       candidate policy file or glob (repeatable, loaded in order)\n"
    "  --since DURATION    how far back: 30m, 12h, 7d (default), 2w\n"
    "  --domain D          only messages whose From domain is D or below it\n"
    "  --json              one JSON object (counts, moves, groups) instead of text\n"
    "  --lookup-names      the candidate has client_name rules but a message was kept\n"
    "                      without a forward-confirmed name: look it up now, through\n"
    "                      the configured resolver (today's DNS, once per address)\n"
    "  --dns-zone FILE     with --lookup-names: local DNS data, the whole DNS\n"
    "  --now UNIXTIME      pretend the current time is UNIXTIME (tests)\n"
    "\n"
    "Exit status: 0 (whatever would change), 1 when the store fails, 2 for usage,\n"
    "configuration or policy errors.\n";

// "7d" -> seconds. Units: s, m, h, d, w; a bare number is seconds.
std::int64_t parse_duration(const std::string& s) {
  size_t used = 0;
  long long n = -1;
  try {
    n = std::stoll(s, &used);
  } catch (const std::exception&) {
  }
  std::string unit = s.substr(used);
  static const std::pair<const char*, std::int64_t> kUnits[] = {
      {"", 1}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}, {"w", 7 * 86400}};
  for (const auto& [u, mult] : kUnits)
    if (n > 0 && unit == u) return n * mult;
  throw UsageError("--since wants a duration such as 12h, 7d or 2w, got '" + s + "'");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string period_text(const std::string& since) {
  if (since == "7d" || since == "1w") return "last week";
  if (since == "1d" || since == "24h") return "in the last day";
  return "in the last " + since;
}

Json to_json(const SimulationResult& r, const std::vector<std::string>& policy,
             const std::string& domain, std::int64_t since, std::int64_t until,
             const std::vector<std::string>& summary) {
  Json moves = Json::object();
  for (const auto& [before, afters] : r.moves)
    for (const auto& [after, n] : afters) moves[before + "->" + after] = n;
  Json groups = Json::array();
  for (const auto& g : r.groups)
    groups.push_back({{"from_domain", g.from_domain},
                      {"source", g.source},
                      {"client_ip", g.client_ip},
                      {"before", g.before},
                      {"after", g.after},
                      {"rule", g.rule},
                      {"count", g.count},
                      {"examples", g.examples},
                      {"with_list_id", g.with_list_id},
                      {"hint", g.hint}});
  return {{"policy", policy},       {"domain", domain},
          {"since", since},         {"until", until},
          {"messages", r.messages}, {"changed", r.changed},
          {"moves", moves},         {"names_not_looked_up", r.names_not_looked_up},
          {"groups", groups},       {"summary", summary}};
}

// FCrDNS (core/fcrdns.h) for messages kept without it, once per address.
void lookup_names(std::vector<MessageRecord>& records, Resolver& dns) {
  std::map<std::string, ClientNames> seen;
  for (auto& r : records) {
    Evidence& ev = r.ev;
    if (!ev.client_name_status.empty() || ev.client_ip.empty()) continue;
    auto it = seen.find(ev.client_ip);
    if (it == seen.end())
      it = seen.emplace(ev.client_ip, forward_confirmed_names(ev.client_ip, dns.as_lookup())).first;
    ev.client_names = it->second.verified;
    ev.client_name = ev.client_names.empty() ? "" : ev.client_names.front();
    ev.client_name_status = it->second.status;
  }
}

}  // namespace

int cmd_simulate(int argc, char** argv) {
  try {
    Args args(argc, argv,
              {"-c", "--config", "--policy", "--since", "--domain", "--now", "--dns-zone"},
              {"--json", "--lookup-names", "-v", "-h", "--help"});
    if (args.has("-h") || args.has("--help")) {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (!args.positional().empty()) throw UsageError("unexpected argument " + args.positional()[0]);
    if (!args.has("--policy")) throw UsageError("--policy FILE is required");
    set_log_verbosity(args.count("-v"));
    const std::string since_text = args.get_or("--since", "7d");
    const std::int64_t span = parse_duration(since_text);
    std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    if (auto n = args.get("--now")) {
      try {
        now = std::stoll(*n);
      } catch (const std::exception&) {
        throw UsageError("--now wants seconds since the epoch, got '" + *n + "'");
      }
    }
    const std::string domain = normalize_domain(args.get_or("--domain", ""));

    Config cfg = load_config_or_default(args.get_or("-c", args.get_or("--config", "")));
    std::vector<PolicySource> sources;
    std::vector<std::string> files;
    try {
      files = expand_policy_files(args.all("--policy"));
    } catch (const std::exception& e) {
      throw ConfigError(e.what());
    }
    for (const auto& f : files) sources.push_back({f, read_file(f)});
    PolicyEngine candidate;
    try {
      candidate = PolicyEngine::compile(sources);
    } catch (const PolicyError& e) {
      throw ConfigError(e.what());
    }

    auto store = open_store(cfg.store.url);
    if (!store)
      throw ConfigError("the store is disabled (store.url = \"none\"): nothing to replay");
    auto records = store->messages(now - span, now + 1, domain);
    // Trust in an ARC sealer is local policy (RFC 8617 §7.2.1): judged with this
    // configuration's [arc] trusted_sealers, as serve would judge the same chain.
    for (auto& rec : records)
      if (rec.ev.arc.checked)
        apply_arc_trust(rec.ev.arc, cfg.arc.trusted_sealers, rec.ev.dmarc.author_domain);
    if (args.has("--lookup-names") && candidate.uses_condition("client_name"))
      lookup_names(records, *make_resolver(cfg, args.get_or("--dns-zone", "")));

    SimulationResult r = simulate_policy(records, candidate);
    std::string name = files.size() == 1 ? files[0].substr(files[0].rfind('/') + 1)
                                         : std::to_string(files.size()) + " policy files";
    auto summary = simulation_summary(r, name, period_text(since_text), domain);
    if (args.has("--json")) {
      std::fputs(dump_json(to_json(r, files, domain, now - span, now, summary)).c_str(), stdout);
      return 0;
    }
    for (const auto& l : summary) std::printf("%s\n", l.c_str());
    if (records.empty() && !cfg.store.record_messages)
      std::printf("note: [store] record_messages is off: no messages are kept to replay\n");
    if (!r.groups.empty()) std::printf("\nchanges by From domain and source:\n");
    for (const auto& g : r.groups) {
      std::string src = g.source == g.client_ip ? g.source : g.source + " [" + g.client_ip + "]";
      std::string ex;
      for (const auto& q : g.examples) ex += (ex.empty() ? "" : ", ") + q;
      std::printf("  %s via %s: %d %s -> %s%s%s%s\n",
                  g.from_domain.empty() ? "(no From domain)" : g.from_domain.c_str(), src.c_str(),
                  g.count, g.before.c_str(), g.after.c_str(),
                  g.rule.empty() ? " (no rule matched)" : (" by rule " + g.rule).c_str(),
                  ex.empty() ? "" : ("; e.g. " + ex).c_str(),
                  g.hint.empty() ? "" : ("\n      hint: " + g.hint).c_str());
    }
    return 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "alignd simulate: %s\n%s", e.what(), kHelp);
    return 2;
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "alignd simulate: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "alignd simulate: %s\n", e.what());
    return 1;
  }
}

}  // namespace alignd
