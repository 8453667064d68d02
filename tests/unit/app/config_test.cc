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
  struct Case { const char* text; const char* want; };
  const Case cases[] = {
      {"authserv_idd = \"x\"\n", "t.toml:1:1: unknown key 'authserv_idd'"},
      {"\n[dns]\ntimeout_ms = \"fast\"\n", "t.toml:3:14: 'dns.timeout_ms' must be an integer"},
      {"[dns]\ntimeout_ms = 0\n", "t.toml:2:14: 'dns.timeout_ms' must be between 10 and 60000"},
      {"[milter]\nsockt = \"unix:/x\"\n", "t.toml:2:1: unknown key 'milter.sockt'"},
      {"[dmarc]\ndiscovery = \"walk\"\n", "t.toml:2:13: 'dmarc.discovery' must be one of: tree-walk, psl"},
      {"[dmarc]\nmax_author_domains = 0\n",
       "t.toml:2:22: 'dmarc.max_author_domains' must be between 1 and 20"},
      {"trusted_networks = \"127.0.0.1\"\n", "t.toml:1:20: 'trusted_networks' must be an array of strings"},
      {"[[signing.keys]]\ndomain = \"a\"\n", "t.toml:1:1: a signing key needs domain, selector and key_file"},
      {"x = [\n", "t.toml:1:7: Error while parsing array"},
      {"trusted_networks = [\"10.0.0.0/8\", \"127.0.0.0/33\"]\n",
       "t.toml:1:35: trusted_networks: '127.0.0.0/33' is not an IP network"},
      {"[milter]\nsocket_mode = \"rw-rw----\"\n",
       "t.toml:2:15: 'milter.socket_mode' must be an octal mode in quotes"},
      {"[milter]\nsocket = \"/tmp/x.sock\"\n", "t.toml:2:10: 'milter.socket' must start with unix:"},
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
