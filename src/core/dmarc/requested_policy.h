// The Domain Owner Assessment Policy values of p=, sp= and np= (RFC 9989 §4.7).
// Shared by the record parser and DmarcResult; to_string lives in result.cc.
#pragma once
#include <optional>
#include <string_view>

namespace alignd {

enum class RequestedPolicy { None, Quarantine, Reject };
std::string_view to_string(RequestedPolicy p);
// "none" | "quarantine" | "reject", ASCII case-insensitive (RFC 9989 §4.8 dmarc-request).
std::optional<RequestedPolicy> parse_requested_policy(std::string_view s);

}  // namespace alignd
