// Fuzzes reading ARC header fields (auth/arc_fields.h), the chain structure rules
// (core/arc/chain.h, RFC 8617 §5.2 steps 1-3) and AAR reading (core/arc/aar.h) on a
// header block. Checks: a valid structure has exactly one AAR/AMS/AS per instance
// 1..N with N ≤ 50; strip_b_value never grows a value and is idempotent.
#include <cstdint>
#include <string>

#include "auth/arc_fields.h"
#include "core/arc/aar.h"
#include "core/arc/chain.h"
#include "core/message.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  ParsedMessage m = parse_message(raw);
  auto fields = read_arc_fields(m.headers);
  std::vector<ArcFieldFacts> facts;
  for (const auto& f : fields) {
    FUZZ_CHECK(f.header_index < m.headers.size());
    FUZZ_CHECK(arc_field_kind(m.headers[f.header_index].name) == f.facts.kind);
    if (f.facts.instance) FUZZ_CHECK(*f.facts.instance >= 1 && *f.facts.instance <= 999);
    facts.push_back(f.facts);
    const std::string& v = m.headers[f.header_index].value;
    std::string s = strip_b_value(v);
    FUZZ_CHECK(s.size() <= v.size());
    FUZZ_CHECK(strip_b_value(s) == s);
    if (f.facts.kind == ArcFieldKind::Aar) (void)parse_aar(v);
  }
  ArcStructure st = check_arc_structure(facts);
  if (facts.empty()) FUZZ_CHECK(st.status == Outcome::None);
  if (st.status == Outcome::Fail) FUZZ_CHECK(!st.reason.empty());
  if (st.status == Outcome::Pass) {
    FUZZ_CHECK(st.max_instance >= 1 && st.max_instance <= kArcMaxInstance);
    FUZZ_CHECK(st.sets.size() == static_cast<size_t>(st.max_instance));
    FUZZ_CHECK(fields.size() == 3 * st.sets.size());
    for (size_t i = 0; i < st.sets.size(); ++i)
      for (size_t k = 0; k < 3; ++k) {
        const auto& f = facts[st.sets[i][k]];
        FUZZ_CHECK(static_cast<size_t>(f.kind) == k);
        FUZZ_CHECK(*f.instance == static_cast<int>(i + 1));
        if (k == 2) FUZZ_CHECK(f.cv == (i == 0 ? "none" : "pass"));
      }
  }
  return 0;
}
