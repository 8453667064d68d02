// The per-message log line (issue 14 item 5): DKIM results with selectors, the
// quarantine reason, why an outbound message was not signed, a DNS budget that
// cut lookups short (docs/dns.md); and the
// ISO 8601 timestamps of stderr lines.
#include <catch2/catch.hpp>

#include <regex>

#include "app/config.h"
#include "app/eval_output.h"
#include "auth/dkim_context.h"
#include "core/log.h"
#include "fakes/fake_resolver.h"
#include "milter/session.h"

using namespace alignd;
using alignd::testing::FakeResolver;

namespace {

struct Captured {
  std::vector<std::string> lines;
  Captured() {
    set_log_sink([this](LogLevel, std::string_view m) { lines.emplace_back(m); });
  }
  ~Captured() { set_log_sink(nullptr); }
  std::string last() const { return lines.empty() ? "" : lines.back(); }
};

std::shared_ptr<Runtime> runtime(const std::string& policy) {
  auto dns = std::make_shared<FakeResolver>();
  dns->add("sender.example.", RrType::TXT, "v=spf1 -all");
  dns->add("_dmarc.sender.example.", RrType::TXT, "v=DMARC1; p=quarantine");
  auto rt = std::make_shared<Runtime>();
  rt->config = default_config();
  rt->config.authserv_id = "mx.test.example";
  rt->trusted_networks = {*parse_cidr("127.0.0.0/8")};
  if (!policy.empty()) rt->policy = PolicyEngine::compile({{"t.toml", policy}});
  rt->dns = dns;
  rt->dkim = std::make_shared<DkimContext>();
  return rt;
}

EomActions send(Session& s, const std::string& ip, const HeaderList& headers) {
  s.on_connect("client", ip);
  s.on_helo("mail.sender.example");
  s.on_mail_from("<alice@sender.example>", "", "Q1");
  s.on_rcpt("<bob@rcpt.example>");
  for (const auto& h : headers) s.on_header(h.name, h.value);
  s.on_eoh();
  s.on_body("hi\r\n");
  return s.on_eom("Q1");
}

}  // namespace

TEST_CASE("log line: dkim selector, quarantine reason", "[log]") {
  RuntimeHolder holder(runtime(R"(
[[rule]]
name = "hold"
when = { dmarc = "fail" }
action = "quarantine"
reason = "DMARC fail for {from_domain}"
)"));
  Session s(holder);
  Captured log;
  HeaderList h = {{"From", " <alice@sender.example>"},
                  {"DKIM-Signature",
                   " v=1; a=rsa-sha256; d=sender.example; s=s2026; c=relaxed/relaxed;"
                   " h=from; bh=AAAA; b=AAAA"}};
  EomActions a = send(s, "203.0.113.5", h);
  CHECK(a.verdict.action == Action::Quarantine);
  INFO(log.last());
  CHECK(log.last().find("dkim=") != std::string::npos);
  CHECK(log.last().find(":sender.example/s2026") != std::string::npos);
  CHECK(log.last().find("verdict=quarantine rule=hold reason=\"DMARC fail for sender.example\"") !=
        std::string::npos);
}

TEST_CASE("log line and eval: why outbound mail is not signed", "[log]") {
  RuntimeHolder holder(runtime(""));
  Session s(holder);
  Captured log;
  EomActions a = send(s, "127.0.0.1", {{"From", " <alice@sender.example>"}});
  CHECK(a.not_signed == "no-key");
  CHECK(a.not_signed_detail == "no key for sender.example in [[signing.keys]]");
  CHECK(log.last().find("not_signed=no-key") != std::string::npos);
  // eval says it in one phrasing, whatever the reason.
  Evidence ev;
  ev.client_ip = "127.0.0.1";
  ev.trusted = true;
  CHECK_THAT(
      eval_text(ev, a),
      Catch::Contains("not signed: no key for sender.example in [[signing.keys]] (no-key)\n"));
  EomActions again = a;
  again.not_signed = "already-signed";
  again.not_signed_detail = "the message already carries our signature audit.example/s1";
  const std::string t = eval_text(ev, again);
  CHECK_THAT(t, Catch::Contains("not signed: the message already carries our signature "
                                "audit.example/s1 (already-signed)\n"));
  CHECK(t.find("signed: no") == std::string::npos);
  EomActions in = send(s, "203.0.113.5", {{"From", " <alice@sender.example>"}});
  CHECK(in.not_signed.empty());  // inbound: nothing to explain
}

TEST_CASE("log line: says when the message's DNS budget cut lookups short", "[log]") {
  // max_queries_per_message 1: SPF for the HELO takes the one query, the rest
  // (SPF for MAIL FROM, the DKIM key, DMARC) are TempFail from the budget itself.
  auto rt = runtime("");
  rt->config.dns.max_queries_per_message = 1;
  RuntimeHolder holder(rt);
  Session s(holder);
  Captured log;
  HeaderList h = {
      {"From", " <alice@sender.example>"},
      {"DKIM-Signature", " v=1; a=rsa-sha256; d=sender.example; s=s2026; h=from; bh=AAAA; b=AAAA"}};
  send(s, "203.0.113.5", h);
  INFO(log.last());
  CHECK(log.last().find("dkim=temperror:sender.example/s2026") != std::string::npos);
  CHECK(log.last().find("dmarc=temperror") != std::string::npos);
  CHECK(std::regex_search(
      log.last(), std::regex(" dns_budget=queries dns_ms=\\d+ dns_queries=1 dns_refused=[3-9] ")));

  RuntimeHolder plenty(runtime(""));  // the default budgets: nothing to say
  Session s2(plenty);
  send(s2, "203.0.113.5", h);
  INFO(log.last());
  CHECK(log.last().find("dns_budget=") == std::string::npos);
}

TEST_CASE("log timestamps: ISO 8601 UTC when on, nothing when off", "[log]") {
  set_log_timestamps(false);
  CHECK(log_timestamp().empty());
  set_log_timestamps(true);
  CHECK(
      std::regex_match(log_timestamp(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z )")));
  set_log_timestamps(false);
}
