// The daemon's configuration: TOML (INTERFACE.md), every key with a default.
// load_config() reads and validates; unknown keys and wrong types are errors
// naming file:line:column. Policy files, keys and zone data are loaded by the
// Runtime (runtime.h), not here.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace alignd {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SigningKeyConfig {
  std::string domain;
  std::string selector;
  std::string key_file;
  bool include_subdomains = false;  // also sign mail From: sub.domain
  std::string not_before;           // "YYYY-MM-DD" or RFC 3339; "" = always
  std::string not_after;            // "" = never expires
};

struct Config {
  std::string source;  // file it came from, "" = embedded defaults

  std::string authserv_id;  // default: the host name
  std::vector<std::string> trusted_networks{"127.0.0.0/8", "::1/128"};
  // Stamp Authentication-Results on outbound mail too (it names this host and,
  // for SASL clients, the user). Forged fields are removed either way.
  bool outbound_auth_results = true;

  struct Milter {
    std::string socket = "unix:/run/alignd/milter.sock";
    std::string socket_owner;          // "" = keep
    std::string socket_group;          // "" = the "postfix" group if it exists
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
  } dns;

  struct Spf {
    bool check_helo = true;
    bool skip_outbound = true;  // skip trusted networks / authenticated clients
    bool received_spf = true;   // add a Received-SPF header
  } spf;

  struct Dkim {
    int max_signatures = 5;
    bool verify_outbound = false;
  } dkim;

  struct Signing {
    std::vector<SigningKeyConfig> keys;
    bool allow_loose_key_mode = false;  // accept key files readable by group/others
    std::string canonicalization = "relaxed/relaxed";
    int expire_s = 0;                   // x= = t= + expire_s; 0 = no x=
  } signing;

  struct Dmarc {
    std::string discovery = "tree-walk";  // "tree-walk" (RFC 9989) | "psl" (RFC 7489)
    std::string psl_file = "/usr/share/publicsuffix/public_suffix_list.dat";
    // RFC 9989 §11.5: author domains of a multi-address From evaluated; past it the
    // evaluation is incomplete and from_problem = "too-many-authors".
    int max_author_domains = 5;
  } dmarc;

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
    std::string org_name;                              // default: authserv_id
    std::string email;                                 // report From:; default dmarc-reports@authserv_id
    std::string send_command = "/usr/sbin/sendmail -t -oi";
    std::string format = "rfc9990";                    // "rfc9990" | "rfc7489"
    std::string extra_contact_info;
    bool verify_external_destinations = true;
  } reporting;

  struct Log {
    int verbosity = 0;        // -v raises it
    bool syslog = false;      // also log to syslog
  } log;
};

// Reads FILE (TOML). Throws ConfigError with "file:line:column: message".
Config load_config(const std::string& path);
// Parses TOML text; `source` names it in errors.
Config parse_config(std::string_view text, const std::string& source);
// The defaults with no file (authserv_id filled from the host name).
Config default_config();

}  // namespace alignd
