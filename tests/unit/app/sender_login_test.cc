// Issue 10 item 10 through Session (what the milter and `alignd eval` run): with
// [signing] sender_login_map, an authenticated login signs only From addresses
// it owns; trusted networks without a login and configs without a map sign as before.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "app/config.h"
#include "app/runtime_loader.h"
#include "auth/dkim_context.h"
#include "core/text.h"
#include "fakes/fake_resolver.h"
#include "milter/services.h"
#include "milter/session.h"

using namespace alignd;
using alignd::testing::FakeResolver;

namespace {

const char* kLogins = "alice@example.com alice\n@example.com postmaster-bot\n";

std::shared_ptr<Runtime> signing_runtime(bool with_map) {
  auto rt = std::make_shared<Runtime>();
  rt->config = default_config();
  rt->config.authserv_id = "mx.test.example";
  rt->trusted_networks = {*parse_cidr("127.0.0.0/8")};
  rt->dns = std::make_shared<FakeResolver>();
  rt->dkim = std::make_shared<DkimContext>();
  for (const char* d : {"example.com", "other.example"}) {
    SigningKeyConfig k;
    k.domain = d;
    k.selector = "s1";
    k.key_file = ALIGND_SOURCE_DIR "/tests/data/dkim/rfc8463-rsa.key";
    rt->signing_keys.push_back(load_signing_key(k, true));
  }
  if (with_map)
    rt->sender_logins =
        std::make_shared<const SenderLoginMap>(SenderLoginMap::parse(kLogins, "logins"));
  return rt;
}

struct Result {
  int signatures = 0;
  std::string refused;
};

Result send(const RuntimeHolder& h, const std::string& ip, const std::string& auth,
            const std::string& from) {
  Session s(h);
  s.on_connect("client", ip);
  s.on_helo("client.example");
  s.on_mail_from("<x@example.com>", auth, "Q1");
  s.on_rcpt("<bob@rcpt.example>");
  s.on_header("From", " " + from);
  s.on_header("Subject", " hi");
  s.on_eoh();
  s.on_body("hi\r\n");
  EomActions a = s.on_eom("Q1");
  Result r;
  for (const auto& f : a.insert_top) r.signatures += iequals(f.name, "DKIM-Signature");
  r.refused = s.last_evidence().signing_refused;
  return r;
}

}  // namespace

TEST_CASE("sender_login_map: a login signs only the From addresses it owns (issue 10 item 10)",
          "[login][attack]") {
  struct Case {
    const char* name;
    bool map;
    const char* ip;
    const char* auth;
    const char* from;
    bool signed_;
  };
  const Case cases[] = {
      {"the attack: alice as ceo@other.example", true, "203.0.113.5", "alice", "ceo@other.example",
       false},
      {"alice as herself", true, "203.0.113.5", "alice", "Alice <alice@example.com>", true},
      {"alice as bob of her own domain", true, "203.0.113.5", "alice", "bob@example.com", false},
      {"@domain owner", true, "203.0.113.5", "postmaster-bot", "anyone@example.com", true},
      {"two From mailboxes, one not hers", true, "203.0.113.5", "alice",
       "alice@example.com, ceo@example.com", false},
      {"trusted network, no login: unaffected", true, "127.0.0.1", "", "ceo@other.example", true},
      {"trusted network with a login: checked", true, "127.0.0.1", "alice", "ceo@other.example",
       false},
      {"no map: as before", false, "203.0.113.5", "alice", "ceo@other.example", true},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    RuntimeHolder h(signing_runtime(c.map));
    Result r = send(h, c.ip, c.auth, c.from);
    CHECK((r.signatures > 0) == c.signed_);
    CHECK(r.refused.empty() == c.signed_);
  }
}

TEST_CASE("sender_login_map: loaded with the runtime; errors name file:line", "[login]") {
  char path[] = "/tmp/alignd-logins-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  Config cfg = default_config();
  cfg.store.url = "none";
  cfg.signing.sender_login_map = std::string("texthash:") + path;
  Services services;
  std::ofstream(path) << "alice@example.com alice\n";
  auto rt = load_runtime(cfg, services);
  REQUIRE(rt->sender_logins);
  CHECK(rt->sender_logins->size() == 1);
  std::ofstream(path) << "alice@example.com alice\n\nbob@example.com\n";
  CHECK_THROWS_WITH(load_runtime(cfg, services),
                    Catch::Contains("signing.sender_login_map") &&
                        Catch::Contains(std::string(path) + ":3: bob@example.com has no login"));
  std::remove(path);
  CHECK_THROWS_WITH(load_runtime(cfg, services), Catch::Contains("cannot read"));
}

TEST_CASE("config: [signing] sender_login_map keys", "[login]") {
  Config c = parse_config(R"([signing]
sender_login_map = "/etc/postfix/sender_logins"
sender_login_local_domains = ["example.com"]
sender_login_delimiter = "+"
[reporting]
max_destinations = 3
)",
                          "t.toml");
  CHECK(c.signing.sender_login_map == "/etc/postfix/sender_logins");
  CHECK(c.signing.sender_login_local_domains == std::vector<std::string>{"example.com"});
  CHECK(c.signing.sender_login_delimiter == "+");
  CHECK(c.reporting.max_destinations == 3);
  CHECK(default_config().reporting.max_destinations == 5);
  CHECK_THROWS_WITH(
      parse_config("[reporting]\nmax_destinations = 0\n", "t.toml"),
      Catch::StartsWith("t.toml:2:20: 'reporting.max_destinations' must be between 1"));
}
