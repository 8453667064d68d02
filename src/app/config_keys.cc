// The table of alignd.toml keys and the "did you mean" hint; see config_keys.h.
// Keep a key's description here, in man/alignd.toml.5.scd and in
// docs/configuration.md in step (tests/integration/config_docs.sh checks the names).
#include "app/config_keys.h"

#include <algorithm>

namespace alignd {
namespace {

using T = ConfigType;

const std::vector<ConfigKey> kKeys = {
    {"", "authserv_id", T::String, "(the host name)",
     "authserv-id of Authentication-Results; also names reports (a name with a dot)"},
    {"", "trusted_networks", T::Strings, R"(["127.0.0.0/8", "::1/128"])",
     "CIDR networks whose clients are outbound: signed, not DMARC-judged"},
    {"", "outbound_auth_results", T::Boolean, "true",
     "also stamp Authentication-Results on outbound mail"},

    {"milter", "socket", T::String, R"("unix:/run/alignd/milter.sock")",
     "unix:PATH, local:PATH, inet:PORT@HOST or inet6:PORT@HOST (port 1-65535)"},
    {"milter", "socket_owner", T::String, "(the daemon's user)", "user owning a unix socket"},
    {"milter", "socket_group", T::String, "(the daemon's group)",
     "group of a unix socket; \"-\" leaves it as created"},
    {"milter", "socket_mode", T::Mode, R"("0660")",
     "mode of a unix socket: \"0660\" (quoted) or 0o660 (TOML octal)"},
    {"milter", "user", T::String, R"("")",
     "user to switch to after opening the socket when started as root"},
    {"milter", "timeout_s", T::Integer, "300", "libmilter's per-connection I/O timeout (1-3600)"},

    {"dns", "servers", T::Strings, "[]",
     "forwarders \"IP\" or \"IP@PORT\"; empty = /etc/resolv.conf"},
    {"dns", "zone_file", T::String, R"("")",
     "local DNS data (RFC 1035 master file) answered first"},
    {"dns", "timeout_ms", T::Integer, "3000", "per query (10-60000)"},
    {"dns", "dnssec", T::Boolean, "false", "validate with the system trust anchor"},
    {"dns", "cache_entries", T::Integer, "65536", "answers kept in alignd's own cache; 0 = none"},
    {"dns", "max_queries_per_message", T::Integer, "120",
     "lookups for one message; beyond it temperror (10-1000)"},
    {"dns", "message_deadline_ms", T::Integer, "20000",
     "wall-clock DNS time one message may wait in all (100-600000)"},

    {"spf", "check_helo", T::Boolean, "true", "also check the HELO identity (RFC 7208 §2.3)"},
    {"spf", "skip_outbound", T::Boolean, "true", "no SPF for trusted or authenticated clients"},
    {"spf", "received_spf", T::Boolean, "true", "add a Received-SPF field (RFC 7208 §9.1)"},

    {"dkim", "max_signatures", T::Integer, "5", "signatures verified per message (1-50)"},
    {"dkim", "verify_outbound", T::Boolean, "false", "also verify signatures on outbound mail"},
    {"dkim", "partial_body", T::String, R"("policy")",
     "a signature with l= short of the body (RFC 6376 §8.2): \"policy\" or \"pass\""},

    {"headers", "max_fields", T::Integer, "1000",
     "header fields per message (10-1000000); more: 552 5.3.4"},
    {"headers", "max_bytes", T::Integer, "1048576",
     "header bytes per message (4096-67108864); more: 552 5.3.4"},

    {"signing", "canonicalization", T::String, R"("relaxed/relaxed")",
     "c= of our signatures: relaxed|simple / relaxed|simple"},
    {"signing", "expire_s", T::Integer, "0", "add x= this many seconds after t=; 0 = no x="},
    {"signing", "allow_loose_key_mode", T::Boolean, "false",
     "accept key files readable by others or by a foreign group"},
    {"signing", "sender_login_map", T::String, R"("")",
     "Postfix smtpd_sender_login_maps file: a login signs only its own From addresses"},
    {"signing", "sender_login_local_domains", T::Strings, "[]",
     "domains for which bare \"user\" keys of the map apply"},
    {"signing", "sender_login_delimiter", T::String, R"("")",
     "address extension delimiter(s), as Postfix's recipient_delimiter"},

    {"signing.keys", "domain", T::String, "(required)",
     "d= of the signature: the From domain signed"},
    {"signing.keys", "selector", T::String, "(required)",
     "s=: the key is at SELECTOR._domainkey.DOMAIN"},
    {"signing.keys", "key_file", T::String, "(required)",
     "the private key (PEM, RSA or Ed25519), mode 0600 or 0640"},
    {"signing.keys", "include_subdomains", T::Boolean, "false", "also sign mail From: sub.DOMAIN"},
    {"signing.keys", "not_before", T::String, R"("")",
     "sign from this date (YYYY-MM-DD or RFC 3339); \"\" = always"},
    {"signing.keys", "not_after", T::String, R"("")", "stop signing at this date; \"\" = never"},

    {"dmarc", "discovery", T::String, R"("tree-walk")",
     "\"tree-walk\" (RFC 9989) or \"psl\" (RFC 7489 public suffix list)"},
    {"dmarc", "psl_file", T::String, R"("/usr/share/publicsuffix/public_suffix_list.dat")",
     "the public suffix list for \"psl\""},
    {"dmarc", "max_author_domains", T::Integer, "5",
     "author domains of one From evaluated (1-20; RFC 9989 §11.5)"},

    {"arc", "trusted_sealers", T::Strings, "[]",
     "ARC-Seal d= domains whose valid chain may rescue a DMARC failure"},
    {"arc", "verify", T::Boolean, "true", "validate ARC chains on inbound mail"},
    {"arc", "seal", T::Boolean, "false", "seal outbound (re-injected) mail (RFC 8617 §5.1)"},
    {"arc", "seal_domain", T::String, R"("")",
     "d= of our seals; \"\" = the key domain of authserv_id"},

    {"policy", "files", T::Strings, "[]",
     "globs of policy rule files, in order; empty = monitor only"},

    {"store", "url", T::String, R"("sqlite:///var/lib/alignd/alignd.db")",
     "sqlite:///PATH, postgresql://... or \"none\""},
    {"store", "retention_days", T::Integer, "30", "evaluations and messages kept (1-3650 days)"},
    {"store", "record_messages", T::Boolean, "true",
     "keep every decided message for alignd simulate"},
    {"store", "message_headers", T::Strings, "(List-Id, Sender, ... ten fields)",
     "header fields kept with each message for simulate"},
    {"store", "queue_capacity", T::Integer, "10000", "evaluations queued for the writer"},
    {"store", "batch_size", T::Integer, "200", "evaluations written per transaction"},
    {"store", "flush_interval_ms", T::Integer, "1000", "longest wait before a batch is written"},

    {"reporting", "org_name", T::String, "(authserv_id)", "org_name of our aggregate reports"},
    {"reporting", "email", T::String, "(dmarc-reports@authserv_id)", "From: of our reports"},
    {"reporting", "send_command", T::String, R"("/usr/sbin/sendmail -t -oi")",
     "how report mail leaves"},
    {"reporting", "format", T::String, R"("rfc9990")", "\"rfc9990\" or \"rfc7489\" (legacy XML)"},
    {"reporting", "extra_contact_info", T::String, R"("")", "extra_contact_info of our reports"},
    {"reporting", "verify_external_destinations", T::Boolean, "true",
     "RFC 9990 external destination check"},
    {"reporting", "max_destinations", T::Integer, "5", "rua= mailboxes per record (1-100)"},

    {"http", "listen", T::String, R"("")",
     "HOST:PORT of /metrics and the status page (port 1-65535); \"\" = off"},
    {"http", "user", T::String, R"("")", "HTTP basic auth user; required off loopback"},
    {"http", "password_file", T::String, R"("")", "file whose first line is the password"},
    {"http", "recent", T::Integer, "50", "latest evaluations on the status page (0-1000)"},
    {"http", "days", T::Integer, "14", "days of pass-rate history on the status page (1-366)"},

    {"log", "verbosity", T::Integer, "0", "0-3; -v on the command line raises it"},
    {"log", "syslog", T::Boolean, "false", "also log to syslog"},
};

bool under(std::string_view section, std::string_view parent) {
  if (parent.empty()) return true;
  return section.size() > parent.size() && section.substr(0, parent.size()) == parent &&
         section[parent.size()] == '.';
}

}  // namespace

const std::vector<ConfigKey>& config_keys() {
  return kKeys;
}

const ConfigKey* find_config_key(std::string_view section, std::string_view key) {
  for (const auto& k : kKeys)
    if (k.section == section && k.key == key) return &k;
  return nullptr;
}

std::string config_key_name(const ConfigKey& k) {
  return k.section.empty() ? std::string(k.key) : std::string(k.section) + "." + std::string(k.key);
}

std::string_view config_type_name(ConfigType t) {
  switch (t) {
    case ConfigType::String: return "string";
    case ConfigType::Integer: return "integer";
    case ConfigType::Boolean: return "boolean";
    case ConfigType::Strings: return "array of strings";
    case ConfigType::Mode: return "octal mode";
  }
  return "?";
}

bool config_section_exists(std::string_view section) {
  for (const auto& k : kKeys)
    if (k.section == section || under(k.section, section)) return true;
  return false;
}

std::vector<std::string> config_names_in(std::string_view section) {
  std::vector<std::string> names;
  auto add = [&](std::string n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
  };
  for (const auto& k : kKeys) {
    if (k.section == section) {
      add(std::string(k.key));
    } else if (section.empty() || under(k.section, section)) {
      std::string_view rest = section.empty() ? k.section : k.section.substr(section.size() + 1);
      if (!rest.empty()) add(std::string(rest.substr(0, rest.find('.'))));
    }
  }
  return names;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string unknown_key_hint(std::string_view section, std::string_view key) {
  std::vector<std::string> names = config_names_in(section);
  // The closest name, if close enough: a third of the shorter name (at least 1)
  // of edits, or one name containing the other ("timeout" for "timeout_s").
  const std::string* best = nullptr;
  size_t best_d = 0;
  for (const auto& n : names) {
    size_t d = edit_distance(key, n);
    size_t limit = std::max<size_t>(1, std::min(key.size(), n.size()) / 3);
    bool close = d <= limit || (key.size() >= 4 && n.find(key) != std::string::npos);
    if (close && (!best || d < best_d)) best = &n, best_d = d;
  }
  if (best) return "did you mean '" + *best + "'?";
  // The same key in another table: placed under the wrong [table] header.
  for (const auto& k : kKeys)
    if (k.key == key && k.section != section)
      return k.section.empty()
                 ? "'" + std::string(key) + "' is a top-level key: put it above the first [table]"
                 : "'" + std::string(key) + "' belongs in " +
                       (k.section == "signing.keys" ? "[[signing.keys]]"
                                                    : "[" + std::string(k.section) + "]");
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return "valid: " + list;
}

}  // namespace alignd
