// Loads alignd.toml into Config. Every key has a default and is in the key table
// (config_keys.h); every unknown key, wrong type or bad value is collected as
// "file:line:column: message", unknown keys with a "did you mean" hint. Policy
// files, keys and zone data are only named here; runtime_loader.cc loads them.
#include "app/config.h"

#include <unistd.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "app/config_checks.h"
#include "app/config_keys.h"
#include "app/http_listen.h"
#include "core/cidr.h"

namespace alignd {
namespace {

std::string where(const std::string& source, const toml::source_region& r) {
  std::ostringstream o;
  o << (source.empty() ? "<config>" : source) << ":" << r.begin.line << ":" << r.begin.column;
  return o.str();
}

std::string join_lines(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& e : v) s += (s.empty() ? "" : "\n") + e;
  return s;
}

// Where a table's errors and value positions go.
struct Sink {
  const std::string& source;
  std::vector<std::string>& errors;
  std::map<std::string, std::string>& positions;
};

// Reads one table: checks types, records where each value is, and (finish())
// reports keys nobody asked for. Asks only for keys of the key table: anything
// else is a programming error (std::logic_error), caught by the tests.
class TableReader {
 public:
  // `section` as in the key table ("", "milter", "signing.keys"); `pos` prefixes
  // the recorded positions ("signing.keys[0]." for the first key entry).
  TableReader(const toml::table& t, Sink& sink, std::string section, std::string pos)
      : t_(t),
        sink_(sink),
        section_(std::move(section)),
        pos_(std::move(pos)),
        prefix_(section_.empty() ? "" : section_ + ".") {}

