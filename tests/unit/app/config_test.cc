// Tests for app/config.h: defaults, and errors that name file:line:column.
#include <catch2/catch.hpp>

#include "app/config.h"

using namespace alignd;

TEST_CASE("embedded defaults need no file") {
  Config c = default_config();
  CHECK(c.milter.socket == "unix:/run/alignd/milter.sock");
  CHECK(c.dns.timeout_ms == 3000);
  CHECK(!c.authserv_id.empty());
  CHECK(c.store.url == "sqlite:///var/lib/alignd/alignd.db");
  CHECK(c.dmarc.max_author_domains == 5);  // RFC 9989 §11.5 limit
  CHECK(parse_config("[dmarc]\nmax_author_domains = 3\n", "t.toml").dmarc.max_author_domains == 3);
}

TEST_CASE("parses the INTERFACE.md example") {
  Config c = parse_config(R"(
authserv_id = "mx.example.net"
trusted_networks = ["127.0.0.0/8", "::1/128", "192.0.2.0/24"]
[milter]
socket = "inet:8891@127.0.0.1"
[dns]
servers = ["127.0.0.1@5353"]
timeout_ms = 500
[[signing.keys]]
domain = "example.com"
selector = "s2026r"
key_file = "/etc/alignd/keys/example.com.s2026r.key"
[[signing.keys]]
domain = "example.com"
selector = "s2026e"
key_file = "/etc/alignd/keys/example.com.s2026e.key"
[policy]
files = ["/etc/alignd/policies/*.toml"]
[store]
url = "postgresql://alignd@db/alignd"
[reporting]
org_name = "Example Net"
email = "dmarc-reports@example.net"
)",
                          "t.toml");
  CHECK(c.authserv_id == "mx.example.net");
  CHECK(c.trusted_networks.size() == 3);
  CHECK(c.dns.servers == std::vector<std::string>{"127.0.0.1@5353"});
  REQUIRE(c.signing.keys.size() == 2);
  CHECK(c.signing.keys[1].selector == "s2026e");
  CHECK(c.reporting.org_name == "Example Net");
}

TEST_CASE("errors name file:line:column") {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"authserv_idd = \"x\"\n", "t.toml:1:1: unknown key 'authserv_idd'"},
      {"\n[dns]\ntimeout_ms = \"fast\"\n", "t.toml:3:14: 'dns.timeout_ms' must be an integer"},
      {"[dns]\ntimeout_ms = 0\n", "t.toml:2:14: 'dns.timeout_ms' must be between 10 and 60000"},
      {"[milter]\nsockt = \"unix:/x\"\n", "t.toml:2:1: unknown key 'milter.sockt'"},
      {"[dmarc]\ndiscovery = \"walk\"\n",
       "t.toml:2:13: 'dmarc.discovery' must be one of: tree-walk, psl"},
      {"[dmarc]\nmax_author_domains = 0\n",
       "t.toml:2:22: 'dmarc.max_author_domains' must be between 1 and 20"},
      {"trusted_networks = \"127.0.0.1\"\n",
       "t.toml:1:20: 'trusted_networks' must be an array of strings"},
      {"[[signing.keys]]\ndomain = \"a\"\n",
       "t.toml:1:1: a signing key needs domain, selector and key_file"},
      {"x = [\n", "t.toml:1:7: Error while parsing array"},
      {"trusted_networks = [\"10.0.0.0/8\", \"127.0.0.0/33\"]\n",
       "t.toml:1:35: trusted_networks: '127.0.0.0/33' is not an IP network"},
      {"[milter]\nsocket_mode = \"rw-rw----\"\n",
       "t.toml:2:15: 'milter.socket_mode' must be an octal mode in quotes"},
      {"[milter]\nsocket = \"/tmp/x.sock\"\n",
       "t.toml:2:10: 'milter.socket' must start with unix:"},
      {"[store]\nurl = \"mysql://x\"\n", "t.toml:2:7: 'store.url' must be sqlite:///PATH"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    try {
      parse_config(c.text, "t.toml");
      FAIL("no error");
    } catch (const ConfigError& e) {
      CHECK_THAT(e.what(), Catch::StartsWith(c.want));
    }
  }
}

TEST_CASE("missing file is a clear error") {
  CHECK_THROWS_WITH(load_config("/nonexistent/alignd.toml"),
                    Catch::Contains("/nonexistent/alignd.toml") && Catch::Contains("cannot read"));
}

