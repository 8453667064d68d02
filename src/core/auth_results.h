// The Authentication-Results header field (RFC 8601): a model, its formatter
// (folded at 78 columns, every value we did not produce quoted or dropped so no
// header injection is possible) and a parser used to find forged fields that
// claim our authserv-id (RFC 8601 §5). Pure.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alignd {

struct AuthProperty {
  std::string ptype;     // "smtp", "header", "policy", "body"
  std::string property;  // "mailfrom", "d", "from", ...
  std::string value;     // raw; the formatter quotes it when it is not a plain token
};

struct AuthMethodResult {
  std::string method;   // "spf", "dkim", "dmarc", "auth"
  std::string result;   // "pass", "fail", ...
  std::string comment;  // optional, written as "(comment)" after the result
  std::string reason;   // optional reason="..." (RFC 8601 §2.2)
  std::vector<AuthProperty> props;
};

struct AuthResults {
  std::string authserv_id;
  std::vector<AuthMethodResult> results;  // empty = "none" (RFC 8601 §2.2)

  // The field value (without "Authentication-Results:"), folded with `newline`
  // followed by a tab, so that no line of "Authentication-Results: " + value
  // exceeds 78 characters unless a single word is longer.
  std::string format(std::string_view newline = "\n") const;
};

// RFC 8601 §2.2 `value`: returns v as a token, or as a quoted-string when it
// contains anything else. Control characters (CR, LF, NUL, ...) are dropped.
std::string ar_value(std::string_view v);
// Comment text safe inside "( )": controls dropped, parentheses and backslashes escaped.
std::string ar_comment(std::string_view c);

struct ParsedAuthResults {
  std::string authserv_id;
  std::vector<AuthMethodResult> results;
};
// Parses a received field value. nullopt when even the authserv-id is missing.
// Lenient about what follows the authserv-id (results that fail to parse are skipped).
std::optional<ParsedAuthResults> parse_auth_results(std::string_view value);

// RFC 8601 §5: does this field claim to come from us? Case-insensitive, comments
// skipped, and a trailing dot ignored on either side ("mx.example." is "mx.example").
bool claims_authserv_id(std::string_view value, std::string_view our_id);

}  // namespace alignd
