// A lenient reader of DKIM tag=value lists (RFC 6376 §3.2), for what we need to
// know about a DKIM-Signature without libopendkim: d=, s=, a=, b= of signatures it
// rejected, and whether a message already carries our signature. Not a validator.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/header.h"

namespace alignd {

// Tags in order. Names are case-sensitive (RFC 6376 §3.2) and kept as written;
// values have all folding whitespace removed (FWS is never significant in the
// tags we read). Pieces without '=' are skipped.
std::vector<std::pair<std::string, std::string>> parse_dkim_tags(std::string_view list);

// The value of the first tag named `name`, if any.
std::optional<std::string> dkim_tag(std::string_view list, std::string_view name);

// True if `h` is a DKIM-Signature field (name compared case-insensitively).
bool is_dkim_signature(const HeaderField& h);

}  // namespace alignd
