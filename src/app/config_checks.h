// Checks of config values that name sockets and servers, so that a typo fails at
// load with file:line:column instead of listening somewhere else:
// [milter] socket (libmilter's unix:PATH, local:PATH, inet:PORT@HOST,
// inet6:PORT@HOST), [dns] servers ("IP" or "IP@PORT") and the port of a PostgreSQL
// [store] url. [http] listen: http_listen.h.
#pragma once
#include <string>
#include <string_view>

namespace alignd {

// "" when `spec` is a usable milter socket, else why not (with an example).
std::string milter_socket_problem(std::string_view spec);

// "" when `spec` is "IP" or "IP@PORT" (port 1..65535), else why not.
std::string dns_server_problem(std::string_view spec);

// "" when a postgresql:// or postgres:// URL has no port or a port 1..65535 after
// its host ("postgresql://user@db.example:5432/alignd"), else why not.
std::string postgres_url_problem(std::string_view url);

// "" for a port 1..65535 in decimal digits, else why not.
std::string port_problem(std::string_view port);

}  // namespace alignd
