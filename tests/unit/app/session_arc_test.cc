// ARC through Session, the milter's own path: a mailing list's alignd sees DMARC pass
// inbound, re-injects the changed message and seals it (AAR = the inbound
// Authentication-Results, cv= from its arc=); the final receiver's alignd validates
// the chain and, trusting the list, overrides the DMARC failure the change caused.
#include <catch2/catch.hpp>

#include "app/config.h"
#include "auth/dkim_context.h"
#include "auth/keygen.h"
#include "core/text.h"
#include "fakes/fake_resolver.h"
#include "milter/arc_step.h"
#include "milter/session.h"

using namespace alignd;
using alignd::testing::FakeResolver;

namespace {

const char* kPolicy = R"(
[[rule]]
name = "arc-trusted-sealer"
when = { dmarc = "fail", arc_trusted_pass = true }
action = "accept"
override = "trusted_forwarder"
[[rule]]
name = "dmarc-reject"
when = { dmarc = "fail", dmarc_policy = "reject" }
action = "reject"
)";

struct World {
  std::shared_ptr<FakeResolver> dns = std::make_shared<FakeResolver>();
  GeneratedKey key = generate_key(KeyType::Rsa, 1024);
  World() {
    dns->add("sender.example.", RrType::TXT, "v=spf1 ip4:192.0.2.0/24 -all");
    dns->add("_dmarc.sender.example.", RrType::TXT, "v=DMARC1; p=reject");
    dns->add("arc1._domainkey.lists.example.", RrType::TXT,
             dkim_key_record(KeyType::Rsa, key.public_b64));
  }
  std::shared_ptr<Runtime> runtime(const std::string& authserv, bool seal,
                                   std::vector<std::string> trusted = {}) {
    auto rt = std::make_shared<Runtime>();
    rt->config = default_config();
    rt->config.authserv_id = authserv;
    rt->config.arc.seal = seal;
    rt->config.arc.seal_domain = seal ? "lists.example" : "";
    rt->config.arc.trusted_sealers = std::move(trusted);
    rt->trusted_networks = {*parse_cidr("127.0.0.0/8")};
    rt->policy = PolicyEngine::compile({{"test.toml", kPolicy}});
    rt->dns = dns;
    rt->dkim = std::make_shared<DkimContext>();
    if (seal) {
      SigningKey k;
      k.domain = "lists.example";
      k.selector = "arc1";
      k.algorithm = "rsa-sha256";
      k.private_key = key.private_pem;
      k.bits = 1024;
      rt->signing_keys.push_back(k);
    }
    return rt;
  }
};

EomActions run(const std::shared_ptr<Runtime>& rt, const std::string& ip, const std::string& from,
               const HeaderList& headers, const std::string& body, Evidence* ev = nullptr) {
  RuntimeHolder h(rt);
  Session s(h);
  s.on_connect("client", ip);
  s.on_helo("mail.example");
  s.on_mail_from("<" + from + ">", "", "Q1");
  s.on_rcpt("<bob@rcpt.example>");
  for (const auto& f : headers) s.on_header(f.name, f.value);
  s.on_eoh();
  s.on_body(body);
  EomActions a = s.on_eom("Q1");
  if (ev) *ev = s.last_evidence();
  return a;
}

