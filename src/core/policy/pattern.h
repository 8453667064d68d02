// Patterns the policy language matches text with: shell-style globs and the
// domain patterns of from_domain / recipient_domain / mail_from_domain.
// ASCII case-insensitive; domains are compared as A-labels. Pure.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace alignd {

// '*' matches any run of characters (dots included), '?' exactly one; case-insensitive.
bool glob_match(std::string_view pattern, std::string_view text);

// One domain pattern as an administrator writes it:
//   "example.com"     exactly that domain
//   ".example.com"    any subdomain of example.com (not example.com itself)
//   "*.example.*"     a glob over the whole domain ('*', '?')
struct DomainPattern {
  enum Kind { Exact, Suffix, Glob };
  Kind kind = Exact;
  std::string text;  // normalized: lowercase, no trailing dot; Suffix keeps its leading dot
  bool matches(std::string_view domain) const;
};

// nullopt with `error` set for an empty pattern, whitespace, '@', or non-ASCII
// (internationalized names must be written as A-labels, "xn--...").
std::optional<DomainPattern> parse_domain_pattern(std::string_view s, std::string& error);

// The domain part of an address ("user@Example.COM" -> "example.com"); "" if none.
std::string address_domain(std::string_view address);

}  // namespace alignd