TEST_CASE("issue 10 limits: defaults, values, ranges") {
  Config d = default_config();
  CHECK(d.dkim.partial_body == "policy");
  CHECK(d.headers.max_fields == 1000);
  CHECK(d.headers.max_bytes == 1048576);
  CHECK(d.dns.message_deadline_ms == 20000);
  Config c = parse_config(
      "[dkim]\npartial_body = \"pass\"\n[headers]\nmax_fields = 50\nmax_bytes = 65536\n"
      "[dns]\nmessage_deadline_ms = 5000\n",
      "t.toml");
  CHECK(c.dkim.partial_body == "pass");
  CHECK(c.headers.max_fields == 50);
  CHECK(c.headers.max_bytes == 65536);
  CHECK(c.dns.message_deadline_ms == 5000);
  CHECK_THROWS_WITH(parse_config("[dkim]\npartial_body = \"ignore\"\n", "t.toml"),
                    Catch::Contains("t.toml:2:") && Catch::Contains("policy, pass"));
  CHECK_THROWS_WITH(parse_config("[headers]\nmax_fields = 0\n", "t.toml"),
                    Catch::Contains("headers.max_fields"));
  CHECK_THROWS_WITH(parse_config("[headers]\nmax_lines = 5\n", "t.toml"),
                    Catch::Contains("unknown key 'headers.max_lines'"));
}

// ---- issue 15: what a new admin tripped over --------------------------------

#include "app/config_keys.h"

namespace {
std::vector<std::string> errors_of(const std::string& text) {
  return read_config_text(text, "t.toml").errors;
}
std::string all_of(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& e : v) s += e + "\n";
  return s;
}
}  // namespace

TEST_CASE("issue 15: every error is reported, each with file:line:column") {
  auto errs = errors_of(
      "authserv_idd = \"x\"\n"  // 1: unknown key
      "[milter]\n"
      "socket = \"inet:99999@127.0.0.1\"\n"  // 3: port
      "socket_mode = \"rw\"\n"               // 4: mode
      "[dns]\n"
      "timeout_ms = 0\n"                             // 6: range
      "servers = [\"127.0.0.1\", \"10.0.0.1@0\"]\n"  // 7: port 0
      "[[signing.keys]]\n"                           // 8: incomplete
      "domain = \"example.com\"\n");
  INFO(all_of(errs));
  REQUIRE(errs.size() == 6);  // in the order of the file
  CHECK_THAT(errs[0], Catch::StartsWith("t.toml:1:1: unknown key 'authserv_idd'"));
  CHECK_THAT(errs[1],
             Catch::StartsWith("t.toml:3:10: 'milter.socket' port 99999 is outside 1..65535"));
  CHECK_THAT(errs[2], Catch::StartsWith("t.toml:4:15: 'milter.socket_mode' must be an octal mode"));
  CHECK_THAT(errs[3], Catch::StartsWith("t.toml:6:14: 'dns.timeout_ms' must be between"));
  CHECK_THAT(errs[4], Catch::StartsWith("t.toml:7:25: 'dns.servers': port 0 is outside 1..65535"));
  CHECK_THAT(errs[5],
             Catch::StartsWith("t.toml:8:1: a signing key needs domain, selector and key_file "
                               "(missing: selector, key_file)"));
  // The throwing form carries them all, one a line.
  try {
    parse_config("a = 1\nb = 2\n", "t.toml");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK(e.errors.size() == 2);
    CHECK_THAT(e.what(), Catch::Contains("t.toml:1:1: unknown key 'a'") &&
                             Catch::Contains("\nt.toml:2:1: unknown key 'b'"));
  }
}

