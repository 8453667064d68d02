// The daemon's configuration: TOML (INTERFACE.md), every key with a default
// (the key table: config_keys.h). read_config() reads and validates, collecting
// every error as "file:line:column: message" (unknown keys with "did you mean");
// load_config() throws them. Policy files, keys and zone data are loaded by the
// Runtime (runtime.h), not here.
#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace alignd {

// One or more configuration errors; what() is them, one a line.
struct ConfigError : std::runtime_error {
  explicit ConfigError(const std::string& one);
  explicit ConfigError(std::vector<std::string> all);
  std::vector<std::string> errors;  // each "file:line:column: message" where known
};

struct SigningKeyConfig {
  std::string domain;
  std::string selector;
  std::string key_file;
  bool include_subdomains = false;  // also sign mail From: sub.domain
  std::string not_before;           // "YYYY-MM-DD" or RFC 3339; "" = always
  std::string not_after;            // "" = never expires
  std::string position;             // its key in Config::positions: "signing.keys[0]"
};

struct Config {
  std::string source;  // file it came from, "" = embedded defaults
  // "file:line:column" of each value present in the file: "milter.socket",
  // "policy.files[0]", "signing.keys[1]" (the entry), "signing.keys[1].key_file".
  std::map<std::string, std::string> positions;
  // Where `key` was set ("file:line:column"), else where the nearest enclosing
  // key or table was ("signing.keys[1]", "signing"), else the file, else "".
  std::string where(const std::string& key) const;
  // "WHERE: message" (just the message with no source), for errors found later.
  std::string error_at(const std::string& key, const std::string& message) const;

  std::string authserv_id;  // default: the host name
  std::vector<std::string> trusted_networks{"127.0.0.0/8", "::1/128"};
  // Stamp Authentication-Results on outbound mail too (it names this host and,
  // for SASL clients, the user). Forged fields are removed either way.
  bool outbound_auth_results = true;

  struct Milter {
    std::string socket = "unix:/run/alignd/milter.sock";
    std::string socket_owner;          // "" = the daemon (milter.user when root)
    std::string socket_group;          // "" = the daemon's group (milter.user's when root)
    std::string socket_mode = "0660";  // octal
    std::string user;                  // drop to this user after opening the socket ("" = stay)
    int timeout_s = 300;               // libmilter per-connection timeout
  } milter;

  struct Dns {
    std::vector<std::string> servers;  // "IP" or "IP@PORT"; empty = /etc/resolv.conf
    std::string zone_file;             // optional local data
    int timeout_ms = 3000;
    bool dnssec = false;
    int max_queries_per_message = 120;
    int cache_entries = 65536;  // answers kept in alignd's own cache (0 = none)
    // Wall-clock time one message may spend waiting for DNS, summed over its
    // queries; below Postfix's milter_command_timeout (30 s). Then temperror.
    int message_deadline_ms = 20000;
  } dns;

  struct Spf {
    bool check_helo = true;
    bool skip_outbound = true;  // skip trusted networks / authenticated clients
    bool received_spf = true;   // add a Received-SPF header
  } spf;

  struct Dkim {
    int max_signatures = 5;
    bool verify_outbound = false;
    // A signature whose l= leaves body content unsigned (RFC 6376 §8.2):
    // "policy" = dkim=policy, not used for DMARC; "pass" = RFC 6376 as written.
    std::string partial_body = "policy";
  } dkim;

  // Hostile-input caps per message (docs/security.md); beyond: 552 5.3.4 at EOM.
  struct Headers {
    int max_fields = 1000;
    int max_bytes = 1048576;  // name + ':' + value + CRLF, summed
  } headers;

  struct Signing {
    std::vector<SigningKeyConfig> keys;
    bool allow_loose_key_mode = false;  // accept key files readable by group/others
    std::string canonicalization = "relaxed/relaxed";
    int expire_s = 0;  // x= = t= + expire_s; 0 = no x=
    // Issue 10 item 10: Postfix smtpd_sender_login_maps file ("" = any login signs any
    // From domain with a key); bare "user" keys apply to local_domains only.
    std::string sender_login_map;
    std::vector<std::string> sender_login_local_domains;
    std::string sender_login_delimiter;  // Postfix recipient_delimiter, e.g. "+"
  } signing;

