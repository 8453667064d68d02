// DKIM tag=value list reader; see dkim_tags.h.
#include "auth/dkim_tags.h"

#include <algorithm>

#include "core/text.h"

namespace alignd {

namespace {
bool is_fws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string strip_fws(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (!is_fws(c)) out.push_back(c);
  return out;
}
}  // namespace

std::vector<std::pair<std::string, std::string>> parse_dkim_tags(std::string_view list) {
  std::vector<std::pair<std::string, std::string>> tags;
  for (std::string_view spec : split(list, ';')) {
    auto eq = spec.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name = strip_fws(spec.substr(0, eq));
    if (name.empty()) continue;
    tags.emplace_back(std::move(name), strip_fws(spec.substr(eq + 1)));
  }
  return tags;
}

std::optional<std::string> dkim_tag(std::string_view list, std::string_view name) {
  for (auto& [n, v] : parse_dkim_tags(list))
    if (n == name) return v;
  return std::nullopt;
}

bool is_dkim_signature(const HeaderField& h) {
  return iequals(trim(h.name), "DKIM-Signature");
}

std::vector<std::string> unique_b_prefixes(const std::vector<std::string>& b_values,
                                           size_t min_len) {
  std::vector<std::string> out;
  out.reserve(b_values.size());
  for (size_t i = 0; i < b_values.size(); ++i) {
    const std::string& b = b_values[i];
    size_t len = std::min(min_len, b.size());
    for (; len < b.size(); ++len) {
      bool clash = false;
      for (size_t j = 0; j < b_values.size() && !clash; ++j)
        if (j != i && b_values[j] != b && b_values[j].compare(0, len, b, 0, len) == 0 &&
            b_values[j].size() >= len)
          clash = true;
      if (!clash) break;
    }
    out.push_back(b.substr(0, len));
  }
  return out;
}

}  // namespace alignd
