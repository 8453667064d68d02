// ARC header field reading; see arc_fields.h.
#include "auth/arc_fields.h"

#include <set>

#include "auth/dkim_tags.h"
#include "core/arc/aar.h"
#include "core/text.h"

namespace alignd {

std::optional<ArcFieldKind> arc_field_kind(std::string_view name) {
  name = trim(name);
  if (iequals(name, "ARC-Authentication-Results")) return ArcFieldKind::Aar;
  if (iequals(name, "ARC-Message-Signature")) return ArcFieldKind::Ams;
  if (iequals(name, "ARC-Seal")) return ArcFieldKind::Seal;
  return std::nullopt;
}

std::string tag_value(const TagList& tags, std::string_view name) {
  for (const auto& [n, v] : tags)
    if (n == name) return v;
  return {};
}

bool has_tag(const TagList& tags, std::string_view name) {
  for (const auto& [n, v] : tags)
    if (n == name) return true;
  return false;
}

std::vector<ArcField> read_arc_fields(const HeaderList& headers) {
  std::vector<ArcField> out;
  for (size_t i = 0; i < headers.size(); ++i) {
    auto kind = arc_field_kind(headers[i].name);
    if (!kind) continue;
    ArcField f;
    f.header_index = i;
    f.facts.kind = *kind;
    if (*kind == ArcFieldKind::Aar) {
      f.facts.instance = parse_arc_instance(aar_instance_digits(headers[i].value));
    } else {
      f.tags = parse_dkim_tags(headers[i].value);
      std::set<std::string> seen;
      bool duplicate = false;
      for (const auto& [n, v] : f.tags)
        if (!seen.insert(n).second) duplicate = true;
      if (!duplicate) f.facts.instance = parse_arc_instance(tag_value(f.tags, "i"));
      f.facts.cv = to_lower(tag_value(f.tags, "cv"));
      f.facts.has_h = has_tag(f.tags, "h");
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::string strip_b_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  size_t i = 0;
  while (i <= v.size()) {
    size_t semi = v.find(';', i);
    std::string_view spec =
        v.substr(i, semi == std::string_view::npos ? std::string_view::npos : semi - i);
    size_t eq = spec.find('=');
    if (eq != std::string_view::npos && trim(spec.substr(0, eq)) == "b") {
      out.append(spec.substr(0, eq + 1));
    } else {
      out.append(spec);
    }
    if (semi == std::string_view::npos) break;
    out += ';';
    i = semi + 1;
  }
  return out;
}

}  // namespace alignd
