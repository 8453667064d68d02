// A lenient reader of DKIM tag=value lists (RFC 6376 §3.2), for what we need to
// know about a DKIM-Signature before or without validating it: d=, s=, a=, b= of
// malformed signatures, whether a message already carries our signature, and the
// b= prefixes that name signatures in Authentication-Results (RFC 6008). Not a validator.
#pragma once
#include <cstddef>
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

// RFC 6008 §4: the shortest prefix of each b= value, at least `min_len` characters,
// that tells the message's signatures apart. Same order as the input.
std::vector<std::string> unique_b_prefixes(const std::vector<std::string>& b_values,
                                           size_t min_len = 8);

}  // namespace alignd
