// alignd check-domain: audits what DOMAIN publishes, through the configured
// resolver (or --dns-zone): SPF (auth/spf_audit.h), DMARC (core/audit/
// dmarc_audit.h, RFC 9990 §4 authorization of external rua hosts), each local
// signing key of DOMAIN against its DNS record, and MX. Exit 0 when nothing
// is wrong, 1 when something is, 2 for usage or configuration errors.
#include <algorithm>
#include <cstdio>
#include <ctime>

#include "app/args.h"
#include "app/cli.h"
#include "app/config.h"
#include "app/json_out.h"
#include "app/runtime_loader.h"
#include "auth/dkim_key_record.h"
#include "auth/keygen.h"
#include "auth/keys.h"
#include "auth/spf_audit.h"
#include "core/audit/dmarc_audit.h"
#include "core/dmarc/discovery.h"
#include "core/log.h"
#include "core/text.h"
#include "report/verify.h"

namespace alignd {
namespace {

const char* kHelp =
    "usage: alignd check-domain [-c FILE] DOMAIN [--selector S]... [--dns-zone FILE]\n"
    "                           [--json] [--now UNIXTIME]\n"
    "\n"
    "Audits what DOMAIN publishes in the DNS, through the configured resolver:\n"
    "  spf    syntax, DNS-querying terms (limit 10) and void lookups (limit 2) with\n"
    "         includes expanded, +all, a missing all (RFC 7208)\n"
    "  dmarc  the record that applies (RFC 9989), tags RFC 9989 removed (pct, rf,\n"
    "         ri), p/sp/np/psd/t, rua= syntax and the RFC 9990 §4 authorization\n"
    "         records of external report destinations\n"
    "  dkim   every [[signing.keys]] entry for DOMAIN: the DNS record matches the\n"
    "         private key, key type and size, not_after approaching; and each\n"
    "         --selector S given (a key published by someone else)\n"
    "  mx     MX records present\n"
    "\n"
    "  -c, --config FILE   configuration (resolver, signing keys)\n"
    "  --selector S        also check S._domainkey.DOMAIN (repeatable)\n"
    "  --dns-zone FILE     local DNS data; it is the whole DNS\n"
    "  --json              one JSON object: {\"domain\", \"ok\", \"findings\": [...]}\n"
    "  --now UNIXTIME      pretend the current time is UNIXTIME (key dates)\n"
    "\n"
    "Exit status: 0 when nothing is wrong, 1 when a warning or error was found,\n"
    "2 for usage or configuration errors.\n";

constexpr std::time_t kSoon = 30 * 86400;  // warn about keys expiring within 30 days

std::string dkim_tag(std::string_view record, std::string_view tag) {
  for (auto part : split(record, ';')) {
    part = trim(part);
    auto eq = part.find('=');
    if (eq == std::string_view::npos || trim(part.substr(0, eq)) != tag) continue;
    std::string v;
    for (char c : part.substr(eq + 1))
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') v += c;
    return v;
  }
  return "";
}

std::string date(std::time_t t) {
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

struct Auditor {
  Resolver& dns;
  std::string domain;
  std::time_t now;
  Findings out;

  void add(const char* check, Severity s, std::string m) {
    out.push_back({check, s, std::move(m)});
  }

  void dmarc() {
    DmarcDns d(dns.as_lookup());
    PolicyDiscovery p = discover_policy_tree_walk(d, domain);
    if (p.status == PolicyDiscovery::Status::TempError) {
      add("dmarc", Severity::Error, "temporary DNS failure: " + p.detail);
      return;
    }
    if (p.status != PolicyDiscovery::Status::Found) {
      add("dmarc", Severity::Error, "no DMARC record applies to " + domain + " (" + p.detail + ")");
      return;
    }
    for (auto& f : audit_dmarc_record(p.record, domain, p.policy_domain)) out.push_back(f);
    // RFC 9990 §4: destinations outside the organizational domain must agree.
    OrgDomain org = tree_walk_org_domain(d, domain);
    const std::string org_domain = org.domain.empty() ? p.policy_domain : org.domain;
    for (const auto& dest : mailto_destinations(p.record.rua).mailto) {
      if (!is_external_destination(p.policy_domain, org_domain, dest)) continue;
      Verification v = verify_external_destination(dns, p.policy_domain, dest);
      const std::string where = p.policy_domain + "._report._dmarc." + dest.domain;
      if (v.result == Verification::Result::Authorized)
        add("dmarc", Severity::Ok, "external rua " + dest.address + " authorized by " + where);
      else if (v.result == Verification::Result::TempFail)
        add("dmarc", Severity::Warning, "external rua " + dest.address + ": " + v.reason);
      else
        add("dmarc", Severity::Error,
            "external rua " + dest.address + " is not authorized: " + where +
                " (RFC 9990 §4): " + v.reason);
    }
  }

  // One selector: the record exists and parses; with a local key, it matches.
  // `cfg` decides how loose a key file's mode may be (as serve decides it).
  void key(const std::string& selector, const SigningKeyConfig* local, const Config& cfg) {
    const std::string name = selector + "._domainkey." + domain;
    DnsAnswer a = dns.query(name, RrType::TXT);
    std::string record;
    if (a.status == DnsStatus::Ok && !a.records.empty()) record = a.records.front();
    if (a.status == DnsStatus::TempFail) {
      add("dkim", Severity::Error, name + ": temporary DNS failure (" + a.error + ")");
    } else if (record.empty()) {
      add("dkim", Severity::Error, "no key record at " + name);
    } else {
      DkimPublicKey pk = parse_dkim_key_record(record);
      if (pk.revoked)
        add("dkim", Severity::Warning, name + ": the key is revoked (empty p=)");
      else if (!pk.pkey)
        add("dkim", Severity::Error, name + ": unusable key record: " + pk.error);
      else
        add("dkim",
            pk.type == DkimPublicKey::Type::Rsa && pk.bits < 2048 ? Severity::Warning
                                                                  : Severity::Ok,
            name + ": " + (pk.type == DkimPublicKey::Type::Rsa ? "rsa " : "ed25519 ") +
                std::to_string(pk.bits) + " bits" +
                (pk.type == DkimPublicKey::Type::Rsa && pk.bits < 2048
                     ? " (use 2048: RFC 8301 §3.2 allows 1024 only for verifying)"
                     : "") +
                (pk.testing ? ", t=y (testing)" : ""));
    }
    if (!local) return;
    SigningKey k;
    try {
      k = load_signing_key(*local, cfg.signing.allow_loose_key_mode, signing_key_groups(cfg));
    } catch (const std::exception& e) {
      add("dkim", Severity::Error, selector + ": local key: " + e.what());
      return;
    }
    if (!record.empty()) {
      std::string want = public_key_b64(k.private_key);
      if (dkim_tag(record, "p") == want)
        add("dkim", Severity::Ok, selector + ": DNS record matches " + local->key_file);
      else
        add("dkim", Severity::Error,
            selector + ": DNS record does not match the private key " + local->key_file +
                " (publish: " +
                dkim_key_record(k.algorithm == "ed25519-sha256" ? KeyType::Ed25519 : KeyType::Rsa,
                                want) +
                ")");
    }
    if (k.not_after && *k.not_after <= now)
      add("dkim", Severity::Warning,
          selector + ": not_after " + date(*k.not_after) + " has passed");
    else if (k.not_after && *k.not_after - now < kSoon)
      add("dkim", Severity::Warning,
          selector + ": not_after " + date(*k.not_after) +
              " is less than 30 days away: publish the next key");
    if (k.not_before && *k.not_before > now)
      add("dkim", Severity::Info, selector + ": not valid before " + date(*k.not_before));
  }

  void mx() {
    DnsAnswer a = dns.query(domain, RrType::MX);
    if (a.status == DnsStatus::Ok && !a.records.empty()) {
      if (a.records.size() == 1 && (a.records[0] == "0 ." || a.records[0] == "0 "))
        add("mx", Severity::Info, "null MX (RFC 7505): the domain accepts no mail");
      else
        add(
            "mx", Severity::Ok, "MX " + [&] {
              std::string s;
              for (const auto& r : a.records) s += (s.empty() ? "" : ", ") + r;
              return s;
            }());
    } else if (a.status == DnsStatus::TempFail) {
      add("mx", Severity::Error, "temporary DNS failure (" + a.error + ")");
    } else {
      add("mx", Severity::Warning,
          "no MX record: bounces and reports to this domain fall back "
          "to its address record, if any (RFC 5321 §5.1)");
    }
  }
};

}  // namespace

int cmd_check_domain(int argc, char** argv) {
  try {
    Args args(argc, argv, {"-c", "--config", "--selector", "--dns-zone", "--now"},
              {"--json", "-v", "-h", "--help"});
    if (args.has("-h") || args.has("--help")) {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (args.positional().size() != 1) throw UsageError("give exactly one DOMAIN");
    set_log_verbosity(args.count("-v"));
    const std::string domain = normalize_domain(args.positional()[0]);
    if (!valid_dns_name(domain)) throw UsageError("'" + domain + "' is not a domain name");
    std::time_t now = std::time(nullptr);
    if (auto n = args.get("--now")) {
      try {
        now = static_cast<std::time_t>(std::stoll(*n));
      } catch (const std::exception&) {
        throw UsageError("--now wants seconds since the epoch, got '" + *n + "'");
      }
    }
    Config cfg = load_config_or_default(args.get_or("-c", args.get_or("--config", "")));
    std::shared_ptr<Resolver> dns;
    try {
      dns = make_resolver(cfg, args.get_or("--dns-zone", ""));
    } catch (const std::exception& e) {
      throw ConfigError(e.what());
    }

    Auditor a{*dns, domain, now, {}};
    SpfAudit spf = audit_spf(domain, dns->as_lookup());
    a.out = spf.findings;
    a.dmarc();
    std::vector<std::string> done;
    for (const auto& k : cfg.signing.keys) {
      if (normalize_domain(k.domain) != domain) continue;
      a.key(k.selector, &k, cfg);
      done.push_back(k.selector);
    }
    for (const auto& s : args.all("--selector"))
      if (std::find(done.begin(), done.end(), s) == done.end()) a.key(s, nullptr, cfg);
    if (done.empty() && !args.has("--selector"))
      a.add("dkim", Severity::Info,
            "no [[signing.keys]] entry for " + domain +
                " and no --selector given: no DKIM key checked");
    a.mx();

    const bool ok = !has_problems(a.out);
    if (args.has("--json")) {
      Json f = Json::array();
      for (const auto& x : a.out)
        f.push_back(
            {{"check", x.check}, {"severity", to_string(x.severity)}, {"message", x.message}});
      Json j = {{"domain", domain},
                {"ok", ok},
                {"spf",
                 {{"record", spf.record},
                  {"dns_terms", spf.dns_terms},
                  {"void_lookups", spf.void_lookups}}},
                {"findings", f}};
      std::fputs(dump_json(j).c_str(), stdout);
    } else {
      int problems = 0;
      for (const auto& x : a.out) {
        std::printf("%-5s %-7s %s\n", x.check.c_str(), std::string(to_string(x.severity)).c_str(),
                    x.message.c_str());
        if (x.severity == Severity::Warning || x.severity == Severity::Error) ++problems;
      }
      std::printf(
          "%s: %s\n", domain.c_str(),
          ok ? "no problems found"
             : (std::to_string(problems) + " problem" + (problems == 1 ? "" : "s")).c_str());
    }
    return ok ? 0 : 1;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "alignd check-domain: %s\n%s", e.what(), kHelp);
    return 2;
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "alignd check-domain: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "alignd check-domain: %s\n", e.what());
    return 2;
  }
}

}  // namespace alignd
