// Small string helpers used across the core: ASCII case folding, trimming, splitting.
// ASCII only on purpose: every protocol token we compare is ASCII (domains as A-labels).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace alignd {

char ascii_lower(char c);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
bool iends_with(std::string_view s, std::string_view suffix);
std::string_view trim(std::string_view s);  // spaces, tabs, CR, LF
std::vector<std::string_view> split(std::string_view s, char sep);
// Strips one trailing dot of an absolute domain name and lowercases it.
std::string normalize_domain(std::string_view d);
// True if `name` equals `domain` or is a subdomain of it (both normalized first).
bool domain_at_or_below(std::string_view name, std::string_view domain);

}  // namespace alignd

namespace alignd {

// RFC 5322 §2.2.3 folding: inserts `newline` + TAB at spaces so that no line of
// "Name: value" exceeds 78 characters where a space allows. `value` must not
// contain line breaks already.
std::string fold_header_value(std::string_view name, std::string_view value,
                              std::string_view newline = "\r\n");

}  // namespace alignd