  struct Dmarc {
    std::string discovery = "tree-walk";  // "tree-walk" (RFC 9989) | "psl" (RFC 7489)
    std::string psl_file = "/usr/share/publicsuffix/public_suffix_list.dat";
    // RFC 9989 §11.5: author domains of a multi-address From evaluated; past it the
    // evaluation is incomplete and from_problem = "too-many-authors".
    int max_author_domains = 5;
  } dmarc;

  struct Arc {  // RFC 8617 (docs/arc.md)
    // ARC-Seal d= domains whose validated chain may rescue a DMARC failure.
    std::vector<std::string> trusted_sealers;
    bool seal = false;        // seal outbound (re-injected) mail
    std::string seal_domain;  // d= of our seals; "" = the key domain of authserv_id
    bool verify = true;       // validate ARC chains on inbound mail
  } arc;

  struct Policy {
    std::vector<std::string> files;  // globs; empty = built-in monitor policy
  } policy;

  struct Store {
    std::string url = "sqlite:///var/lib/alignd/alignd.db";  // "" or "none" disables
    int retention_days = 30;
    int queue_capacity = 10000;
    int batch_size = 200;
    int flush_interval_ms = 1000;
    // `alignd simulate`: keep every decided message (one `messages` row each,
    // docs/simulate.md) with these header fields, the ones rules commonly read.
    bool record_messages = true;
    std::vector<std::string> message_headers{
        "List-Id",        "List-Post", "List-Unsubscribe", "Precedence",    "Sender",
        "Auto-Submitted", "X-Mailer",  "Reply-To",         "X-Original-To", "Delivered-To"};
  } store;

  struct Reporting {
    std::string org_name;  // default: authserv_id
    std::string email;     // report From:; default dmarc-reports@authserv_id
    std::string send_command = "/usr/sbin/sendmail -t -oi";
    std::string format = "rfc9990";  // "rfc9990" | "rfc7489"
    std::string extra_contact_info;
    bool verify_external_destinations = true;
    int max_destinations = 5;  // rua= mailboxes per record (and per RFC 9990 §4 override)
  } reporting;

  struct Http {          // /metrics and the status page (app/http_server.h, docs/operations.md)
    std::string listen;  // "HOST:PORT", e.g. "127.0.0.1:8891"; "" = off
    std::string user;    // HTTP basic auth; required off loopback
    std::string password_file;  // its password: the file's first line
    int recent = 50;            // latest evaluations shown
    int days = 14;              // days of pass-rate history
  } http;

  struct Log {
    int verbosity = 0;    // -v raises it
    bool syslog = false;  // also log to syslog
  } log;
};

// A configuration and every error found in it ("file:line:column: message");
// `config` holds the defaults where a value was wrong.
struct ConfigRead {
  Config config;
  std::vector<std::string> errors;
  bool parsed = false;  // the file was read and is TOML: its values were checked
};

// Parses TOML text; `source` names it in errors.
ConfigRead read_config_text(std::string_view text, const std::string& source);
ConfigRead read_config_file(const std::string& path);

// The same, throwing ConfigError with all the errors.
Config load_config(const std::string& path);
Config parse_config(std::string_view text, const std::string& source);
// The defaults with no file (authserv_id filled from the host name).
Config default_config();
// Fills what defaults to other values: authserv_id from `host` when unset,
// reporting.org_name and reporting.email from authserv_id.
void fill_derived(Config& c, const std::string& host);
std::string host_name();

// Warnings that are no errors (`config check` prints them, `serve` logs them):
// an authserv_id without a dot, so reports would go out From: dmarc-reports@vm,
// which cannot pass DMARC.
std::vector<std::string> config_warnings(const Config& c);

}  // namespace alignd