TEST_CASE("issue 15: unknown keys get 'did you mean'") {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"[milter]\nsockt = \"unix:/x\"\n", "unknown key 'milter.sockt'; did you mean 'socket'?"},
      {"[milter]\ntimeout = 5\n", "did you mean 'timeout_s'?"},
      {"[miltr]\nsocket = \"unix:/x\"\n", "unknown key 'miltr'; did you mean 'milter'?"},
      {"authserv = \"mx.example.net\"\n", "did you mean 'authserv_id'?"},
      {"[[signing.keys]]\ndomain = \"a.b\"\nselector = \"s\"\nkeyfile = \"/k\"\n",
       "unknown key 'signing.keys.keyfile'; did you mean 'key_file'?"},
      {"[signing]\nkey = []\n", "did you mean 'keys'?"},
      {"[reporting]\nauthserv_id = \"mx.example.net\"\n",
       "'authserv_id' is a top-level key: put it above the first [table]"},
      {"[dns]\nsocket_group = \"x\"\n", "'socket_group' belongs in [milter]"},
      {"[log]\nzzzzzz = 1\n", "unknown key 'log.zzzzzz'; valid: verbosity, syslog"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto errs = errors_of(c.text);
    REQUIRE(!errs.empty());
    CHECK_THAT(all_of(errs), Catch::Contains(c.want));
  }
  CHECK(edit_distance("sockt", "socket") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("issue 15: socket_mode = 0660 gets a hint; \"0660\" and 0o660 both work") {
  auto errs = errors_of("[milter]\nsocket_mode = 0660\n");
  REQUIRE(errs.size() == 1);
  CHECK_THAT(errs[0], Catch::StartsWith("t.toml:2:15: ") && Catch::Contains("leading zero") &&
                          Catch::Contains("socket_mode = \"0660\"") &&
                          Catch::Contains("socket_mode = 0o660"));
  CHECK(parse_config("[milter]\nsocket_mode = \"0660\"\n", "t.toml").milter.socket_mode == "0660");
  CHECK(parse_config("[milter]\nsocket_mode = 0o660\n", "t.toml").milter.socket_mode == "0660");
  CHECK(parse_config("[milter]\nsocket_mode = 0o2770\n", "t.toml").milter.socket_mode == "2770");
  auto dec = errors_of("[milter]\nsocket_mode = 660\n");
  REQUIRE(dec.size() == 1);
  CHECK_THAT(dec[0],
             Catch::StartsWith("t.toml:2:15: 'milter.socket_mode' = 660 is a decimal number") &&
                 Catch::Contains("\"0660\"") && Catch::Contains("0o660"));
  CHECK(errors_of("[milter]\nsocket_mode = 0o17777\n").size() == 1);
}

TEST_CASE("issue 15: socket specs and ports are validated at load") {
  struct Case {
    const char* socket;
    const char* want;
  };  // want "" = accepted
  const Case cases[] = {
      {"unix:/run/alignd/milter.sock", ""},
      {"local:/run/alignd/milter.sock", ""},
      {"inet:8891@127.0.0.1", ""},
      {"inet:8891@localhost", ""},
      {"inet6:8891@::1", ""},
      {"inet:65535@127.0.0.1", ""},
      {"inet:99999@127.0.0.1", "port 99999 is outside 1..65535"},
      {"inet:0@127.0.0.1", "port 0 is outside 1..65535"},
      {"inet:88x@127.0.0.1", "port '88x' is not a number"},
      {"inet:@127.0.0.1", "no port"},
      {"inet:8891@", "no host after '@'"},
      {"inet:8891", "needs a host: inet:PORT@HOST"},
      {"inet:127.0.0.1:8891", "libmilter writes inet:PORT@HOST"},
      {"inet6:8891@127.0.0.1", "is not an IPv6 address"},
      {"unix:", "needs a socket path"},
      {"tcp:8891@127.0.0.1", "must start with unix:, local:, inet: or inet6:"},
  };
  for (const auto& c : cases) {
    INFO(c.socket);
    auto errs = errors_of(std::string("[milter]\nsocket = \"") + c.socket + "\"\n");
    if (!*c.want) {
      CHECK(errs.empty());
    } else {
      REQUIRE(errs.size() == 1);
      CHECK_THAT(errs[0],
                 Catch::StartsWith("t.toml:2:10: 'milter.socket' ") && Catch::Contains(c.want));
    }
  }
  CHECK(errors_of("[dns]\nservers = [\"127.0.0.1@53\", \"::1\", \"::1@5353\"]\n").empty());
  CHECK_THAT(all_of(errors_of("[dns]\nservers = [\"127.0.0.1@65536\"]\n")),
             Catch::StartsWith("t.toml:2:12: 'dns.servers': port 65536 is outside 1..65535"));
  CHECK_THAT(all_of(errors_of("[dns]\nservers = [\"ns1.example\"]\n")),
             Catch::Contains("is not an IP address"));
  CHECK_THAT(
      all_of(errors_of("[http]\nlisten = \"127.0.0.1:99999\"\n")),
      Catch::StartsWith("t.toml:2:10: 'http.listen' must be HOST:PORT with a port 1..65535"));
  CHECK(errors_of("[http]\nlisten = \"127.0.0.1:8891\"\n").empty());
  for (const char* ok : {"postgresql://alignd@db/alignd", "postgresql://u:pw@db.example:5432/a",
                         "postgres://[::1]:5433/a", "postgresql:///alignd?host=/run/postgresql"}) {
    INFO(ok);
    CHECK(errors_of(std::string("[store]\nurl = \"") + ok + "\"\n").empty());
  }
  CHECK_THAT(all_of(errors_of("[store]\nurl = \"postgresql://u@db:99999/a\"\n")),
             Catch::StartsWith("t.toml:2:7: 'store.url': port 99999 is outside 1..65535"));
}

TEST_CASE("issue 15: an authserv_id without a dot is a warning") {
  Config c;
  c.source = "t.toml";
  fill_derived(c, "vm");  // what a host named vm gets by default
  CHECK(c.reporting.email == "dmarc-reports@vm");
  auto w = config_warnings(c);
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0], Catch::StartsWith("t.toml: authserv_id defaults to the host name 'vm'") &&
                       Catch::Contains("From: dmarc-reports@vm") &&
                       Catch::Contains("authserv_id = \"mx.example.net\""));
  Config fqdn;
  fill_derived(fqdn, "mx.example.net");
  CHECK(config_warnings(fqdn).empty());
  // Set by hand: the warning points at the line.
  auto set = config_warnings(parse_config("authserv_id = \"vm\"\n", "t.toml"));
  REQUIRE(set.size() == 1);
  CHECK_THAT(set[0], Catch::StartsWith("t.toml:1:15: authserv_id 'vm' has no dot"));
  // Reports from a real domain: the short authserv_id does not matter to DMARC.
  CHECK(
      config_warnings(
          parse_config("authserv_id = \"vm\"\n[reporting]\nemail = \"r@example.net\"\n", "t.toml"))
          .empty());
}

