// ASCII string helpers; see text.h.
#include "core/text.h"

namespace alignd {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

std::string_view trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string normalize_domain(std::string_view d) {
  d = trim(d);
  if (!d.empty() && d.back() == '.') d.remove_suffix(1);
  return to_lower(d);
}

bool domain_at_or_below(std::string_view name, std::string_view domain) {
  std::string n = normalize_domain(name), d = normalize_domain(domain);
  if (d.empty()) return false;
  if (n == d) return true;
  return n.size() > d.size() && n.compare(n.size() - d.size(), d.size(), d) == 0 &&
         n[n.size() - d.size() - 1] == '.';
}

}  // namespace alignd

namespace alignd {

std::string fold_header_value(std::string_view name, std::string_view value,
                              std::string_view newline) {
  constexpr size_t kWidth = 78;
  std::string out;
  size_t col = name.size() + 1;  // "Name:"
  size_t i = 0;
  while (i < value.size()) {
    size_t sp = value.find(' ', i + 1);
    std::string_view word = value.substr(i, sp == std::string_view::npos ? std::string_view::npos : sp - i);
    // `word` starts with the space that separates it from the previous one (except at i==0
    // when value does not start with a space).
    if (col + word.size() > kWidth && !out.empty() && word.size() > 1 && word[0] == ' ') {
      out += newline;
      out += '\t';
      out += word.substr(1);
      col = 8 + word.size() - 1;
    } else {
      out += word;
      col += word.size();
    }
    i += word.size();
  }
  return out;
}

}  // namespace alignd
