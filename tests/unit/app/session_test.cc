// Session: one message's whole path with fake DNS (the milter and `alignd eval`
// drive exactly this code). Real libspf2, libopendkim and policy engine.
#include <catch2/catch.hpp>

#include "app/config.h"
#include "auth/dkim_context.h"
#include "core/text.h"
#include "fakes/fake_resolver.h"
#include "milter/session.h"

using namespace alignd;
using alignd::testing::FakeResolver;

namespace {

std::shared_ptr<FakeResolver> example_dns() {
  auto dns = std::make_shared<FakeResolver>();
  dns->add("sender.example.", RrType::TXT, "v=spf1 ip4:192.0.2.0/24 -all");
  dns->add("_dmarc.sender.example.", RrType::TXT, "v=DMARC1; p=reject");
  return dns;
}

std::shared_ptr<Runtime> make_runtime(std::shared_ptr<Resolver> dns, const std::string& policy = "",
                                      const std::string& authserv = "mx.test.example") {
  auto rt = std::make_shared<Runtime>();
  rt->config = default_config();
  rt->config.authserv_id = authserv;
  rt->trusted_networks = {*parse_cidr("127.0.0.0/8")};
  if (!policy.empty()) rt->policy = PolicyEngine::compile({{"test.toml", policy}});
  rt->dns = std::move(dns);
  rt->dkim = std::make_shared<DkimContext>();
  return rt;
}

struct Msg {
  std::string ip = "192.0.2.7";
  std::string helo = "mail.sender.example";
  std::string from = "alice@sender.example";
  HeaderList headers{{"From", " Alice <alice@sender.example>"}, {"Subject", " hello"}};
  std::string body = "hi\r\n";
};

EomActions run(Session& s, const Msg& m, bool connect = true) {
  if (connect) {
    s.on_connect("client", m.ip);
    s.on_helo(m.helo);
  }
  s.on_mail_from("<" + m.from + ">", "", "Q1");
  s.on_rcpt("<bob@rcpt.example>");
  for (const auto& h : m.headers) s.on_header(h.name, h.value);
  s.on_eoh();
  s.on_body(m.body);
  return s.on_eom("Q1");
}

std::string header_value(const EomActions& a, std::string_view name) {
  for (const auto& h : a.insert_top)
    if (iequals(h.name, name)) return h.value;
  return "";
}

const char* kReject = R"(
[[rule]]
name = "dmarc-reject"
when = { dmarc = "fail", dmarc_policy = "reject" }
action = "reject"
)";

}  // namespace

TEST_CASE("inbound pass: SPF and DMARC pass, A-R on top, Received-SPF") {
  RuntimeHolder h(make_runtime(example_dns(), kReject));
  Session s(h);
  EomActions a = run(s, Msg{});
  CHECK(a.verdict.action == Action::Accept);
  REQUIRE(a.insert_top.size() >= 2);
  CHECK(a.insert_top[0].name == "Authentication-Results");
  std::string ar = header_value(a, "Authentication-Results");
  CHECK_THAT(ar, Catch::StartsWith(" mx.test.example;"));
  CHECK_THAT(ar, Catch::Contains("spf=pass smtp.mailfrom=sender.example"));
  CHECK_THAT(ar, Catch::Contains("dmarc=pass"));
  CHECK_THAT(header_value(a, "Received-SPF"), Catch::StartsWith(" pass"));
  CHECK(s.last_evidence().dmarc.spf_aligned);
}

TEST_CASE("inbound fail with p=reject is rejected with 550 5.7.1") {
  RuntimeHolder h(make_runtime(example_dns(), kReject));
  Session s(h);
  Msg m;
  m.ip = "203.0.113.9";
  EomActions a = run(s, m);
  CHECK(a.verdict.action == Action::Reject);
  CHECK(a.verdict.reply.code == "550");
  CHECK(a.verdict.reply.xcode == "5.7.1");
  CHECK(a.verdict.rule == "dmarc-reject");
  CHECK_THAT(header_value(a, "Authentication-Results"), Catch::Contains("dmarc=fail"));
}

TEST_CASE("every forged A-R claiming our authserv-id is removed, by its index") {
  RuntimeHolder h(make_runtime(example_dns()));
  Session s(h);
  Msg m;
  m.headers = {{"Authentication-Results", " other.example; spf=pass"},
               {"Authentication-Results", " mx.test.example; dkim=pass header.d=bank.example"},
               {"From", " alice@sender.example"},
               {"Authentication-Results", " MX.TEST.EXAMPLE; spf=pass"}};
  EomActions a = run(s, m);
  REQUIRE(a.remove.size() == 2);
  CHECK(a.remove[0].index == 2);
  CHECK(a.remove[1].index == 3);
}

