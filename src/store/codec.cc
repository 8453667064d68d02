// Escaped TAB/LF encoding for list columns.
#include "store/codec.h"

namespace alignd {

std::string encode_fields(const std::vector<std::vector<std::string>>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += '\n';
    for (size_t f = 0; f < items[i].size(); ++f) {
      if (f) out += '\t';
      for (char c : items[i][f]) {
        switch (c) {
          case '\\': out += "\\\\"; break;
          case '\t': out += "\\t"; break;
          case '\n': out += "\\n"; break;
          default: out += c;
        }
      }
    }
  }
  return out;
}

std::vector<std::vector<std::string>> decode_fields(std::string_view text) {
  std::vector<std::vector<std::string>> items;
  if (text.empty()) return items;
  items.emplace_back(1);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      items.emplace_back(1);
    } else if (c == '\t') {
      items.back().emplace_back();
    } else if (c == '\\' && i + 1 < text.size()) {
      char n = text[++i];
      items.back().back() += n == 't' ? '\t' : n == 'n' ? '\n' : n;
    } else {
      items.back().back() += c;
    }
  }
  return items;
}

std::string encode_dkim(const std::vector<DkimAuth>& v) {
  std::vector<std::vector<std::string>> items;
  for (const auto& d : v) items.push_back({d.domain, d.selector, d.result, d.human_result});
  return encode_fields(items);
}

std::vector<DkimAuth> decode_dkim(std::string_view text) {
  std::vector<DkimAuth> out;
  for (auto& f : decode_fields(text)) {
    f.resize(4);
    out.push_back({f[0], f[1], f[2], f[3]});
  }
  return out;
}

std::string encode_overrides(const std::vector<OverrideReason>& v) {
  std::vector<std::vector<std::string>> items;
  for (const auto& o : v) items.push_back({o.type, o.comment});
  return encode_fields(items);
}

std::vector<OverrideReason> decode_overrides(std::string_view text) {
  std::vector<OverrideReason> out;
  for (auto& f : decode_fields(text)) {
    f.resize(2);
    out.push_back({f[0], f[1]});
  }
  return out;
}

std::string encode_arc_sealers(const std::vector<ArcSetSealer>& v) {
  std::vector<std::vector<std::string>> items;
  for (const auto& a : v) items.push_back({std::to_string(a.instance), a.domain, a.selector});
  return encode_fields(items);
}

std::vector<ArcSetSealer> decode_arc_sealers(std::string_view text) {
  std::vector<ArcSetSealer> out;
  for (auto& f : decode_fields(text)) {
    f.resize(3);
    int i = 0;
    for (char c : f[0]) i = c >= '0' && c <= '9' && i < 1000 ? i * 10 + (c - '0') : i;
    out.push_back({i, f[1], f[2]});
  }
  return out;
}

}  // namespace alignd
