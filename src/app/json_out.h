// JSON output of the subcommands (eval, simulate, check-domain) through
// nlohmann-json: ordered objects (keys in the order written) and one dump
// that never throws on the invalid UTF-8 a hostile message may carry.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace alignd {

using Json = nlohmann::ordered_json;

// Compact, one line, newline-terminated; invalid UTF-8 becomes U+FFFD.
std::string dump_json(const Json& j);

}  // namespace alignd