  bool str(const char* key, std::string& out) {
    auto* n = get(key, ConfigType::String);
    if (!n) return false;
    if (!n->is_string()) return type_error(*n, key, "a string (in quotes)");
    out = n->as_string()->get();
    return true;
  }
  bool integer(const char* key, int& out, long lo, long hi) {
    auto* n = get(key, ConfigType::Integer);
    if (!n) return false;
    if (!n->is_integer()) return type_error(*n, key, "an integer");
    long v = static_cast<long>(n->as_integer()->get());
    if (v < lo || v > hi)
      return fail(*n, "'" + name(key) + "' must be between " + std::to_string(lo) + " and " +
                          std::to_string(hi));
    out = static_cast<int>(v);
    return true;
  }
  bool boolean(const char* key, bool& out) {
    auto* n = get(key, ConfigType::Boolean);
    if (!n) return false;
    if (!n->is_boolean()) return type_error(*n, key, "true or false");
    out = n->as_boolean()->get();
    return true;
  }
  bool strings(const char* key, std::vector<std::string>& out) {
    auto* n = get(key, ConfigType::Strings);
    if (!n) return false;
    auto* arr = n->as_array();
    if (!arr) return type_error(*n, key, "an array of strings");
    std::vector<std::string> v;
    for (auto& e : *arr) {
      if (!e.is_string()) return type_error(e, key, "an array of strings");
      sink_.positions[pos_ + key + "[" + std::to_string(v.size()) + "]"] =
          where(sink_.source, e.source());
      v.push_back(e.as_string()->get());
    }
    out = std::move(v);
    return true;
  }
  // A file mode: "0660" (a string of octal digits) or 0o660 (a TOML octal integer).
  bool mode(const char* key, std::string& out) {
    auto* n = get(key, ConfigType::Mode);
    if (!n) return false;
    const std::string want =
        "'" + name(key) + "' must be an octal mode in quotes, e.g. \"0660\", or 0o660";
    if (auto* i = n->as_integer()) {
      long v = static_cast<long>(i->get());
      if (!(i->flags() & toml::value_flags::format_as_octal))
        return fail(*n, "'" + name(key) + "' = " + std::to_string(v) +
                            " is a decimal number: write the octal mode quoted (\"0" +
                            std::to_string(v) + "\") or as 0o" + std::to_string(v));
      if (v < 0 || v > 07777) return fail(*n, want);
      char buf[8];
      std::snprintf(buf, sizeof buf, "%04lo", v);
      out = buf;
      return true;
    }
    if (!n->is_string()) return fail(*n, want);
    const std::string& m = n->as_string()->get();
    if (m.empty() || m.size() > 4 || m.find_first_not_of("01234567") != std::string::npos)
      return fail(*n, want);
    out = m;
    return true;
  }
  bool one_of(const char* key, std::string& out, std::initializer_list<const char*> choices) {
    std::string v = out;
    if (!str(key, v)) return false;
    for (auto* c : choices)
      if (v == c) return (out = v), true;
    std::string list;
    for (auto* c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
    return fail(*t_.get(key), "'" + name(key) + "' must be one of: " + list);
  }
  const toml::table* table(const char* key) {
    if (!config_section_exists(prefix_ + key))
      throw std::logic_error("config reader: no [" + prefix_ + key + "] in the key table");
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return nullptr;
    if (!n->is_table()) return type_error(*n, key, "a table ([" + name(key) + "])"), nullptr;
    sink_.positions[pos_ + key] = where(sink_.source, n->source());
    return n->as_table();
  }
  const toml::array* array_of_tables(const char* key) {
    if (!config_section_exists(prefix_ + key))
      throw std::logic_error("config reader: no [[" + prefix_ + key + "]] in the key table");
    seen_.insert(key);
    auto* n = t_.get(key);
    if (!n) return nullptr;
    if (!n->is_array_of_tables())
      return type_error(*n, key, "an array of tables ([[" + name(key) + "]])"), nullptr;
    sink_.positions[pos_ + key] = where(sink_.source, n->source());
    return n->as_array();
  }
  // Call last: every key present must have been asked for.
  void finish() {
    for (auto& [k, v] : t_)
      if (!seen_.count(std::string(k.str())))
        sink_.errors.push_back(where(sink_.source, k.source()) + ": unknown key '" + prefix_ +
                               std::string(k.str()) + "'; " + unknown_key_hint(section_, k.str()));
  }
  bool fail(const toml::node& n, const std::string& msg) {
    sink_.errors.push_back(where(sink_.source, n.source()) + ": " + msg);
    return false;
  }
  std::string name(const char* key) const { return prefix_ + key; }
  const toml::node* node(const char* key) const { return t_.get(key); }

 private:
  const toml::node* get(const char* key, ConfigType want) {
    const ConfigKey* k = find_config_key(section_, key);
    if (!k || k->type != want)
      throw std::logic_error("config reader: '" + name(key) + "' is not in the key table as " +
                             std::string(config_type_name(want)) + " (app/config_keys.cc)");
    seen_.insert(key);
    const toml::node* n = t_.get(key);
    if (n) sink_.positions[pos_ + key] = where(sink_.source, n->source());
    return n;
  }
  bool type_error(const toml::node& n, const char* key, const std::string& want) {
    return fail(n, "'" + name(key) + "' must be " + want);
  }
  const toml::table& t_;
  Sink& sink_;
  std::string section_, pos_, prefix_;
  std::set<std::string> seen_;
};

// toml++'s syntax error as "SOURCE:LINE:COLUMN: message", with a hint for what new
// admins write: socket_mode = 0660 (TOML 1.0 §Integer: no leading zeros), placed
// at the number rather than where toml++ gave up on it.
std::string parse_error_text(const toml::parse_error& e, std::string_view text,
                             const std::string& source) {
  std::string d(e.description());
  toml::source_region at = e.source();
  if (d.find("leading zero") != std::string::npos) {
    std::string_view line = text;
    for (unsigned l = 1; l < at.begin.line && !line.empty(); ++l) {
      auto nl = line.find('\n');
      line = nl == std::string_view::npos ? std::string_view{} : line.substr(nl + 1);
    }
    line = line.substr(0, line.find('\n'));
    size_t col = std::min<size_t>(at.begin.column, line.size() + 1);  // 1-based
    while (col > 1 && std::isdigit(static_cast<unsigned char>(line[col - 2]))) --col;
    at.begin.column = static_cast<toml::source_index>(col);
    if (line.find("mode") != std::string_view::npos)
      d += "; write a file mode quoted (socket_mode = \"0660\") or as a TOML octal number "
           "(socket_mode = 0o660)";
    else
      d += "; an octal number is written 0o660, a string with leading zeros in quotes";
  }
  return where(source, at) + ": " + d;
}

void read_milter(TableReader& m, Config& c) {
  m.str("socket", c.milter.socket);
  if (auto* n = m.node("socket"); n && n->is_string())
    if (std::string why = milter_socket_problem(c.milter.socket); !why.empty()) {
      m.fail(*n, "'milter.socket' " + why);
      c.milter.socket = Config{}.milter.socket;
    }
  m.str("socket_owner", c.milter.socket_owner);
  m.str("socket_group", c.milter.socket_group);
  m.mode("socket_mode", c.milter.socket_mode);
  m.str("user", c.milter.user);
  m.integer("timeout_s", c.milter.timeout_s, 1, 3600);
}

void read_dns(TableReader& d, Config& c) {
  if (d.strings("servers", c.dns.servers)) {
    auto* arr = d.node("servers")->as_array();
    std::vector<std::string> good;  // reported once here, not again by the resolver
    for (size_t i = 0; i < c.dns.servers.size(); ++i)
      if (std::string why = dns_server_problem(c.dns.servers[i]); !why.empty())
        d.fail(*arr->get(i), "'dns.servers': " + why);
      else
        good.push_back(c.dns.servers[i]);
    c.dns.servers = std::move(good);
  }
  d.str("zone_file", c.dns.zone_file);
  d.integer("timeout_ms", c.dns.timeout_ms, 10, 60000);
  d.boolean("dnssec", c.dns.dnssec);
  d.integer("max_queries_per_message", c.dns.max_queries_per_message, 10, 1000);
  d.integer("cache_entries", c.dns.cache_entries, 0, 10000000);
  d.integer("message_deadline_ms", c.dns.message_deadline_ms, 100, 600000);
}

void read_signing(TableReader& s, Sink& sink, Config& c) {
  s.boolean("allow_loose_key_mode", c.signing.allow_loose_key_mode);
  s.one_of("canonicalization", c.signing.canonicalization,
           {"relaxed/relaxed", "relaxed/simple", "simple/relaxed", "simple/simple"});
  s.integer("expire_s", c.signing.expire_s, 0, 365 * 86400);
  s.str("sender_login_map", c.signing.sender_login_map);
  s.strings("sender_login_local_domains", c.signing.sender_login_local_domains);
  s.str("sender_login_delimiter", c.signing.sender_login_delimiter);
  auto* keys = s.array_of_tables("keys");
  if (!keys) return;
  size_t i = 0;
  for (auto& k : *keys) {
    std::string pos = "signing.keys[" + std::to_string(i++) + "]";
    sink.positions[pos] = where(sink.source, k.source());
    SigningKeyConfig kc;
    kc.position = pos;
    TableReader kr(*k.as_table(), sink, "signing.keys", pos + ".");
    kr.str("domain", kc.domain);
    kr.str("selector", kc.selector);
    kr.str("key_file", kc.key_file);
    kr.boolean("include_subdomains", kc.include_subdomains);
    kr.str("not_before", kc.not_before);
    kr.str("not_after", kc.not_after);
    kr.finish();
    std::string missing;
    for (auto [name, v] : {std::pair{"domain", &kc.domain}, std::pair{"selector", &kc.selector},
                           std::pair{"key_file", &kc.key_file}})
      if (v->empty()) missing += (missing.empty() ? "" : ", ") + std::string(name);
    if (!missing.empty())
      kr.fail(k, "a signing key needs domain, selector and key_file (missing: " + missing + ")");
    else
      c.signing.keys.push_back(kc);  // positions stay indexed as in the file
  }
}

void read_store(TableReader& s, Config& c) {
  if (s.str("url", c.store.url)) {
    const std::string& u = c.store.url;
    if (!(u.empty() || u == "none" || u.rfind("sqlite:", 0) == 0 ||
          u.rfind("postgresql://", 0) == 0 || u.rfind("postgres://", 0) == 0)) {
      s.fail(*s.node("url"), "'store.url' must be sqlite:///PATH, postgresql://... or \"none\"");
      c.store.url = Config{}.store.url;
    } else if (u.rfind("postgres", 0) == 0) {
      if (std::string why = postgres_url_problem(u); !why.empty()) {
        s.fail(*s.node("url"), "'store.url': " + why);
        c.store.url = Config{}.store.url;
      }
    }
  }
  s.integer("retention_days", c.store.retention_days, 1, 3650);
  s.integer("queue_capacity", c.store.queue_capacity, 1, 10000000);
  s.integer("batch_size", c.store.batch_size, 1, 100000);
  s.integer("flush_interval_ms", c.store.flush_interval_ms, 10, 600000);
  s.boolean("record_messages", c.store.record_messages);
  s.strings("message_headers", c.store.message_headers);
}

void read_http(TableReader& h, Config& c) {
  h.str("listen", c.http.listen);
  h.str("user", c.http.user);
  h.str("password_file", c.http.password_file);
  h.integer("recent", c.http.recent, 0, 1000);
  h.integer("days", c.http.days, 1, 366);
  if (auto* n = h.node("listen"); n && n->is_string() && !c.http.listen.empty()) {
    auto ep = parse_http_listen(c.http.listen);
    bool ok = false;
    if (!ep)
      h.fail(*n,
             "'http.listen' must be HOST:PORT with a port 1..65535, e.g. \"127.0.0.1:8891\" "
             "or \"[::1]:8891\"");
    else if (!ep->loopback && (c.http.user.empty() || c.http.password_file.empty()))
      h.fail(*n, "'http.listen' is not a loopback address: set http.user and http.password_file");
    else
      ok = true;
    if (!ok) c.http.listen.clear();
  }
}

void read_all(const toml::table& root, Sink& sink, Config& c) {
  TableReader r(root, sink, "", "");
  r.str("authserv_id", c.authserv_id);
  if (r.strings("trusted_networks", c.trusted_networks)) {
    auto* arr = root.get_as<toml::array>("trusted_networks");
    std::vector<std::string> good;  // reported once here, not again by the runtime
    for (size_t i = 0; i < arr->size(); ++i)
      if (!parse_cidr(c.trusted_networks[i]))
        r.fail(*arr->get(i),
               "trusted_networks: '" + c.trusted_networks[i] +
                   "' is not an IP network (e.g. \"192.0.2.0/24\", \"2001:db8::/32\")");
      else
        good.push_back(c.trusted_networks[i]);
    c.trusted_networks = std::move(good);
  }
  r.boolean("outbound_auth_results", c.outbound_auth_results);
  if (auto* t = r.table("milter")) {
    TableReader m(*t, sink, "milter", "milter.");
    read_milter(m, c);
    m.finish();
  }
  if (auto* t = r.table("dns")) {
    TableReader d(*t, sink, "dns", "dns.");
    read_dns(d, c);
    d.finish();
  }
  if (auto* t = r.table("spf")) {
    TableReader s(*t, sink, "spf", "spf.");
    s.boolean("check_helo", c.spf.check_helo);
    s.boolean("skip_outbound", c.spf.skip_outbound);
    s.boolean("received_spf", c.spf.received_spf);
    s.finish();
  }
  if (auto* t = r.table("dkim")) {
    TableReader d(*t, sink, "dkim", "dkim.");
    d.integer("max_signatures", c.dkim.max_signatures, 1, 50);
    d.boolean("verify_outbound", c.dkim.verify_outbound);
    d.one_of("partial_body", c.dkim.partial_body, {"policy", "pass"});
    d.finish();
  }
  if (auto* t = r.table("headers")) {
    TableReader h(*t, sink, "headers", "headers.");
    h.integer("max_fields", c.headers.max_fields, 10, 1000000);
    h.integer("max_bytes", c.headers.max_bytes, 4096, 64 * 1048576);
    h.finish();
  }
  if (auto* t = r.table("signing")) {
    TableReader s(*t, sink, "signing", "signing.");
    read_signing(s, sink, c);
    s.finish();
  }
  if (auto* t = r.table("dmarc")) {
    TableReader d(*t, sink, "dmarc", "dmarc.");
    d.one_of("discovery", c.dmarc.discovery, {"tree-walk", "psl"});
    d.str("psl_file", c.dmarc.psl_file);
    d.integer("max_author_domains", c.dmarc.max_author_domains, 1, 20);
    d.finish();
  }
  if (auto* t = r.table("arc")) {
    TableReader a(*t, sink, "arc", "arc.");
    a.strings("trusted_sealers", c.arc.trusted_sealers);
    a.boolean("seal", c.arc.seal);
    a.str("seal_domain", c.arc.seal_domain);
    a.boolean("verify", c.arc.verify);
    a.finish();
  }
  if (auto* t = r.table("policy")) {
    TableReader p(*t, sink, "policy", "policy.");
    p.strings("files", c.policy.files);
    p.finish();
  }
  if (auto* t = r.table("store")) {
    TableReader s(*t, sink, "store", "store.");
    read_store(s, c);
    s.finish();
  }
  if (auto* t = r.table("reporting")) {
    TableReader p(*t, sink, "reporting", "reporting.");
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
    TableReader h(*t, sink, "http", "http.");
    read_http(h, c);
    h.finish();
  }
  if (auto* t = r.table("log")) {
    TableReader l(*t, sink, "log", "log.");
    l.integer("verbosity", c.log.verbosity, 0, 3);
    l.boolean("syslog", c.log.syslog);
    l.finish();
  }
  r.finish();
}

}  // namespace

ConfigError::ConfigError(const std::string& one) : ConfigError(std::vector<std::string>{one}) {}
ConfigError::ConfigError(std::vector<std::string> all)
    : std::runtime_error(join_lines(all)), errors(std::move(all)) {}

std::string Config::where(const std::string& key) const {
  for (std::string k = key; !k.empty();) {
    if (auto it = positions.find(k); it != positions.end()) return it->second;
    auto cut = k.find_last_of(".[");
    k = cut == std::string::npos ? "" : k.substr(0, cut);
  }
  return source;
}

std::string Config::error_at(const std::string& key, const std::string& message) const {
  std::string w = where(key);
  return w.empty() ? message : w + ": " + message;
}

std::string host_name() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "localhost";
  return buf;
}

