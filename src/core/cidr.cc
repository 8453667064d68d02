// CIDR parsing and matching; see cidr.h.
#include "core/cidr.h"

#include <arpa/inet.h>

#include <charconv>

namespace alignd {

std::optional<std::pair<bool, std::array<std::uint8_t, 16>>> parse_ip(std::string_view ip) {
  std::string s(ip);
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (s.rfind("IPv6:", 0) == 0) s = s.substr(5);  // RFC 5321 address literal tag
  std::array<std::uint8_t, 16> a{};
  if (inet_pton(AF_INET, s.c_str(), a.data()) == 1) return std::make_pair(false, a);
  if (inet_pton(AF_INET6, s.c_str(), a.data()) == 1) {
    static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(kMapped, kMapped + 12, a.begin())) {
      std::array<std::uint8_t, 16> v4{};
      std::copy(a.begin() + 12, a.end(), v4.begin());
      return std::make_pair(false, v4);
    }
    return std::make_pair(true, a);
  }
  return std::nullopt;
}

std::optional<Cidr> parse_cidr(std::string_view s) {
  Cidr c;
  c.text = std::string(s);
  auto slash = s.find('/');
  auto ip = parse_ip(s.substr(0, slash));
  if (!ip) return std::nullopt;
  c.v6 = ip->first;
  c.addr = ip->second;
  int max = c.v6 ? 128 : 32;
  c.prefix = max;
  if (slash != std::string_view::npos) {
    auto p = s.substr(slash + 1);
    if (p.empty() || p.size() > 3) return std::nullopt;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), c.prefix);
    if (ec != std::errc() || ptr != p.data() + p.size() || c.prefix < 0 || c.prefix > max)
      return std::nullopt;
  }
  for (int bit = c.prefix; bit < 128; ++bit)
    c.addr[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  return c;
}

bool cidr_contains(const Cidr& net, std::string_view ip) {
  auto a = parse_ip(ip);
  if (!a || a->first != net.v6) return false;
  for (int bit = 0; bit < net.prefix; ++bit) {
    std::uint8_t mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    if ((a->second[bit / 8] & mask) != (net.addr[bit / 8] & mask)) return false;
  }
  return true;
}

}  // namespace alignd
