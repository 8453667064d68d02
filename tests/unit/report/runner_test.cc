// Tests for report/runner.h with a real SQLite store, a FakeResolver and a
// recording Mailer: what is due gets sent once per destination, failures are
// retried, dry runs change nothing, RFC 9990 §4 checks and !size limits hold,
// and the mail carries a schema-valid gzip report.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "../core/report_fixtures.h"
#include "core/report/xml.h"
#include "fakes/fake_resolver.h"
#include "report/gzip.h"
#include "report/mailer.h"
#include "report/message.h"
#include "report/runner.h"
#include "store/store.h"

using namespace alignd;
using namespace alignd::testing;

namespace {

const std::int64_t kD = 1795219200;  // 2026-11-21 00:00:00 UTC

class RecordingMailer : public Mailer {
 public:
  std::vector<std::string> sent;
  int fail_next = 0;
  bool send(const std::string& m, std::string& error) override {
    if (fail_next > 0) {
      --fail_next;
      error = "simulated failure";
      return false;
    }
    sent.push_back(m);
    return true;
  }
};

struct Env {
  std::string dir;
  std::unique_ptr<Store> store;
  FakeResolver dns;
  RecordingMailer mailer;
  Env() {
    dir = capture("mktemp -d /tmp/alignd-runner-test-XXXXXX");
    dir.pop_back();
    store = open_store("sqlite://" + dir + "/alignd.db");
  }
  ~Env() { run("rm -rf '" + dir + "'"); }
  ReportOptions options(std::int64_t now, ReportFormat f = ReportFormat::Rfc9990) {
    ReportOptions o;
    o.format = f;
    o.meta = {"Receiver Org", "dmarc-reports@receiver.example", "", "receiver.example", "alignd"};
    o.now = now;
    o.since = now - 30 * kDay;
    o.owner = "test-run";
    return o;
  }
  ReportRunStats run_at(std::int64_t now, ReportFormat f = ReportFormat::Rfc9990) {
    return run_reports(*store, dns, mailer, options(now, f));
  }
};

Evaluation with_record(Evaluation e, const std::string& record) {
  e.policy = read_published_policy(record, "tree-walk");
  return e;
}

std::string header(const std::string& msg, const std::string& name) {
  auto pos = msg.find("\n" + name + ": ");
  if (msg.rfind(name + ": ", 0) == 0)
    pos = 0;
  else if (pos == std::string::npos)
    return "";
  else
    pos += 1;
  std::string v;
  size_t i = pos + name.size() + 2;
  for (;;) {
    auto nl = msg.find('\n', i);
    v += msg.substr(i, nl - i);
    if (nl + 1 < msg.size() && (msg[nl + 1] == ' ' || msg[nl + 1] == '\t')) {
      i = nl + 1;
      continue;
    }
    return v;
  }
}

std::string base64_decode(const std::string& in) {
  static const std::string k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : in) {
    auto p = k.find(c);
    if (p == std::string::npos) continue;
    val = (val << 6) + static_cast<int>(p);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

// The gzip attachment of a report message, decoded and decompressed.
std::string attachment_xml(const std::string& msg, std::string* filename = nullptr) {
  auto cd = msg.find("Content-Disposition: attachment; filename=\"");
  REQUIRE(cd != std::string::npos);
  auto q = msg.find('"', cd + 43);
  if (filename) *filename = msg.substr(cd + 43, q - cd - 43);
  auto start = msg.find("\n\n", cd) + 2;
  auto end = msg.find("\n\n", start);
  auto xml = gzip_decompress(base64_decode(msg.substr(start, end - start)));
  REQUIRE(xml);
  return *xml;
}

bool validates(const std::string& xml) {
  std::string path = write_temp(xml);
  int rc = run("xmllint --noout --schema '" + std::string(kRfc9990Xsd) + "' '" + path + "'");
  std::remove(path.c_str());
  return rc == 0;
}

}  // namespace

TEST_CASE("runner: due reports go out once per destination", "[runner]") {
  Env env;
  std::vector<Evaluation> evs;
  for (int i = 0; i < 7; ++i) evs.push_back(sample_evaluation(kD + i * 100));
  for (int i = 0; i < 4; ++i) evs.push_back(failing_evaluation(kD + 5000 + i));
  for (int i = 0; i < 2; ++i)
    evs.push_back(with_record(sample_evaluation(kD + 10 + i, "203.0.113.1", "b.example"),
                              "v=DMARC1; p=none; rua=mailto:r1@b.example,mailto:r2@b.example"));
  evs.push_back(sample_evaluation(kD + kDay + 5));  // next day: not due yet
  env.store->append(evs);

  CHECK(env.run_at(kD + kDay + 10).sent == 0);  // inside the grace time
  auto st = env.run_at(kD + kDay + 400);
  CHECK(st.periods == 2);
  CHECK(st.sent == 3);
  CHECK(st.failed == 0);
  CHECK(st.completed == 2);
  REQUIRE(env.mailer.sent.size() == 3);

  std::map<std::string, std::string> by_to;
  for (const auto& m : env.mailer.sent) by_to[header(m, "To")] = m;
  REQUIRE(by_to.count("<dmarc@example.com>"));
  REQUIRE(by_to.count("<r1@b.example>"));
  REQUIRE(by_to.count("<r2@b.example>"));

  const std::string& m = by_to["<dmarc@example.com>"];
  std::string subject = header(m, "Subject");
  std::string mid = header(m, "Message-ID");
  INFO(subject);
  CHECK(subject.rfind("Report Domain: example.com Submitter: receiver.example Report-ID: <", 0) ==
        0);
  CHECK(subject.substr(subject.find('<')) == mid);  // same Report-ID
  CHECK(m.find("Content-Type: application/gzip") != std::string::npos);
  CHECK(m.find("Content-Type: text/plain") != std::string::npos);
  std::string filename;
  std::string xml = attachment_xml(m, &filename);
  CHECK(filename.rfind("receiver.example!example.com!1795219200!1795305599!", 0) == 0);
  CHECK(filename.size() > 4 + 7);
  CHECK(filename.substr(filename.size() - 7) == ".xml.gz");
  CHECK(validates(xml));
  CHECK(xml.find("<report_id>" + mid.substr(1, mid.size() - 2) + "</report_id>") !=
        std::string::npos);
  CHECK(xml.find("<count>7</count>") != std::string::npos);
  CHECK(xml.find("<count>4</count>") != std::string::npos);
  // Both b.example destinations get the same report.
  CHECK(attachment_xml(by_to["<r1@b.example>"]) == attachment_xml(by_to["<r2@b.example>"]));

  // A second run sends nothing; neither does a dry run.
  CHECK(env.run_at(kD + kDay + 500).sent == 0);
  auto o = env.options(kD + kDay + 600);
  o.dry_run = true;
  o.out_dir = env.dir + "/dry";
  std::filesystem::create_directories(o.out_dir);
  CHECK(run_reports(*env.store, env.dns, env.mailer, o).written == 0);
  CHECK(env.mailer.sent.size() == 3);
}

TEST_CASE("runner: a failed send is retried by the next run", "[runner]") {
  Env env;
  env.store->append({sample_evaluation(kD + 1)});
  env.mailer.fail_next = 1;
  auto st = env.run_at(kD + kDay + 400);
  CHECK(st.failed == 1);
  CHECK(st.completed == 0);
  CHECK(env.mailer.sent.empty());
  const Period p{"example.com", kD, kD + kDay};
  CHECK(env.store->send_state(p, "dmarc@example.com") == SendState::Failed);  // recorded, retried
  st = env.run_at(kD + kDay + 420);  // no lease to wait for: a failed send is not a live claim
  CHECK(st.sent == 1);
  CHECK(st.completed == 1);
  CHECK(env.run_at(kD + kDay + 7200).sent == 0);
}

TEST_CASE("runner: a crashed run's claim is taken over after the lease", "[runner]") {
  Env env;
  env.store->append({sample_evaluation(kD + 1)});
  const Period p{"example.com", kD, kD + kDay};
  REQUIRE(env.store->claim(p, "dmarc@example.com", "crashed", kD + kDay + 300, 3600));
  auto st = env.run_at(kD + kDay + 400);  // claim still live: deferred, not duplicated
  CHECK(st.sent == 0);
  CHECK(st.deferred == 1);
  CHECK(st.completed == 0);
  st = env.run_at(kD + kDay + 300 + 3601);
  CHECK(st.sent == 1);
  CHECK(st.completed == 1);
}

TEST_CASE("runner: dry run writes files and leaves the store alone", "[runner]") {
  Env env;
  env.store->append({sample_evaluation(kD + 1), failing_evaluation(kD + 2)});
  auto o = env.options(kD + kDay + 400);
  o.dry_run = true;
  o.out_dir = env.dir + "/out";
  std::filesystem::create_directories(o.out_dir);
  auto st = run_reports(*env.store, env.dns, env.mailer, o);
  CHECK(st.written == 1);
  CHECK(env.mailer.sent.empty());
  int gz = 0, eml = 0;
  for (const auto& f : std::filesystem::directory_iterator(o.out_dir)) {
    std::string name = f.path().filename();
    if (name.size() > 7 && name.substr(name.size() - 7) == ".xml.gz") {
      ++gz;
      std::ifstream in(f.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      auto xml = gzip_decompress(ss.str());
      REQUIRE(xml);
      CHECK(validates(*xml));
    }
    if (name.size() > 4 && name.substr(name.size() - 4) == ".eml") ++eml;
  }
  CHECK(gz == 1);
  CHECK(eml == 1);
  // Still due for a real run.
  CHECK(env.store->send_state({"example.com", kD, kD + kDay}, "dmarc@example.com") ==
        SendState::None);
  CHECK(env.run_at(kD + kDay + 500).sent == 1);
}

TEST_CASE("runner: external destinations need RFC 9990 §4 authorization", "[runner]") {
  Env env;
  const std::string rec =
      "v=DMARC1; p=reject; rua=mailto:a@thirdparty.example,mailto:b@unauthorized.example,"
      "mailto:c@flaky.example,mailto:d@sub.example.com";
  env.store->append({with_record(sample_evaluation(kD + 1), rec)});
  env.dns.add("example.com._report._dmarc.thirdparty.example", RrType::TXT, "v=DMARC1");
  env.dns.fail("example.com._report._dmarc.flaky.example", DnsStatus::TempFail);
  auto st = env.run_at(kD + kDay + 400);
  CHECK(st.sent == 2);  // thirdparty (authorized) and sub.example.com (same org)
  CHECK(st.refused == 1);
  CHECK(st.too_big == 0);
  CHECK(st.deferred == 1);
  CHECK(st.completed == 0);  // flaky is retried
  std::vector<std::string> to;
  for (const auto& m : env.mailer.sent) to.push_back(header(m, "To"));
  CHECK(std::find(to.begin(), to.end(), "<a@thirdparty.example>") != to.end());
  CHECK(std::find(to.begin(), to.end(), "<d@sub.example.com>") != to.end());
  const Period p{"example.com", kD, kD + kDay};
  CHECK(env.store->send_state(p, "b@unauthorized.example") == SendState::Refused);

  FakeResolver recovered;
  recovered.add("example.com._report._dmarc.flaky.example", RrType::TXT,
                "v=DMARC1; rua=mailto:inbox@flaky.example");
  st = run_reports(*env.store, recovered, env.mailer, env.options(kD + kDay + 4000));
  CHECK(st.sent == 1);
  CHECK(st.completed == 1);
  CHECK(header(env.mailer.sent.back(), "To") == "<inbox@flaky.example>");  // override, same host
}

TEST_CASE("runner: an override to another host voids the destination", "[runner]") {
  Env env;
  env.store->append(
      {with_record(sample_evaluation(kD + 1), "v=DMARC1; p=none; rua=mailto:a@third.example")});
  env.dns.add("example.com._report._dmarc.third.example", RrType::TXT,
              "v=DMARC1; rua=mailto:x@elsewhere.example");
  auto st = env.run_at(kD + kDay + 400);
  CHECK(st.sent == 0);
  CHECK(st.refused == 1);
}

TEST_CASE("runner: !size limits are respected", "[runner]") {
  Env env;
  env.store->append({with_record(sample_evaluation(kD + 1),
                                 "v=DMARC1; p=none; rua=mailto:small@example.com!100,"
                                 "mailto:big@example.com!1m")});
  auto st = env.run_at(kD + kDay + 400);
  CHECK(st.sent == 1);
  CHECK(st.too_big == 1);
  CHECK(st.refused == 0);
  CHECK(env.store->send_state({"example.com", kD, kD + kDay}, "small@example.com") ==
        SendState::TooBig);
  REQUIRE(env.mailer.sent.size() == 1);
  CHECK(header(env.mailer.sent[0], "To") == "<big@example.com>");
}

TEST_CASE("runner: RFC 7489 mode sends hourly reports for ri=3600", "[runner]") {
  Env env;
  std::vector<Evaluation> evs;
  for (int h = 0; h < 3; ++h) {
    Evaluation e = with_record(sample_evaluation(kD + h * 3600 + 60),
                               "v=DMARC1; p=none; ri=3600; rua=mailto:dmarc@example.com");
    evs.push_back(e);
  }
  env.store->append(evs);
  auto st = env.run_at(kD + 2 * 3600 + 300, ReportFormat::Rfc7489);  // hours 0 and 1 are due
  CHECK(st.sent == 2);
  REQUIRE(env.mailer.sent.size() == 2);
  std::string xml = attachment_xml(env.mailer.sent[0]);
  CHECK(xml.find("<feedback>") != std::string::npos);
  CHECK(xml.find("<end>" + std::to_string(kD + 3599) + "</end>") != std::string::npos);
}

TEST_CASE("CommandMailer: exit status decides", "[runner]") {
  std::string dir = capture("mktemp -d /tmp/alignd-mailer-test-XXXXXX");
  dir.pop_back();
  std::string err;
  CommandMailer ok("cat > '" + dir + "/msg'");
  CHECK(ok.send("hello\nworld\n", err));
  std::ifstream in(dir + "/msg");
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str() == "hello\nworld\n");
  CommandMailer fails("cat >/dev/null; exit 75");
  CHECK_FALSE(fails.send("x", err));
  CHECK(err == "send_command exited with status 75");
  CommandMailer early("exit 0");  // does not read: a big message cannot be delivered
  CHECK_FALSE(early.send(std::string(1 << 20, 'x'), err));
  CommandMailer missing("/nonexistent/sendmail -t");
  CHECK_FALSE(missing.send("x", err));
  CommandMailer slow("sleep 30", 1);
  auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(slow.send("x", err));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  run("rm -rf '" + dir + "'");
}

TEST_CASE("gzip round trip and base64", "[runner]") {
  std::string data;
  for (int i = 0; i < 10000; ++i) data += "row " + std::to_string(i) + "\n";
  std::string gz = gzip_compress(data);
  CHECK(gz.size() < data.size() / 2);
  CHECK(static_cast<unsigned char>(gz[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(gz[1]) == 0x8b);
  CHECK(gzip_decompress(gz) == data);
  CHECK_FALSE(gzip_decompress(gz.substr(0, gz.size() / 2)));
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : {Case{"", ""}, Case{"f", "Zg=="}, Case{"fo", "Zm8="}, Case{"foo", "Zm9v"},
                        Case{"foobar", "Zm9vYmFy"}})
    CHECK(base64_encode(c.in) == c.out);
}

// Issue 10 item 6: a record published to have reports mailed to a third party.
TEST_CASE("runner: hostile rua= mailboxes are never mailed (issue 10 item 6)", "[runner][attack]") {
  Env env;
  const std::string rec =
      "v=DMARC1; p=none; rua=mailto:victim@other.example%09x@example.com,"
      "mailto:victim@other.example%00@example.com,mailto:victim@other.example(x@example.com,"
      "mailto:victim@other.example@example.com,mailto:victim%40other.example@example.com,"
      "mailto:victim@other.example%2Cx@example.com,mailto:%22victim@other.example%22@example.com,"
      "mailto:victim@other.example%0D%0Ax@example.com,mailto:victim%25other.example@example.com,"
      "mailto:dmarc@example.com";
  env.store->append({with_record(sample_evaluation(kD + 1), rec)});
  auto st = env.run_at(kD + kDay + 400);
  CHECK(st.sent == 1);
  REQUIRE(env.mailer.sent.size() == 1);
  CHECK(header(env.mailer.sent[0], "To") == "<dmarc@example.com>");
  for (const auto& m : env.mailer.sent) CHECK(m.find("victim") == std::string::npos);
}

TEST_CASE("runner: at most max_destinations per record and per override", "[runner]") {
  Env env;
  std::string rec = "v=DMARC1; p=none; rua=";
  for (int i = 0; i < 8; ++i)
    rec += (i ? ",mailto:r" : "mailto:r") + std::to_string(i) + "@example.com";
  env.store->append({with_record(sample_evaluation(kD + 1), rec),
                     with_record(sample_evaluation(kD + 2, "192.0.2.10", "b.example"),
                                 "v=DMARC1; p=none; rua=mailto:a@third.example")});
  std::string over = "v=DMARC1; rua=";
  for (int i = 0; i < 9; ++i)
    over += (i ? ",mailto:o" : "mailto:o") + std::to_string(i) + "@third.example";
  env.dns.add("b.example._report._dmarc.third.example", RrType::TXT, over);
  auto st = env.run_at(kD + kDay + 400);
  CHECK(st.sent == 10);  // 5 of 8 from the record, 5 of 9 from the override
  CHECK(st.completed == 2);
  auto o = env.options(kD + 2 * kDay + 400);
  o.max_destinations = 1;
  env.store->append({with_record(sample_evaluation(kD + kDay + 1), rec)});
  st = run_reports(*env.store, env.dns, env.mailer, o);
  CHECK(st.sent == 1);
  CHECK(header(env.mailer.sent.back(), "To") == "<r0@example.com>");
}

TEST_CASE("runner: dry-run file names stay inside --out (issue 10 item 6)", "[runner][attack]") {
  Env env;
  env.store->append(
      {with_record(sample_evaluation(kD + 1),
                   "v=DMARC1; p=none; rua=mailto:..%2F..%2Fx@example.com,"
                   "mailto:a%2F.%2Fb@example.com,mailto:%2Fetc%2Fpasswd@example.com")});
  auto o = env.options(kD + kDay + 400);
  o.dry_run = true;
  o.out_dir = env.dir + "/out";
  std::filesystem::create_directories(o.out_dir);
  auto st = run_reports(*env.store, env.dns, env.mailer, o);
  CHECK(st.failed == 0);
  CHECK(st.written == 2);  // "../../x" is no dot-atom; the other two are mailboxes with "/"
  int files = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(env.dir)) {
    std::string name = f.path().filename();
    if (f.path().parent_path() != o.out_dir && name != "out" && name.rfind("alignd.db", 0) != 0)
      FAIL("file outside --out: " << f.path());
    if (f.path().parent_path() == o.out_dir) {
      ++files;
      CHECK(name.find("..") == std::string::npos);
      CHECK(name.find('/') == std::string::npos);
    }
  }
  CHECK(files == 3);  // one .xml.gz, two .eml
}
