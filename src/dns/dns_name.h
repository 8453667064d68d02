// Domain names as text, one form for every resolver (RFC 1035 §2.3.4, §5.1): absolute,
// lowercase, trailing dot; letters, digits, '-' and '_' as they are, every other octet
// as \DDD ("foo:bar.example." -> "foo\058bar.example."). Pure. Leaves out IDNA.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace alignd {

// The wire-format name starting at wire[pos] (no compression pointers), as text; pos
// moves past it. nullopt if malformed (label over 63, name over 255 octets, truncated).
std::optional<std::string> wire_name_to_text(std::string_view wire, size_t& pos);

// A name as callers write it, in the form above: \DDD (RFC 1035 §5.1) is the octet
// DDD, so names handed out in this form read back to themselves; any other octet, a
// space too, stands for itself; a final dot is optional. nullopt if it cannot be a DNS
// name: empty (the root is "."), an empty label, a label over 63 or a name over 255
// octets on the wire, a backslash not followed by three digits up to 255 (\X escapes
// are not taken: a stray backslash in a name is more likely an attack than intent).
std::optional<std::string> canonical_name(std::string_view text);

}  // namespace alignd
