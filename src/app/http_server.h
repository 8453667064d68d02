// The daemon's read-only HTTP listener ([http] listen, off by default), over
// cpp-httplib: GET /metrics (Prometheus text), GET / (status page). Optional
// HTTP basic auth ([http] user + password_file), required by the config
// loader off loopback. Runs its own threads; the milter path never waits on it.
#pragma once
#include <memory>
#include <string>
#include <thread>

#include "app/config.h"
#include "milter/runtime.h"
#include "milter/services.h"

namespace httplib {
class Server;
}

namespace alignd {

// "Basic " + base64(user:password) as a client sends it (RFC 7617).
std::string basic_auth_header(const std::string& user, const std::string& password);
// Constant-time comparison of a received Authorization value with the expected one.
bool authorization_matches(std::string_view got, std::string_view expected);

class HttpServer {
 public:
  // Binds now (throws std::runtime_error naming the address on failure) and
  // serves in a background thread. The holder and services outlive the server.
  HttpServer(const Config& cfg, const RuntimeHolder& holder, const Services& services,
             std::string version);
  ~HttpServer();  // stops and joins
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace alignd
