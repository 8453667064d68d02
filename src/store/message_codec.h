// Text encoding of a MessageRecord's evidence (core/simulate/record.h) for the
// `messages` table's one `evidence` column: "key<TAB>value..." items, one a
// line, in store/codec.h's escaped TAB/LF form. Unknown keys are skipped on
// reading, so a newer alignd may add facts without a migration.
#pragma once
#include <string>
#include <string_view>

#include "core/simulate/record.h"

namespace alignd {

std::string encode_evidence(const Evidence& ev);
Evidence decode_evidence(std::string_view text);

}  // namespace alignd