TEST_CASE("issue 15: positions of values, for errors found after loading") {
  Config c = parse_config(
      "[policy]\nfiles = [\"/a/*.toml\",\n  \"/b/*.toml\"]\n"
      "[[signing.keys]]\ndomain = \"example.com\"\nselector = \"s1\"\nkey_file = \"/k1\"\n",
      "t.toml");
  CHECK(c.where("policy.files[1]") == "t.toml:3:3");
  CHECK(c.where("signing.keys[0].key_file") == "t.toml:7:12");
  CHECK(c.where("signing.keys[0].not_after") == "t.toml:4:1");  // the entry
  CHECK(c.where("dns.zone_file") == "t.toml");                  // not in the file
  CHECK(c.signing.keys[0].position == "signing.keys[0]");
  CHECK(c.error_at("policy.files[0]", "x") == "t.toml:2:10: x");
}

TEST_CASE("issue 15: the key table and the reader agree") {
  // A value of each type; the reader may reject it, but never as an unknown key.
  auto value_of = [](ConfigType t) -> std::string {
    switch (t) {
      case ConfigType::String: return "\"x\"";
      case ConfigType::Integer: return "1";
      case ConfigType::Boolean: return "true";
      case ConfigType::Strings: return "[]";
      case ConfigType::Mode: return "\"0600\"";
    }
    return "";
  };
  for (const auto& k : config_keys()) {
    std::string name = config_key_name(k);
    INFO(name);
    std::string text = k.section.empty()             ? ""
                       : k.section == "signing.keys" ? "[[signing.keys]]\n"
                                                     : "[" + std::string(k.section) + "]\n";
    text += std::string(k.key) + " = " + value_of(k.type) + "\n";
    std::vector<std::string> errs;
    // The reader throws std::logic_error if it asks for a key the table lacks.
    REQUIRE_NOTHROW(errs = errors_of(text));
    CHECK_THAT(all_of(errs), !Catch::Contains("unknown key"));
    CHECK(find_config_key(k.section, k.key) == &k);  // no duplicates
    CHECK(!k.description.empty());
    CHECK(!k.default_value.empty());
  }
  // Every section at once: the reader asks for every key it knows about.
  std::string all;
  for (const char* s : {"milter", "dns", "spf", "dkim", "headers", "signing", "dmarc", "arc",
                        "policy", "store", "reporting", "http", "log"})
    all += "[" + std::string(s) + "]\n";
  all += "[[signing.keys]]\ndomain = \"example.com\"\nselector = \"s\"\nkey_file = \"/k\"\n";
  REQUIRE_NOTHROW(parse_config(all, "t.toml"));
  // Literal defaults are valid values.
  for (const auto& k : config_keys()) {
    if (k.default_value.front() == '(' || k.section == "signing.keys") continue;
    std::string text = (k.section.empty() ? "" : "[" + std::string(k.section) + "]\n") +
                       std::string(k.key) + " = " + std::string(k.default_value) + "\n";
    INFO(text);
    CHECK(errors_of(text).empty());
  }
}
