// [http] listen = "HOST:PORT" parsed: an IPv4 or bracketed IPv6 address (or
// "localhost") and a port. Loopback decides whether basic auth is required.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace alignd {

struct HttpEndpoint {
  std::string host;  // address as httplib binds it ("::1" without brackets)
  int port = 0;
  bool loopback = false;  // 127.0.0.0/8, ::1, localhost
};

std::optional<HttpEndpoint> parse_http_listen(std::string_view listen);

}  // namespace alignd