void fill_derived(Config& c, const std::string& host) {
  if (c.authserv_id.empty()) c.authserv_id = host;
  if (c.reporting.org_name.empty()) c.reporting.org_name = c.authserv_id;
  if (c.reporting.email.empty()) c.reporting.email = "dmarc-reports@" + c.authserv_id;
}

std::vector<std::string> config_warnings(const Config& c) {
  std::vector<std::string> w;
  // Reports go out From: reporting.email, and receivers check DMARC on them like
  // on any mail: a domain without a dot (a bare host name) has no record to pass.
  std::string domain = c.reporting.email.substr(c.reporting.email.rfind('@') + 1);
  if (domain.find('.') != std::string::npos) return w;
  const std::string file = c.source.empty() ? "/etc/alignd/alignd.toml" : c.source;
  if (c.positions.count("reporting.email"))
    w.push_back(c.error_at("reporting.email",
                           "reporting.email '" + c.reporting.email +
                               "' has no domain with a dot: reports from it cannot pass DMARC"));
  else if (!c.positions.count("authserv_id"))
    w.push_back(c.error_at(
        "authserv_id",
        "authserv_id defaults to the host name '" + c.authserv_id +
            "', which has no dot: DMARC reports would go out From: " + c.reporting.email +
            ", which cannot pass DMARC; set authserv_id = \"mx.example.net\" (this host's "
            "fully qualified name) at the top of " +
            file + ", or set [reporting] email"));
  else
    w.push_back(c.error_at(
        "authserv_id", "authserv_id '" + c.authserv_id +
                           "' has no dot: DMARC reports would go out From: " + c.reporting.email +
                           ", which cannot pass DMARC; use this host's fully qualified name "
                           "(\"mx.example.net\"), or set [reporting] email"));
  return w;
}