TEST_CASE("trusted client: outbound, no SPF, no DMARC") {
  RuntimeHolder h(make_runtime(example_dns(), kReject));
  Session s(h);
  Msg m;
  m.ip = "127.0.0.1";
  EomActions a = run(s, m);
  CHECK(a.verdict.action == Action::Accept);
  CHECK_FALSE(s.last_evidence().spf_mailfrom.checked);
  CHECK_FALSE(s.last_evidence().dmarc.evaluated);
  CHECK(header_value(a, "Authentication-Results") == " mx.test.example; none");
}

TEST_CASE("two messages on one connection are independent; abort forgets a message") {
  RuntimeHolder h(make_runtime(example_dns(), kReject));
  Session s(h);
  Msg bad;
  bad.ip = "203.0.113.9";
  s.on_connect("client", bad.ip);
  s.on_helo(bad.helo);
  s.on_mail_from("<x@sender.example>", "", "");
  s.on_header("Subject", " aborted");
  s.on_abort();
  EomActions first = run(s, bad, /*connect=*/false);
  CHECK(first.verdict.action == Action::Reject);
  for (const auto& hf : s.last_evidence().headers) CHECK(hf.value != " aborted");
  Msg other = bad;
  other.from = "carol@unknown.example";
  other.headers = {{"From", " carol@unknown.example"}};
  EomActions second = run(s, other, /*connect=*/false);
  CHECK(second.verdict.action == Action::Accept);
  CHECK(s.last_evidence().dmarc.result == Outcome::None);
}

TEST_CASE("a reload mid-message: the message finishes under the config it started with") {
  RuntimeHolder h(make_runtime(example_dns(), kReject, "old.example"));
  Session s(h);
  Msg m;
  m.ip = "203.0.113.9";
  s.on_connect("client", m.ip);
  s.on_helo(m.helo);
  s.on_mail_from("<" + m.from + ">", "", "");
  h.set(make_runtime(example_dns(), "", "new.example"));  // SIGHUP lands here
  for (const auto& hf : m.headers) s.on_header(hf.name, hf.value);
  s.on_eoh();
  EomActions a = s.on_eom("");
  CHECK(a.verdict.action == Action::Reject);  // old rules
  CHECK_THAT(header_value(a, "Authentication-Results"), Catch::StartsWith(" old.example;"));
  EomActions b = run(s, m, /*connect=*/false);  // next message: new config
  CHECK(b.verdict.action == Action::Accept);
  CHECK_THAT(header_value(b, "Authentication-Results"), Catch::StartsWith(" new.example;"));
}

