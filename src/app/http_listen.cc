// parse_http_listen; see http_listen.h.
#include "app/http_listen.h"

#include <arpa/inet.h>

#include <charconv>

namespace alignd {

std::optional<HttpEndpoint> parse_http_listen(std::string_view s) {
  HttpEndpoint ep;
  std::string_view host, port;
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':')
      return std::nullopt;
    host = s.substr(1, close - 1);
    port = s.substr(close + 2);
    in6_addr a6{};
    if (inet_pton(AF_INET6, std::string(host).c_str(), &a6) != 1) return std::nullopt;
    ep.loopback = IN6_IS_ADDR_LOOPBACK(&a6);
  } else {
    auto colon = s.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
    if (host == "localhost") {
      host = "127.0.0.1";
      ep.loopback = true;
    } else {
      in_addr a4{};
      if (inet_pton(AF_INET, std::string(host).c_str(), &a4) != 1) return std::nullopt;
      ep.loopback = (ntohl(a4.s_addr) >> 24) == 127;
    }
  }
  int p = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc() || ptr != port.data() + port.size() || p < 1 || p > 65535)
    return std::nullopt;
  ep.host = std::string(host);
  ep.port = p;
  return ep;
}

}  // namespace alignd