Config default_config() {
  Config c;
  fill_derived(c, host_name());
  return c;
}

ConfigRead read_config_text(std::string_view text, const std::string& source) {
  ConfigRead out;
  out.config.source = source;
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    // toml++ stops at the first syntax error: there is no table to check further.
    out.errors.push_back(parse_error_text(e, text, source));
    fill_derived(out.config, host_name());
    return out;
  }
  out.parsed = true;
  Sink sink{source, out.errors, out.config.positions};
  read_all(root, sink, out.config);
  // In the order of the file ("SOURCE:LINE:COLUMN: ..."), as a compiler lists them.
  const size_t skip = (source.empty() ? std::string("<config>") : source).size();
  auto line_col = [&](const std::string& e) {
    unsigned line = 0, col = 0;
    if (e.size() > skip) std::sscanf(e.c_str() + skip, ":%u:%u", &line, &col);
    return std::pair{line, col};
  };
  std::stable_sort(out.errors.begin(), out.errors.end(),
                   [&](const auto& a, const auto& b) { return line_col(a) < line_col(b); });
  fill_derived(out.config, host_name());
  return out;
}

ConfigRead read_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigRead out;
    out.config.source = path;
    out.errors.push_back(path + ": cannot read the configuration file: " + std::strerror(errno));
    fill_derived(out.config, host_name());
    return out;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return read_config_text(ss.str(), path);
}

Config parse_config(std::string_view text, const std::string& source) {
  ConfigRead r = read_config_text(text, source);
  if (!r.errors.empty()) throw ConfigError(std::move(r.errors));
  return std::move(r.config);
}

Config load_config(const std::string& path) {
  ConfigRead r = read_config_file(path);
  if (!r.errors.empty()) throw ConfigError(std::move(r.errors));
  return std::move(r.config);
}

}  // namespace alignd
