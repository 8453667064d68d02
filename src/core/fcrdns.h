// Forward-confirmed reverse DNS (FCrDNS) of the client address: the PTR names
// of the IP whose own A/AAAA records lead back to that IP. Unlike the HELO name
// or the MTA's unverified PTR, such a name cannot be claimed by a client that
// does not control both the address's reverse zone and the name's forward zone.
// Used by the policy's `client_name` condition. Pure: DNS is passed in.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dns_types.h"

namespace alignd {

struct ClientNames {
  std::vector<std::string> verified;  // lowercase, no trailing dot, in PTR order
  // "verified" (at least one name), "none" (no PTR, or no PTR name points back),
  // "temperror" (a lookup failed temporarily and nothing verified), "invalid-ip".
  std::string status;
  std::string detail;  // one line, for the reason trace
};

// "192.0.2.5" -> "5.2.0.192.in-addr.arpa"; IPv6 nibbles under ip6.arpa (RFC 3596
// §2.5); an IPv4-mapped IPv6 address counts as IPv4. nullopt if not an address.
std::optional<std::string> reverse_dns_name(std::string_view ip);

// One PTR query, then A (IPv4) or AAAA (IPv6) for at most `max_names` of the
// names (RFC 7208 §5.5 uses the same bound of 10 for its "ptr" mechanism).
ClientNames forward_confirmed_names(std::string_view ip, const DnsLookup& dns,
                                    size_t max_names = 10);

}  // namespace alignd
