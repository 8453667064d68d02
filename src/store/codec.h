// Text encoding of an evaluation's lists (DKIM results, override reasons, ARC
// sealers) for one TEXT column: items separated by LF, fields by TAB, "\\", "\t",
// "\n" escaped.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/report/evaluation.h"

namespace alignd {

std::string encode_fields(const std::vector<std::vector<std::string>>& items);
std::vector<std::vector<std::string>> decode_fields(std::string_view text);

std::string encode_dkim(const std::vector<DkimAuth>& v);
std::vector<DkimAuth> decode_dkim(std::string_view text);
std::string encode_overrides(const std::vector<OverrideReason>& v);
std::vector<OverrideReason> decode_overrides(std::string_view text);
// ARC sealers: "i TAB d TAB s" per instance.
std::string encode_arc_sealers(const std::vector<ArcSetSealer>& v);
std::vector<ArcSetSealer> decode_arc_sealers(std::string_view text);

}  // namespace alignd
