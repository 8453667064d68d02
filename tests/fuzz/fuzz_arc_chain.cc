// Fuzzes ARC chain validation (auth/arc_verifier.h, RFC 8617 §5.2) of a whole
// message. Keys: s=fuzz d=arc.example is fixed (tests/data/arc/fuzz-rsa1024.key, used
// to make the seeds); s=x d=arc.example is the message's first X-Fuzz-Key field;
// s=temp answers TempFail. Checks: a pass has 1..50 sets, all sealed and signed at
// arc.example, oldest-pass in 0..N; a fail says why; no ARC field, no DNS query.
#include <cstdint>
#include <string>

#include "auth/arc_fields.h"
#include "auth/arc_verifier.h"
#include "core/message.h"
#include "core/text.h"
#include "fakes/fake_resolver.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;
using alignd::testing::FakeResolver;

namespace {
const char* kKey =
    "v=DKIM1; k=rsa; "
    "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC0BlB5nPxrJwdG1QvLUh86mTMD8aEiM3ofov+fXHkJ5+"
    "mVQx79iQ6b8Pu4Q+W/YBfAl/"
    "4EyWmafj0XH4L5pufbzqGcNGcpiowtq5nGqKzrL4Ku+"
    "bY0LoiSzKqP7Ua50AckNt2wDd5QxXjZovuiXKQCysSZmirYDh0tgml37fOo5wIDAQAB";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  ParsedMessage m = parse_message(raw);
  FakeResolver dns{{"fuzz._domainkey.arc.example.", RrType::TXT, kKey}};
  dns.fail("temp._domainkey.arc.example.", DnsStatus::TempFail);
  for (const auto& h : m.headers)
    if (iequals(h.name, "X-Fuzz-Key")) {
      dns.add("x._domainkey.arc.example.", RrType::TXT, std::string(trim(h.value)));
      break;
    }
  bool any_arc = !read_arc_fields(m.headers).empty();
  ArcVerifier v(dns, 1767225600);
  for (const auto& h : m.headers) v.header(h);
  v.end_of_headers();
  size_t chunk = 1 + size % 89;
  for (size_t i = 0; i < m.body.size(); i += chunk)
    v.body(std::string_view(m.body).substr(i, chunk));
  ArcResult r = v.finish();
  if (std::getenv("FUZZ_DEBUG"))
    std::fprintf(stderr, "arc: %s oldest-pass=%d %s\n", std::string(to_string(r.status)).c_str(),
                 r.oldest_pass, r.reason.c_str());
  FUZZ_CHECK(r.checked);
  if (!any_arc) {
    FUZZ_CHECK(r.status == Outcome::None);
    FUZZ_CHECK(dns.queries.empty());
  }
  if (r.status == Outcome::Fail) FUZZ_CHECK(!r.reason.empty());
  if (r.status == Outcome::Pass) {
    FUZZ_CHECK(!r.sets.empty() && r.sets.size() <= 50);
    FUZZ_CHECK(r.oldest_pass >= 0 && r.oldest_pass <= static_cast<int>(r.sets.size()));
    for (const auto& s : r.sets) {
      FUZZ_CHECK(s.seal_domain == "arc.example");
      FUZZ_CHECK(s.as_pass);
    }
    FUZZ_CHECK(r.sets.back().ams_pass && r.sets.back().ams_domain == "arc.example");
  }
  return 0;
}
