// Socket and server spec checks; see config_checks.h.
#include "app/config_checks.h"

#include <arpa/inet.h>

namespace alignd {
namespace {

bool ipv4(std::string_view s) {
  in_addr a{};
  return inet_pton(AF_INET, std::string(s).c_str(), &a) == 1;
}
bool ipv6(std::string_view s) {
  in6_addr a{};
  return inet_pton(AF_INET6, std::string(s).c_str(), &a) == 1;
}
// A host name as libmilter resolves it (letters, digits, '-', '.'; not all digits).
bool host_name_like(std::string_view s) {
  bool letter = false;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      letter = true;
    else if (!((c >= '0' && c <= '9') || c == '-' || c == '.'))
      return false;
  }
  return letter;
}

}  // namespace

std::string port_problem(std::string_view port) {
  if (port.empty()) return "no port";
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
    return "port '" + std::string(port) + "' is not a number";
  unsigned long p = std::stoul(std::string(port));
  if (p < 1 || p > 65535) return "port " + std::string(port) + " is outside 1..65535";
  return {};
}

std::string milter_socket_problem(std::string_view spec) {
  const std::string_view examples =
      " (e.g. \"unix:/run/alignd/milter.sock\", \"inet:8891@127.0.0.1\", \"inet6:8891@::1\")";
  auto colon = spec.find(':');
  std::string_view kind = colon == std::string_view::npos ? "" : spec.substr(0, colon);
  std::string_view rest = colon == std::string_view::npos ? "" : spec.substr(colon + 1);
  if (kind == "unix" || kind == "local") {
    if (rest.empty())
      return "'" + std::string(kind) + ":' needs a socket path" + std::string(examples);
    return {};
  }
  if (kind != "inet" && kind != "inet6")
    return "must start with unix:, local:, inet: or inet6:" + std::string(examples);
  auto at = rest.find('@');
  if (at == std::string_view::npos) {
    if (rest.find(':') != std::string_view::npos || ipv4(rest))
      return "libmilter writes " + std::string(kind) + ":PORT@HOST (Postfix writes " +
             std::string(kind) + ":HOST:PORT), e.g. \"" + std::string(kind) + ":8891@" +
             (kind == "inet" ? "127.0.0.1" : "::1") + "\"";
    return "needs a host: " + std::string(kind) + ":PORT@HOST, e.g. \"" + std::string(kind) + ":" +
           std::string(rest) + "@" + (kind == "inet" ? "127.0.0.1" : "::1") + "\"";
  }
  std::string_view port = rest.substr(0, at), host = rest.substr(at + 1);
  if (std::string p = port_problem(port); !p.empty()) return p + " in '" + std::string(spec) + "'";
  if (host.empty()) return "no host after '@' in '" + std::string(spec) + "'";
  bool ok =
      kind == "inet" ? ipv4(host) || host_name_like(host) : ipv6(host) || host_name_like(host);
  if (!ok)
    return "'" + std::string(host) + "' is not an " + (kind == "inet" ? "IPv4" : "IPv6") +
           " address or host name";
  return {};
}

std::string postgres_url_problem(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view auth = url.substr(scheme + 3);
  auth = auth.substr(0, auth.find_first_of("/?"));
  if (auto at = auth.rfind('@'); at != std::string_view::npos) auth = auth.substr(at + 1);
  if (auth.find(',') != std::string_view::npos) return {};  // several hosts: libpq's business
  std::string_view port;
  if (!auth.empty() && auth.front() == '[') {  // [IPv6]:port
    auto close = auth.find(']');
    if (close == std::string_view::npos) return "no ']' after the IPv6 address";
    if (close + 1 < auth.size()) {
      if (auth[close + 1] != ':') return "junk after ']'";
      port = auth.substr(close + 2);
      if (port.empty()) return "no port after ':'";
    }
  } else if (auto colon = auth.rfind(':'); colon != std::string_view::npos) {
    port = auth.substr(colon + 1);
    if (port.empty()) return "no port after ':'";
  }
  return port.empty() ? std::string() : port_problem(port);
}

std::string dns_server_problem(std::string_view spec) {
  std::string_view ip = spec, port;
  bool has_port = false;
  if (auto at = spec.find('@'); at != std::string_view::npos)
    ip = spec.substr(0, at), port = spec.substr(at + 1), has_port = true;
  if (!ipv4(ip) && !ipv6(ip))
    return "'" + std::string(ip) + "' is not an IP address (\"IP\" or \"IP@PORT\")";
  if (has_port)
    if (std::string p = port_problem(port); !p.empty()) return p;
  return {};
}

}  // namespace alignd
