// ARC chain structure rules; see chain.h. RFC 8617 §5.2 steps 1-3.
#include "core/arc/chain.h"

namespace alignd {

std::string_view to_string(ArcFieldKind k) {
  switch (k) {
    case ArcFieldKind::Aar: return "ARC-Authentication-Results";
    case ArcFieldKind::Ams: return "ARC-Message-Signature";
    case ArcFieldKind::Seal: return "ARC-Seal";
  }
  return "?";
}

std::optional<int> parse_arc_instance(std::string_view d) {
  if (d.empty() || d.size() > 3) return std::nullopt;
  if (d.size() > 1 && d[0] == '0') return std::nullopt;
  int v = 0;
  for (char c : d) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < 1) return std::nullopt;
  return v;
}

ArcStructure check_arc_structure(const std::vector<ArcFieldFacts>& fields) {
  ArcStructure s;
  // Step 1: no ARC Sets at all: "none".
  if (fields.empty()) return s;
  auto fail = [&](std::string why) {
    s.status = Outcome::Fail;
    s.reason = std::move(why);
    s.sets.clear();
    return s;
  };
  for (const auto& f : fields) {
    if (!f.instance)
      return fail(std::string(to_string(f.kind)) + " without a valid instance tag i=");
    if (*f.instance > s.max_instance) s.max_instance = *f.instance;
  }
  // Step 1: at most 50 sets.
  if (s.max_instance > kArcMaxInstance)
    return fail("more than " + std::to_string(kArcMaxInstance) +
                " ARC Sets (i=" + std::to_string(s.max_instance) + ")");
  const int n = s.max_instance;
  // Step 2: the newest seal says the chain already failed.
  for (const auto& f : fields)
    if (f.kind == ArcFieldKind::Seal && *f.instance == n && f.cv == "fail") {
      s.latest_cv_fail = true;
      return fail("ARC-Seal i=" + std::to_string(n) + " says cv=fail");
    }
  // Step 3A/B: exactly one of each field for every instance 1..N.
  constexpr size_t kNone = static_cast<size_t>(-1);
  s.sets.assign(static_cast<size_t>(n), {kNone, kNone, kNone});
  for (size_t idx = 0; idx < fields.size(); ++idx) {
    const auto& f = fields[idx];
    size_t slot = static_cast<size_t>(f.kind);
    size_t& at = s.sets[static_cast<size_t>(*f.instance - 1)][slot];
    if (at != kNone)
      return fail("more than one " + std::string(to_string(f.kind)) +
                  " with i=" + std::to_string(*f.instance));
    at = idx;
  }
  for (int i = 1; i <= n; ++i)
    for (size_t slot = 0; slot < 3; ++slot)
      if (s.sets[static_cast<size_t>(i - 1)][slot] == kNone)
        return fail("ARC Set i=" + std::to_string(i) + " has no " +
                    std::string(to_string(static_cast<ArcFieldKind>(slot))));
  // Step 3C: cv= none at i=1, pass above; §4.1.3: no h= in an ARC-Seal.
  for (int i = 1; i <= n; ++i) {
    const auto& seal = fields[s.sets[static_cast<size_t>(i - 1)][2]];
    const char* want = i == 1 ? "none" : "pass";
    if (seal.cv != want)
      return fail("ARC-Seal i=" + std::to_string(i) +
                  " has cv=" + (seal.cv.empty() ? std::string("(missing)") : seal.cv) +
                  " (must be " + want + ")");
    if (seal.has_h) return fail("ARC-Seal i=" + std::to_string(i) + " has an h= tag");
  }
  s.status = Outcome::Pass;
  return s;
}

}  // namespace alignd
