// CIDR networks (IPv4 and IPv6) and membership tests, for trusted_networks and
// policy conditions. Pure: parses text with inet_pton, no sockets.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alignd {

struct Cidr {
  bool v6 = false;
  std::array<std::uint8_t, 16> addr{};  // network address, host bits cleared
  int prefix = 0;                       // 0..32 or 0..128
  std::string text;                     // as written, for messages
};

// "192.0.2.0/24", "2001:db8::/32", or a bare address (a /32 or /128).
// An IPv4-mapped IPv6 address ("::ffff:192.0.2.1") matches IPv4 networks.
std::optional<Cidr> parse_cidr(std::string_view s);
bool cidr_contains(const Cidr& net, std::string_view ip);

// Parses an IP address into 16 bytes (IPv4 as v4 with v6=false).
std::optional<std::pair<bool, std::array<std::uint8_t, 16>>> parse_ip(std::string_view ip);

}  // namespace alignd