bool has(const HeaderList& h, std::string_view name, std::string_view text) {
  for (const auto& f : h)
    if (iequals(f.name, name) && f.value.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("ARC through Session: list seals what it saw, the receiver trusts it") {
  World w;
  const std::string body = "hi\r\n";
  HeaderList original{{"From", " Alice <alice@sender.example>"},
                      {"To", " list@lists.example"},
                      {"Subject", " hello"}};

  // 1. The list's MX: inbound, DMARC pass via SPF.
  auto list_rt = w.runtime("mx.lists.example", true);
  EomActions a1 = run(list_rt, "192.0.2.7", "alice@sender.example", original, body);
  CHECK(a1.verdict.action == Action::Accept);
  HeaderList at_list = outgoing_headers(original, a1);
  REQUIRE(has(at_list, "Authentication-Results", "dmarc=pass"));
  CHECK_FALSE(has(at_list, "ARC-Seal", ""));  // inbound mail is not sealed

  // 2. The list software changes the Subject and re-injects from localhost: sealed.
  for (auto& f : at_list)
    if (iequals(f.name, "Subject")) f.value = " [list] hello";
  Evidence ev2;
  EomActions a2 = run(list_rt, "127.0.0.1", "list-bounces@lists.example", at_list, body, &ev2);
  REQUIRE(a2.insert_top.size() >= 3);
  CHECK(a2.insert_top[0].name == "ARC-Seal");
  CHECK_THAT(a2.insert_top[0].value,
             Catch::Contains("i=1; a=rsa-sha256; cv=none; d=lists.example"));
  CHECK(a2.insert_top[1].name == "ARC-Message-Signature");
  CHECK(a2.insert_top[2].name == "ARC-Authentication-Results");
  CHECK_THAT(a2.insert_top[2].value, Catch::StartsWith(" i=1; mx.lists.example;"));
  CHECK_THAT(a2.insert_top[2].value, Catch::Contains("dmarc=pass"));
  HeaderList leaving = outgoing_headers(at_list, a2);

  // 3. The final receiver: SPF fails for sender.example from the list's IP, DMARC fails.
  Evidence ev3;
  EomActions a3 = run(w.runtime("mx.rcpt.example", false, {"lists.example"}), "203.0.113.9",
                      "alice@sender.example", leaving, body, &ev3);
  CHECK(ev3.dmarc.result == Outcome::Fail);
  INFO(ev3.arc.reason);
  CHECK(ev3.arc.status == Outcome::Pass);
  CHECK(ev3.arc.trusted_pass);
  CHECK(a3.verdict.action == Action::Accept);
  CHECK(a3.verdict.rule == "arc-trusted-sealer");
  CHECK(a3.verdict.override_reason == "trusted_forwarder");
  std::string ar;
  for (const auto& h : a3.insert_top)
    if (h.name == "Authentication-Results") ar = h.value;
  CHECK_THAT(ar, Catch::Contains("arc=pass (i=1 lists.example)"));
  CHECK_THAT(ar, Catch::Contains("smtp.remote-ip=203.0.113.9"));

  // Without trust in the list: the owner's p=reject applies.
  EomActions a4 = run(w.runtime("mx.rcpt.example", false), "203.0.113.9", "alice@sender.example",
                      leaving, body);
  CHECK(a4.verdict.action == Action::Reject);

  // Body changed after sealing: arc=fail, rejected even with trust.
  Evidence ev5;
  EomActions a5 = run(w.runtime("mx.rcpt.example", false, {"lists.example"}), "203.0.113.9",
                      "alice@sender.example", leaving, "spam\r\n", &ev5);
  CHECK(ev5.arc.status == Outcome::Fail);
  CHECK(a5.verdict.action == Action::Reject);
}

TEST_CASE("ARC sealing: no key, no seal; inbound mail is never sealed") {
  World w;
  auto rt = w.runtime("mx.lists.example", true);
  rt->signing_keys.clear();
  EomActions a = run(rt, "127.0.0.1", "x@lists.example", {{"From", " x@lists.example"}}, "b\r\n");
  for (const auto& h : a.insert_top) CHECK_FALSE(istarts_with(h.name, "ARC-"));
}

TEST_CASE("outgoing_headers applies removals, changes, insertions and appends") {
  HeaderList in{{"A", " 1"}, {"B", " 2"}, {"A", " 3"}};
  EomActions a;
  a.remove.push_back({"a", 2, " 3"});
  a.change.push_back({"B", 1, " two"});
  a.insert_top.push_back({"T", " top"});
  a.append.push_back({"Z", " end"});
  HeaderList out = outgoing_headers(in, a);
  REQUIRE(out.size() == 4);
  CHECK(out[0].name == "T");
  CHECK(out[1].value == " 1");
  CHECK(out[2].value == " two");
  CHECK(out[3].name == "Z");
}

TEST_CASE("[arc] configuration") {
  Config c = parse_config(R"(
[arc]
trusted_sealers = ["lists.example.org", "fwd.example.net"]
seal = true
seal_domain = "example.net"
verify = false
)",
                          "t.toml");
  CHECK(c.arc.trusted_sealers == std::vector<std::string>{"lists.example.org", "fwd.example.net"});
  CHECK(c.arc.seal);
  CHECK(c.arc.seal_domain == "example.net");
  CHECK_FALSE(c.arc.verify);
  Config d = default_config();
  CHECK(d.arc.trusted_sealers.empty());
  CHECK_FALSE(d.arc.seal);
  CHECK(d.arc.verify);
  CHECK_THROWS_WITH(parse_config("[arc]\ntrusted_sealer = []\n", "t.toml"),
                    Catch::Contains("arc.trusted_sealer"));
  CHECK_THROWS_WITH(parse_config("[arc]\nseal = \"yes\"\n", "t.toml"),
                    Catch::Contains("true or false"));
}

TEST_CASE("ARC sealing for an SMTP AUTH user ignores an A-R field the user wrote") {
  World w;
  auto rt = w.runtime("mx.lists.example", true);
  HeaderList forged{
      {"Authentication-Results", " mx.lists.example; dmarc=pass header.from=bank.example"},
      {"From", " ceo@bank.example"},
      {"Subject", " pay"}};
  RuntimeHolder h(rt);
  Session s(h);
  s.on_connect("client", "203.0.113.50");
  s.on_helo("laptop");
  s.on_mail_from("<mallory@lists.example>", "mallory", "Q1");
  s.on_rcpt("<bob@rcpt.example>");
  for (const auto& f : forged) s.on_header(f.name, f.value);
  s.on_eoh();
  s.on_body("x\r\n");
  EomActions a = s.on_eom("Q1");
  REQUIRE(a.insert_top.size() >= 3);
  REQUIRE(a.insert_top[2].name == "ARC-Authentication-Results");
  CHECK_THAT(a.insert_top[2].value, !Catch::Contains("dmarc=pass"));
  CHECK_THAT(a.insert_top[2].value, Catch::Contains("auth=pass"));
}
