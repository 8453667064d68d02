// Reads the ARC header fields of a message (RFC 8617 §4.1): which fields are
// ARC-Authentication-Results / ARC-Message-Signature / ARC-Seal, their instance
// tags and, for AMS and AS, their tag lists (dkim_tags.h). Also the RFC 6376 §3.7
// "b= emptied" form of a signature field that both verifying and sealing hash.
// Leaves out the chain rules (core/arc/chain.h) and signatures (arc_verifier.h).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/arc/chain.h"
#include "core/header.h"

namespace alignd {

using TagList = std::vector<std::pair<std::string, std::string>>;

struct ArcField {
  size_t header_index = 0;  // into the HeaderList read
  TagList tags;             // AMS and AS; empty for an AAR
  ArcFieldFacts facts;
};

std::optional<ArcFieldKind> arc_field_kind(std::string_view field_name);

// Every ARC field in header order. A tag named twice (RFC 6376 §3.2: invalid) or a
// missing/non-numeric i= leaves facts.instance empty, which fails the chain.
std::vector<ArcField> read_arc_fields(const HeaderList& headers);

// The value of tag `name`, "" if absent.
std::string tag_value(const TagList& tags, std::string_view name);
bool has_tag(const TagList& tags, std::string_view name);

// RFC 6376 §3.7: `value` with everything between "b=" and the next ';' (or the
// end) deleted. Tag names are compared exactly ("bh" is not "b").
std::string strip_b_value(std::string_view value);

}  // namespace alignd
