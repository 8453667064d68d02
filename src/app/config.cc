// Loads alignd.toml into Config. Every key has a default; an unknown key or a
// wrong type is a ConfigError naming file:line:column. Policy files, keys and
// zone data are only named here; runtime.cc loads them.
#include "app/config.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "app/http_listen.h"
#include "core/cidr.h"

namespace alignd {
namespace {

std::string where(const std::string& source, const toml::source_region& r) {
  std::ostringstream o;
  o << (source.empty() ? "<config>" : source) << ":" << r.begin.line << ":" << r.begin.column;
  return o.str();
}

// Reads one table, checking types and rejecting keys nobody asked for.
class TableReader {
 public:
  TableReader(const toml::table& t, std::string source, std::string prefix)
      : t_(t), source_(std::move(source)), prefix_(std::move(prefix)) {}

  void str(const char* key, std::string& out) {
    if (auto* n = get(key)) {
      if (!n->is_string()) type_error(*n, key, "a string");
      out = n->as_string()->get();
    }
  }
  void integer(const char* key, int& out, long lo, long hi) {
    if (auto* n = get(key)) {
      if (!n->is_integer()) type_error(*n, key, "an integer");
      long v = static_cast<long>(n->as_integer()->get());
      if (v < lo || v > hi)
        fail(*n, "'" + prefix_ + key + "' must be between " + std::to_string(lo) + " and " +
                     std::to_string(hi));
      out = static_cast<int>(v);
    }
  }
  void boolean(const char* key, bool& out) {
    if (auto* n = get(key)) {
      if (!n->is_boolean()) type_error(*n, key, "true or false");
      out = n->as_boolean()->get();
    }
  }
  void strings(const char* key, std::vector<std::string>& out) {
    if (auto* n = get(key)) {
      auto* arr = n->as_array();
      if (!arr) type_error(*n, key, "an array of strings");
      out.clear();
      for (auto& e : *arr) {
        if (!e.is_string()) type_error(e, key, "an array of strings");
        out.push_back(e.as_string()->get());
      }
    }
  }
  void one_of(const char* key, std::string& out, std::initializer_list<const char*> choices) {
    str(key, out);
    for (auto* c : choices)
      if (out == c) return;
    std::string list;
    for (auto* c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
    fail(*get(key), "'" + prefix_ + key + "' must be one of: " + list);
  }
  const toml::table* table(const char* key) {
    if (auto* n = get(key)) {
      if (!n->is_table()) type_error(*n, key, "a table");
      return n->as_table();
    }
    return nullptr;
  }
  const toml::array* array_of_tables(const char* key) {
    if (auto* n = get(key)) {
      if (!n->is_array_of_tables()) type_error(*n, key, "an array of tables ([[...]])");
      return n->as_array();
    }
    return nullptr;
  }
  // Call last: every key present must have been asked for.
  void finish() {
    for (auto& [k, v] : t_)
      if (!seen_.count(std::string(k.str())))
        throw ConfigError(where(source_, k.source()) + ": unknown key '" + prefix_ +
                          std::string(k.str()) + "'");
  }
  [[noreturn]] void fail(const toml::node& n, const std::string& msg) {
    throw ConfigError(where(source_, n.source()) + ": " + msg);
  }

 private:
  const toml::node* get(const char* key) {
    seen_.insert(key);
    return t_.get(key);
  }
  [[noreturn]] void type_error(const toml::node& n, const char* key, const char* want) {
    fail(n, "'" + prefix_ + key + "' must be " + want);
  }
  const toml::table& t_;
  std::string source_, prefix_;
  std::set<std::string> seen_;
};

std::string host_name() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "localhost";
  return buf;
}

void fill_derived(Config& c) {
  if (c.authserv_id.empty()) c.authserv_id = host_name();
  if (c.reporting.org_name.empty()) c.reporting.org_name = c.authserv_id;
  if (c.reporting.email.empty()) c.reporting.email = "dmarc-reports@" + c.authserv_id;
}

}  // namespace

Config default_config() {
  Config c;
  fill_derived(c);
  return c;
}

Config parse_config(std::string_view text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw ConfigError(where(source, e.source()) + ": " + std::string(e.description()));
  }
  Config c;
  c.source = source;
  TableReader r(root, source, "");
  r.str("authserv_id", c.authserv_id);
  r.strings("trusted_networks", c.trusted_networks);
  r.boolean("outbound_auth_results", c.outbound_auth_results);
  if (auto* arr = root.get_as<toml::array>("trusted_networks")) {
    for (auto& e : *arr)
      if (e.is_string() && !parse_cidr(e.as_string()->get()))
        r.fail(e, "trusted_networks: '" + e.as_string()->get() +
                      "' is not an IP network (e.g. \"192.0.2.0/24\", \"2001:db8::/32\")");
  }
  if (auto* t = r.table("milter")) {
    TableReader m(*t, source, "milter.");
    m.str("socket", c.milter.socket);
    m.str("socket_owner", c.milter.socket_owner);
    m.str("socket_group", c.milter.socket_group);
    m.str("socket_mode", c.milter.socket_mode);
    if (auto* n = t->get("socket_mode");
        n && (c.milter.socket_mode.empty() || c.milter.socket_mode.size() > 4 ||
              c.milter.socket_mode.find_first_not_of("01234567") != std::string::npos))
      m.fail(*n, "'milter.socket_mode' must be an octal mode in quotes, e.g. \"0660\"");
    if (auto* n = t->get("socket")) {
      const std::string& sk = c.milter.socket;
      if (!(sk.rfind("unix:", 0) == 0 || sk.rfind("local:", 0) == 0 ||
            sk.rfind("inet:", 0) == 0 || sk.rfind("inet6:", 0) == 0))
        m.fail(*n, "'milter.socket' must start with unix:, inet: or inet6: (e.g. "
                   "\"unix:/run/alignd/milter.sock\", \"inet:8891@127.0.0.1\")");
    }
    m.str("user", c.milter.user);
    m.integer("timeout_s", c.milter.timeout_s, 1, 3600);
    m.finish();
  }
  if (auto* t = r.table("dns")) {
    TableReader d(*t, source, "dns.");
    d.strings("servers", c.dns.servers);
    d.str("zone_file", c.dns.zone_file);
    d.integer("timeout_ms", c.dns.timeout_ms, 10, 60000);
    d.boolean("dnssec", c.dns.dnssec);
    d.integer("max_queries_per_message", c.dns.max_queries_per_message, 10, 1000);
    d.integer("cache_entries", c.dns.cache_entries, 0, 10000000);
    d.integer("message_deadline_ms", c.dns.message_deadline_ms, 100, 600000);
    d.finish();
  }
  if (auto* t = r.table("spf")) {
    TableReader s(*t, source, "spf.");
    s.boolean("check_helo", c.spf.check_helo);
    s.boolean("skip_outbound", c.spf.skip_outbound);
    s.boolean("received_spf", c.spf.received_spf);
    s.finish();
  }
  if (auto* t = r.table("dkim")) {
    TableReader d(*t, source, "dkim.");
    d.integer("max_signatures", c.dkim.max_signatures, 1, 50);
    d.boolean("verify_outbound", c.dkim.verify_outbound);
    d.one_of("partial_body", c.dkim.partial_body, {"policy", "pass"});
    d.finish();
  }
  if (auto* t = r.table("headers")) {
    TableReader h(*t, source, "headers.");
    h.integer("max_fields", c.headers.max_fields, 10, 1000000);
    h.integer("max_bytes", c.headers.max_bytes, 4096, 64 * 1048576);
    h.finish();
  }
  if (auto* t = r.table("signing")) {
    TableReader s(*t, source, "signing.");
    s.boolean("allow_loose_key_mode", c.signing.allow_loose_key_mode);
    s.one_of("canonicalization", c.signing.canonicalization,
             {"relaxed/relaxed", "relaxed/simple", "simple/relaxed", "simple/simple"});
    s.integer("expire_s", c.signing.expire_s, 0, 365 * 86400);
    s.str("sender_login_map", c.signing.sender_login_map);
    s.strings("sender_login_local_domains", c.signing.sender_login_local_domains);
    s.str("sender_login_delimiter", c.signing.sender_login_delimiter);
    if (auto* keys = s.array_of_tables("keys")) {
      for (auto& k : *keys) {
        SigningKeyConfig kc;
        TableReader kr(*k.as_table(), source, "signing.keys.");
        kr.str("domain", kc.domain);
        kr.str("selector", kc.selector);
        kr.str("key_file", kc.key_file);
        kr.boolean("include_subdomains", kc.include_subdomains);
        kr.str("not_before", kc.not_before);
        kr.str("not_after", kc.not_after);
        kr.finish();
        if (kc.domain.empty() || kc.selector.empty() || kc.key_file.empty())
          kr.fail(k, "a signing key needs domain, selector and key_file");
        c.signing.keys.push_back(kc);
      }
    }
    s.finish();
  }
  if (auto* t = r.table("dmarc")) {
    TableReader d(*t, source, "dmarc.");
    d.one_of("discovery", c.dmarc.discovery, {"tree-walk", "psl"});
    d.str("psl_file", c.dmarc.psl_file);
    d.integer("max_author_domains", c.dmarc.max_author_domains, 1, 20);
    d.finish();
  }
  if (auto* t = r.table("arc")) {
    TableReader a(*t, source, "arc.");
    a.strings("trusted_sealers", c.arc.trusted_sealers);
    a.boolean("seal", c.arc.seal);
    a.str("seal_domain", c.arc.seal_domain);
    a.boolean("verify", c.arc.verify);
    a.finish();
  }
  if (auto* t = r.table("policy")) {
    TableReader p(*t, source, "policy.");
    p.strings("files", c.policy.files);
    p.finish();
  }
  if (auto* t = r.table("store")) {
    TableReader s(*t, source, "store.");
    s.str("url", c.store.url);
    if (auto* n = t->get("url")) {
      const std::string& u = c.store.url;
      if (!(u.empty() || u == "none" || u.rfind("sqlite:", 0) == 0 ||
            u.rfind("postgresql://", 0) == 0 || u.rfind("postgres://", 0) == 0))
        s.fail(*n, "'store.url' must be sqlite:///PATH, postgresql://... or \"none\"");
    }
    s.integer("retention_days", c.store.retention_days, 1, 3650);
    s.integer("queue_capacity", c.store.queue_capacity, 1, 10000000);
    s.integer("batch_size", c.store.batch_size, 1, 100000);
    s.integer("flush_interval_ms", c.store.flush_interval_ms, 10, 600000);
    s.boolean("record_messages", c.store.record_messages);
    s.strings("message_headers", c.store.message_headers);
    s.finish();
  }
  if (auto* t = r.table("reporting")) {
    TableReader p(*t, source, "reporting.");
    p.str("org_name", c.reporting.org_name);
    p.str("email", c.reporting.email);
    p.str("send_command", c.reporting.send_command);
    p.one_of("format", c.reporting.format, {"rfc9990", "rfc7489"});
    p.str("extra_contact_info", c.reporting.extra_contact_info);
    p.boolean("verify_external_destinations", c.reporting.verify_external_destinations);
    p.integer("max_destinations", c.reporting.max_destinations, 1, 100);
    p.finish();
  }
  if (auto* t = r.table("http")) {
    TableReader h(*t, source, "http.");
    h.str("listen", c.http.listen);
    h.str("user", c.http.user);
    h.str("password_file", c.http.password_file);
    h.integer("recent", c.http.recent, 0, 1000);
    h.integer("days", c.http.days, 1, 366);
    if (auto* n = t->get("listen"); n && !c.http.listen.empty()) {
      auto ep = parse_http_listen(c.http.listen);
      if (!ep)
        h.fail(*n, "'http.listen' must be HOST:PORT, e.g. \"127.0.0.1:8891\" or \"[::1]:8891\"");
      else if (!ep->loopback && (c.http.user.empty() || c.http.password_file.empty()))
        h.fail(*n, "'http.listen' is not a loopback address: set http.user and http.password_file");
    }
    h.finish();
  }
  if (auto* t = r.table("log")) {
    TableReader l(*t, source, "log.");
    l.integer("verbosity", c.log.verbosity, 0, 3);
    l.boolean("syslog", c.log.syslog);
    l.finish();
  }
  r.finish();
  fill_derived(c);
  return c;
}

Config load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError(path + ": cannot read the configuration file: " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_config(ss.str(), path);
}

}  // namespace alignd
