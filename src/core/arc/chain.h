// The structure of an Authenticated Received Chain (RFC 8617 §5.2 steps 1-3):
// instance numbers 1..50, exactly one AAR, AMS and AS per instance (§4.2.1), no
// gaps, cv= none only at i=1 and pass above it, a newest cv=fail ends the chain, no
// h= in an ARC-Seal (§4.1.3). Pure: it takes the facts already read from each field
// (src/auth/arc_fields.h does the reading); signatures are checked elsewhere.
#pragma once
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/outcome.h"

namespace alignd {

enum class ArcFieldKind { Aar, Ams, Seal };

inline constexpr int kArcMaxInstance = 50;  // RFC 8617 §4.2.1

// What one ARC header field says about its place in the chain.
struct ArcFieldFacts {
  ArcFieldKind kind = ArcFieldKind::Aar;
  std::optional<int> instance;  // i=, nullopt when missing or not a number in 1..999
  std::string cv;               // ARC-Seal cv=, lowercase ("" if absent)
  bool has_h = false;           // ARC-Seal with an h= tag
};

struct ArcStructure {
  Outcome status = Outcome::None;  // None (no ARC fields), Pass (structure valid), Fail
  std::string reason;              // for Fail
  int max_instance = 0;            // N: the highest valid instance number seen
  bool latest_cv_fail = false;     // the ARC-Seal of instance N says cv=fail
  // For Pass: sets[i-1] = indexes into the facts of {AAR, AMS, AS} of instance i.
  std::vector<std::array<size_t, 3>> sets;
};

ArcStructure check_arc_structure(const std::vector<ArcFieldFacts>& fields);

// RFC 8617 §4.2.1: an instance tag value "1".."50" (digits only, no sign, no
// leading zero beyond a lone digit); nullopt otherwise. Values 51..999 are returned
// so that the caller can report "more than 50 sets" (§5.2 step 1).
std::optional<int> parse_arc_instance(std::string_view digits);

std::string_view to_string(ArcFieldKind k);

}  // namespace alignd
