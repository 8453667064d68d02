// Fuzzes a whole SPF check (auth/spf_checker.h: our syntax check, libspf2 and our
// DNS adapter) over a FakeResolver whose records come from the input: the
// sender's SPF record, an include/redirect target, an exp= text, an MX exchange
// and a PTR name, the HELO and the MAIL FROM. All of these are the sender's to
// choose, so a crash here would be a remote crash. Also checks the Received-SPF
// value carries no control characters (no header injection).
#include <cstdint>
#include <set>
#include <string>

#include "auth/spf_checker.h"
#include "core/text.h"
#include "fakes/fake_resolver.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;
using alignd::fuzz::FuzzInput;
using alignd::testing::FakeResolver;

namespace {

const char* const kClients[] = {"192.0.2.1", "192.0.2.200", "2001:db8::1", "::ffff:192.0.2.1",
                                "198.51.100.7"};

void check_header_value(const std::string& v) {
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    FUZZ_CHECK(u >= 0x20 && u != 0x7f);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  std::string record = in.take_string();
  std::string included = in.take_string();
  std::string exp = in.take_string();
  std::string mx = in.take_string();
  std::string ptr = in.take_string();
  std::string helo = in.take_string();
  std::string mail_from = in.take_string();
  const char* client = kClients[in.take_index(std::size(kClients))];

  FakeResolver dns;
  dns.add("fuzz.example.", RrType::TXT, record);
  dns.add("inc.fuzz.example.", RrType::TXT, included);
  dns.add("exp.fuzz.example.", RrType::TXT, exp);
  dns.add("fuzz.example.", RrType::MX, "10 " + mx);
  dns.add("fuzz.example.", RrType::A, "192.0.2.1");
  dns.add("fuzz.example.", RrType::AAAA, "2001:db8::1");
  dns.add("mx.fuzz.example.", RrType::A, "198.51.100.7");
  dns.add("1.2.0.192.in-addr.arpa.", RrType::PTR, ptr);
  dns.add("7.100.51.198.in-addr.arpa.", RrType::PTR, "mx.fuzz.example.");
  dns.fail("temp.fuzz.example.", DnsStatus::TempFail);
  // The sender's domain and the HELO name, when they name others, publish the same record.
  std::set<std::string> published = {"fuzz.example"};
  auto publish = [&](std::string_view name) {
    if (published.insert(normalize_domain(name)).second) dns.add(name, RrType::TXT, record);
  };
  if (auto at = mail_from.rfind('@'); at != std::string::npos) publish(mail_from.substr(at + 1));
  if (!helo.empty()) publish(helo);

  // One checker for all inputs, as one per connection in the milter.
  static FakeResolver initial;
  static SpfChecker checker(initial, "mx.example.org");
  checker.set_resolver(dns);

  SpfResult mf = checker.check_mail_from(client, helo, mail_from);
  if (std::getenv("FUZZ_DEBUG"))
    std::fprintf(stderr, "spf: %s\n", received_spf_value(mf, client, helo, "mx").c_str());
  check_header_value(received_spf_value(mf, client, helo, "mx.example.org"));
  SpfResult h = checker.check_helo(client, helo.empty() ? "fuzz.example" : helo);
  check_header_value(received_spf_value(h, client, helo, "mx.example.org"));
  checker.set_resolver(initial);
  return 0;
}
