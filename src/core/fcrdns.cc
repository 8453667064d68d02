// FCrDNS: PTR, then the PTR names' A/AAAA back to the client IP; see fcrdns.h.
#include "core/fcrdns.h"

#include "core/cidr.h"
#include "core/text.h"

namespace alignd {

namespace {
std::string comma_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}
}  // namespace

std::optional<std::string> reverse_dns_name(std::string_view ip) {
  auto a = parse_ip(ip);
  if (!a) return std::nullopt;
  const auto& b = a->second;
  std::string out;
  if (!a->first) {
    for (int i = 3; i >= 0; --i) out += std::to_string(b[i]) + ".";
    return out + "in-addr.arpa";
  }
  static const char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    out += kHex[b[i] & 0xf];
    out += '.';
    out += kHex[b[i] >> 4];
    out += '.';
  }
  return out + "ip6.arpa";
}

ClientNames forward_confirmed_names(std::string_view ip, const DnsLookup& dns, size_t max_names) {
  ClientNames out;
  auto rev = reverse_dns_name(ip);
  auto addr = parse_ip(ip);
  if (!rev || !addr) {
    out.status = "invalid-ip";
    out.detail = "client address '" + std::string(ip) + "' is not an IP address";
    return out;
  }
  DnsAnswer ptr = dns(*rev, RrType::PTR);
  if (ptr.status == DnsStatus::TempFail) {
    out.status = "temperror";
    out.detail = "PTR " + *rev + ": " + std::string(to_string(ptr.status));
    return out;
  }
  if (ptr.status != DnsStatus::Ok || ptr.records.empty()) {
    out.status = "none";
    out.detail = "no PTR name for " + std::string(ip);
    return out;
  }
  bool temp = false;
  std::vector<std::string> unconfirmed;
  const RrType type = addr->first ? RrType::AAAA : RrType::A;
  for (size_t i = 0; i < ptr.records.size() && i < max_names; ++i) {
    const std::string name = normalize_domain(ptr.records[i]);
    if (name.empty()) continue;
    DnsAnswer fwd = dns(name, type);
    if (fwd.status == DnsStatus::TempFail) temp = true;
    bool back = false;
    for (const auto& rec : fwd.records) {
      auto b = parse_ip(rec);
      if (b && *b == *addr) back = true;
    }
    (back ? out.verified : unconfirmed).push_back(name);
  }
  if (!out.verified.empty()) {
    out.status = "verified";
    out.detail = "client " + std::string(ip) + " is " + comma_list(out.verified) + " (FCrDNS)";
  } else {
    out.status = temp ? "temperror" : "none";
    out.detail = "no PTR name of " + std::string(ip) + " resolves back to it (" +
                 comma_list(unconfirmed) + (temp ? "; a lookup failed temporarily" : "") + ")";
  }
  return out;
}

}  // namespace alignd