TEST_CASE("DNS failure during DMARC is temperror, never a silent pass") {
  auto dns = example_dns();
  dns->fail("_dmarc.sender.example.", DnsStatus::TempFail);
  RuntimeHolder h(make_runtime(dns, R"(
[[rule]]
name = "temp"
when = { dmarc = "temperror" }
action = "tempfail"
)"));
  Session s(h);
  Msg m;
  m.ip = "203.0.113.9";
  EomActions a = run(s, m);
  CHECK(s.last_evidence().dmarc.result == Outcome::TempError);
  CHECK(a.verdict.action == Action::TempFail);
  CHECK(a.verdict.reply.code == "451");
}

TEST_CASE("tag action: extra header appended, Subject prefixed once") {
  RuntimeHolder h(make_runtime(example_dns(), R"(
[[rule]]
name = "tag-fail"
when = { spf = "fail" }
action = "tag"
subject_prefix = "[SPF FAIL] "
add_header = ["X-Spam-Flag: YES"]
)"));
  Session s(h);
  Msg m;
  m.ip = "203.0.113.9";
  EomActions a = run(s, m);
  CHECK(a.verdict.action == Action::Tag);
  REQUIRE(a.change.size() == 1);
  CHECK(a.change[0].value == " [SPF FAIL] hello");
  REQUIRE(a.append.size() == 1);
  CHECK(a.append[0].value == " YES");
}

TEST_CASE("envelope_address strips brackets, parameters and source routes") {
  CHECK(envelope_address("<a@b.example>") == "a@b.example");
  CHECK(envelope_address("<>") == "");
  CHECK(envelope_address(" <@r1,@r2:a@b.example> ") == "a@b.example");
  CHECK(envelope_address("a@b.example") == "a@b.example");
}

// Issue 10 item 2: a broken From used to end in "DMARC not applied" and accept.
TEST_CASE("two From fields: each domain evaluated, the strictest applies (RFC 9989 §11.5)") {
  for (bool spoof_first : {true, false}) {
    INFO(spoof_first);
    RuntimeHolder h(make_runtime(example_dns(), kReject));
    Session s(h);
    Msg m;
    m.ip = "203.0.113.9";
    m.headers = {{"From", " b@other.example"}, {"From", " a@sender.example"}};
    if (spoof_first) std::swap(m.headers[0], m.headers[1]);
    EomActions a = run(s, m);
    const Evidence& ev = s.last_evidence();
    CHECK(ev.from_problem == "multiple-from");
    CHECK(ev.dmarc.result == Outcome::Fail);
    CHECK(ev.dmarc.author_domain == "sender.example");
    CHECK(ev.dmarc_each.size() == 2);  // each recorded for its own reports
    CHECK(a.verdict.action == Action::Reject);
    CHECK_THAT(header_value(a, "Authentication-Results"),
               Catch::Contains("dmarc=fail (p=reject dis=reject) header.from=sender.example"));
  }
}

TEST_CASE("no usable From: dmarc=permerror the policy can see, with the reason") {
  RuntimeHolder h(make_runtime(example_dns(), kReject));
  Session s(h);
  Msg m;
  m.ip = "203.0.113.9";
  m.headers = {{"From", " a@sender.example (unterminated"}, {"Subject", " x"}};
  EomActions a = run(s, m);
  CHECK(s.last_evidence().from_problem == "unparseable");
  CHECK(s.last_evidence().dmarc.result == Outcome::PermError);
  // The domain it names is evaluated for that domain's reports only.
  REQUIRE(s.last_evidence().dmarc_each.size() == 1);
  CHECK(s.last_evidence().dmarc_each[0].author_domain == "sender.example");
  CHECK_THAT(header_value(a, "Authentication-Results"),
             Catch::Contains("dmarc=permerror (unparseable)"));
}

TEST_CASE("dmarc.max_author_domains: past it the From counts as broken") {
  auto rt = make_runtime(example_dns(), kReject);
  rt->config.dmarc.max_author_domains = 2;
  RuntimeHolder h(rt);
  Session s(h);
  Msg m;
  m.ip = "203.0.113.9";
  m.headers = {{"From", " a@one.example, b@two.example, c@sender.example"}};
  run(s, m);
  CHECK(s.last_evidence().from_problem == "too-many-authors");
  CHECK(s.last_evidence().dmarc_each.size() == 2);
}

// Issue 10 item 3: a DKIM key temperror counts only for an aligned signature.
TEST_CASE("dns_temperror only when the missing answer could change DMARC") {
  const char* kPolicy = R"(
[[rule]]
name = "temp"
when = { dns_temperror = true }
action = "tempfail"

[[rule]]
name = "dmarc-reject"
when = { dmarc = "fail", dmarc_policy = "reject" }
action = "reject"
)";
  auto sig = [](const char* d) {
    return std::string(" v=1; a=rsa-sha256; c=relaxed/relaxed; d=") + d +
           "; s=s1; h=from:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA";
  };
  struct Case {
    const char* name;
    const char* d;          // the signature's domain
    const char* mail_from;  // SPF fails for it from 203.0.113.9
    Action action;
    bool dns_temperror;
  };
  const Case cases[] = {
      {"key temperror, unaligned signature: the reject stands", "attacker.example",
       "a@sender.example", Action::Reject, false},
      {"key temperror, aligned signature: could have passed", "sender.example", "a@sender.example",
       Action::TempFail, true},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto dns = example_dns();
    dns->fail(std::string("s1._domainkey.") + c.d, DnsStatus::TempFail);
    RuntimeHolder h(make_runtime(dns, kPolicy));
    Session s(h);
    Msg m;
    m.ip = "203.0.113.9";
    m.from = c.mail_from;
    m.headers = {
        {"DKIM-Signature", sig(c.d)}, {"From", " a@sender.example"}, {"Subject", " hello"}};
    EomActions a = run(s, m);
    const Evidence& ev = s.last_evidence();
    REQUIRE(ev.dkim.size() == 1);
    CHECK(ev.dkim[0].result == Outcome::TempError);
    CHECK(ev.dns_temperror == c.dns_temperror);
    CHECK(a.verdict.action == c.action);
  }
}

// Issue 10 item 1: a host name counts only when forward-confirmed.
TEST_CASE("client_name: the session verifies the PTR name through the message's DNS") {
  const char* kLists = R"(
[[rule]]
name = "lists"
when = { dmarc = "fail", client_name = "*.lists.example.org" }
action = "accept"
override = "mailing_list"

[[rule]]
name = "dmarc-reject"
when = { dmarc = "fail", dmarc_policy = "reject" }
action = "reject"
)";
  struct Case {
    const char* name;
    const char* ip;
    Action action;
    const char* status;
  };
  const Case cases[] = {
      {"list host, PTR and A agree", "198.51.100.7", Action::Accept, "verified"},
      {"attacker's PTR claims the list's name", "203.0.113.9", Action::Reject, "none"},
      {"no PTR", "203.0.113.10", Action::Reject, "none"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto dns = example_dns();
    dns->add("7.100.51.198.in-addr.arpa", RrType::PTR, "mx1.lists.example.org.");
    dns->add("mx1.lists.example.org", RrType::A, "198.51.100.7");
    dns->add("9.113.0.203.in-addr.arpa", RrType::PTR, "mx1.lists.example.org.");
    RuntimeHolder h(make_runtime(dns, kLists));
    Session s(h);
    Msg m;
    m.ip = c.ip;
    m.headers.push_back({"List-Id", " <dev.lists.example.org>"});
    EomActions a = run(s, m);
    CHECK(a.verdict.action == c.action);
    CHECK(s.last_evidence().client_name_status == c.status);
  }
  // no client_name rule: no lookups at all
  auto dns = example_dns();
  RuntimeHolder h(make_runtime(dns, kReject));
  Session s(h);
  run(s, Msg{});
  for (const auto& q : dns->queries) CHECK(q.second != RrType::PTR);
}

TEST_CASE("outbound_auth_results = false: no A-R on outbound mail, forged ones still removed") {
  auto rt = make_runtime(example_dns());
  rt->config.outbound_auth_results = false;
  RuntimeHolder h(rt);
  Session s(h);
  Msg m;
  m.ip = "127.0.0.1";
  m.headers.push_back({"Authentication-Results", " mx.test.example; dkim=pass"});
  EomActions a = run(s, m);
  CHECK(header_value(a, "Authentication-Results").empty());
  CHECK(a.remove.size() == 1);
}

// Issue 10 item 5: caps on header fields and bytes. Past a cap nothing more of the
// message is kept and it is refused at end of message with 552 5.3.4; the session
// keeps serving the next message.
TEST_CASE("hostile: too many header fields or bytes give 552 5.3.4; the next message is fine") {
  struct Case {
    const char* name;
    int fields;
    size_t value_len;
    const char* why;
  } cases[] = {
      {"100,000 fields", 100000, 1, "more than 1000 header fields"},
      {"1001 fields", 1001, 1, "more than 1000 header fields"},
      {"300 fields of 4 kB", 300, 4000, "more than 1048576 bytes of header"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    RuntimeHolder h(make_runtime(example_dns(), kReject));
    Session s(h);
    Msg m;
    for (int i = 0; i < c.fields; ++i)
      m.headers.push_back({"X-Filler", " " + std::string(c.value_len, 'x')});
    EomActions a = run(s, m);
    CHECK(a.verdict.action == Action::Reject);
    CHECK(a.verdict.reply.str() ==
          std::string("552 5.3.4 Message header too large (") + c.why + ")");
    CHECK(a.insert_top.empty());
    CHECK(s.last_evidence().headers.empty());  // nothing of it was kept
    EomActions next = run(s, Msg{}, false);
    CHECK(next.verdict.action == Action::Accept);
    CHECK_THAT(header_value(next, "Authentication-Results"), Catch::Contains("dmarc=pass"));
  }
  // At the caps exactly: accepted.
  RuntimeHolder h(make_runtime(example_dns(), kReject));
  Session s(h);
  Msg m;
  while (m.headers.size() < 1000) m.headers.push_back({"X-Filler", " x"});
  CHECK(run(s, m).verdict.action == Action::Accept);
}

TEST_CASE("hostile: DKIM-Signature fields beyond max_signatures are noted in A-R and skipped") {
  RuntimeHolder h(make_runtime(example_dns(), kReject));
  Session s(h);
  Msg m;
  for (int i = 0; i < 20; ++i)
    m.headers.push_back({"DKIM-Signature", " v=1; a=rsa-sha256; d=junk.example; s=s" +
                                               std::to_string(i) + "; h=from; bh=AAAA; b=AAAA"});
  EomActions a = run(s, m);
  CHECK(s.last_evidence().dkim.size() == 5);
  CHECK(s.last_evidence().dkim_ignored == 15);
  std::string ar = header_value(a, "Authentication-Results");
  std::string flat;
  for (size_t i = 0; i < ar.size(); ++i) {
    if (ar.compare(i, 3, "\r\n\t") == 0) {
      flat += ' ';
      i += 2;
    } else {
      flat += ar[i];
    }
  }
  CHECK_THAT(flat, Catch::Contains("(15 more DKIM-Signature fields not examined)"));
}
