// Fuzzes DKIM verification (auth/dkim_verifier.h, alignd's own verifier) of a whole
// message: its DKIM-Signature fields, canonicalization, l=, the body. The keys are
// fixed (RFC 8463 §A.2, ed25519 and RSA) except the one at
// fuzz._domainkey.football.example.com, which is the value of the message's first
// X-Fuzz-Key field: key records are the signer's to write too. Checks one result
// per examined signature, and no pass
// without one of those keys.
#include <cstdint>
#include <string>

#include "auth/dkim_tags.h"
#include "auth/dkim_verifier.h"
#include "core/message.h"
#include "core/text.h"
#include "fakes/fake_resolver.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;
using alignd::testing::FakeResolver;

namespace {

const char* kEdKey = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
const char* kRsaKey =
    "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6"
    "wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5Qj"
    "vHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";
constexpr int kMaxSignatures = 5;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static DkimContext lib;  // one per process, as in the daemon
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  ParsedMessage m = parse_message(raw);

  FakeResolver dns{{"brisbane._domainkey.football.example.com.", RrType::TXT, kEdKey},
                   {"test._domainkey.football.example.com.", RrType::TXT, kRsaKey}};
  dns.fail("temp._domainkey.football.example.com.", DnsStatus::TempFail);
  size_t signatures = 0;
  bool key_added = false;
  for (const auto& h : m.headers) {
    if (is_dkim_signature(h)) {
      ++signatures;
      (void)parse_dkim_tags(h.value);
    }
    if (!key_added && iequals(h.name, "X-Fuzz-Key")) {
      dns.add("fuzz._domainkey.football.example.com.", RrType::TXT, std::string(trim(h.value)));
      key_added = true;
    }
  }

  DkimVerifier v(lib, dns, kMaxSignatures);
  for (const auto& h : m.headers) v.header(h);
  v.end_of_headers();
  // Chunk boundaries matter (l= counting, CRLF split across chunks): vary them.
  size_t chunk = 1 + size % 97;
  for (size_t i = 0; i < m.body.size(); i += chunk)
    v.body(std::string_view(m.body).substr(i, chunk));
  auto results = v.finish();
  FUZZ_CHECK(results.size() <= signatures);
  FUZZ_CHECK(results.size() <= static_cast<size_t>(kMaxSignatures));
  if (std::getenv("FUZZ_DEBUG"))
    for (const auto& r : results)
      std::fprintf(stderr, "dkim: %s d=%s s=%s %s\n", std::string(to_string(r.result)).c_str(),
                   r.domain.c_str(), r.selector.c_str(), r.reason.c_str());
  // No pass without one of our keys: only football.example.com has any.
  for (const auto& r : results) {
    if (r.result != Outcome::Pass) continue;
    std::string d = to_lower(r.domain), s = to_lower(r.selector);
    if (!d.empty() && d.back() == '.') d.pop_back();
    FUZZ_CHECK(d == "football.example.com");
    FUZZ_CHECK(s == "brisbane" || s == "test" || (s == "fuzz" && key_added));
  }
  return 0;
}
