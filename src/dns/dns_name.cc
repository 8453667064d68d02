// Domain-name text <-> wire, in the one text form of dns_name.h (RFC 1035 §2.3.4, §5.1).
#include "dns/dns_name.h"

#include <cctype>
#include <cstdio>

namespace alignd {

namespace {

constexpr size_t kMaxLabel = 63, kMaxWire = 255;  // RFC 1035 §2.3.4

void append_label_octet(std::string& out, unsigned char c) {
  if (std::isalnum(c) || c == '-' || c == '_') {
    out += static_cast<char>(std::tolower(c));
  } else {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\%03u", c);
    out += buf;
  }
}

}  // namespace

std::optional<std::string> wire_name_to_text(std::string_view rd, size_t& pos) {
  std::string out;
  size_t wire = 0;
  for (;;) {
    if (pos >= rd.size()) return std::nullopt;
    auto len = static_cast<unsigned char>(rd[pos++]);
    ++wire;
    if (len == 0) break;
    if (len > kMaxLabel || pos + len > rd.size()) return std::nullopt;  // includes 0xC0 pointers
    wire += len;
    if (wire > kMaxWire) return std::nullopt;
    for (size_t k = 0; k < len; ++k)
      append_label_octet(out, static_cast<unsigned char>(rd[pos + k]));
    out += '.';
    pos += len;
  }
  return out.empty() ? "." : out;
}

std::optional<std::string> canonical_name(std::string_view s) {
  if (s == ".") return ".";
  if (s.empty()) return std::nullopt;
  std::string wire, label;
  auto end_label = [&]() {
    if (label.empty() || label.size() > kMaxLabel) return false;
    wire += static_cast<char>(label.size());
    wire += label;
    label.clear();
    return true;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (!end_label()) return std::nullopt;
      continue;
    }
    if (c == '\\') {  // RFC 1035 §5.1 \DDD: the octet DDD
      if (i + 3 >= s.size()) return std::nullopt;
      for (size_t k = 1; k <= 3; ++k)
        if (!std::isdigit(static_cast<unsigned char>(s[i + k]))) return std::nullopt;
      int v = (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
      if (v > 255) return std::nullopt;
      c = static_cast<char>(v);
      i += 3;
    }
    label += c;
    if (label.size() > kMaxLabel) return std::nullopt;
  }
  if (!label.empty() && !end_label()) return std::nullopt;
  if (wire.size() + 1 > kMaxWire) return std::nullopt;
  wire += '\0';
  size_t pos = 0;
  return wire_name_to_text(wire, pos);
}

}  // namespace alignd
