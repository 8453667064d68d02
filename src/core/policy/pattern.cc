// Glob and domain-pattern matching; see pattern.h.
#include "core/policy/pattern.h"

#include "core/text.h"

namespace alignd {

bool glob_match(std::string_view p, std::string_view t) {
  // Iterative matcher with one backtrack point per '*': linear in practice,
  // never exponential on hostile patterns or text.
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || ascii_lower(p[pi]) == ascii_lower(t[ti]))) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool DomainPattern::matches(std::string_view domain) const {
  std::string d = normalize_domain(domain);
  if (d.empty()) return false;
  switch (kind) {
    case Exact: return d == text;
    case Suffix:
      return d.size() > text.size() && d.compare(d.size() - text.size(), text.size(), text) == 0;
    case Glob: return glob_match(text, d);
  }
  return false;
}

std::optional<DomainPattern> parse_domain_pattern(std::string_view s, std::string& error) {
  std::string_view raw = s;
  if (!raw.empty() && raw.back() == '.' && raw.size() > 1) raw.remove_suffix(1);
  if (raw.empty() || raw == ".") {
    error = "empty domain pattern";
    return std::nullopt;
  }
  for (unsigned char c : raw) {
    if (c >= 0x80) {
      error = "domain pattern '" + std::string(s) +
              "' is not ASCII: write internationalized names as A-labels (xn--...)";
      return std::nullopt;
    }
    if (c <= ' ' || c == '@' || c == 0x7f) {
      error = "domain pattern '" + std::string(s) +
              "' must be a domain name, not an address or text with spaces";
      return std::nullopt;
    }
  }
  DomainPattern p;
  p.text = to_lower(raw);
  if (p.text.find_first_of("*?") != std::string::npos) {
    p.kind = DomainPattern::Glob;
  } else if (p.text.front() == '.') {
    p.kind = DomainPattern::Suffix;
    if (p.text.size() < 2) {
      error = "empty domain pattern";
      return std::nullopt;
    }
  }
  return p;
}

std::string address_domain(std::string_view address) {
  std::string_view a = trim(address);
  if (!a.empty() && a.front() == '<' && a.back() == '>') a = a.substr(1, a.size() - 2);
  auto at = a.rfind('@');
  if (at == std::string_view::npos) return "";
  return normalize_domain(a.substr(at + 1));
}

}  // namespace alignd
