// DKIM tag=value list reader; see dkim_tags.h.
#include "auth/dkim_tags.h"

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

}  // namespace alignd
