// HttpServer: routes and the gathering of what the page and /metrics show
// (runtime snapshot, writer stats, StatusReader); see http_server.h.
#include "app/http_server.h"

#include <httplib.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "app/http_listen.h"
#include "app/metrics_text.h"
#include "app/status_page.h"
#include "core/log.h"
#include "metrics/alignd_metrics.h"
#include "metrics/exposition.h"
#include "milter/recent_verdicts.h"
#include "store/status_reader.h"

namespace alignd {

std::string basic_auth_header(const std::string& user, const std::string& password) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = user + ":" + password;
  std::string out = "Basic ";
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v =
        (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += k[v >> 18 & 63], out += k[v >> 12 & 63], out += k[v >> 6 & 63], out += k[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    out += k[v >> 18 & 63], out += k[v >> 12 & 63], out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += k[v >> 18 & 63], out += k[v >> 12 & 63], out += k[v >> 6 & 63], out += '=';
  }
  return out;
}

bool authorization_matches(std::string_view got, std::string_view expected) {
  unsigned diff = got.size() ^ expected.size();
  for (size_t i = 0; i < expected.size(); ++i)
    diff |= static_cast<unsigned char>(i < got.size() ? got[i] : 0) ^
            static_cast<unsigned char>(expected[i]);
  return diff == 0;
}

struct HttpServer::State {
  const RuntimeHolder& holder;
  const Services& services;
  std::string version;
  Config::Http http;
  std::string store_url;
  std::string expected_auth;  // "" = no auth
  double start_time = 0;
  std::mutex reader_mu;  // a StatusReader is used by one thread at a time
  std::unique_ptr<StatusReader> reader;

  std::vector<KeyExpiry> keys() const {
    std::vector<KeyExpiry> out;
    for (const auto& k : holder.get()->signing_keys) {
      KeyExpiry e{k.domain, k.selector, k.algorithm, k.bits, {}, {}};
      if (k.not_before) e.not_before = static_cast<std::int64_t>(*k.not_before);
      if (k.not_after) e.not_after = static_cast<std::int64_t>(*k.not_after);
      out.push_back(std::move(e));
    }
    return out;
  }

  std::string metrics_text() {
    MetricsInputs in;
    in.version = version;
    in.start_time = start_time;
    if (auto* w = services.writer()) {
      in.store_enabled = true;
      in.writer = w->stats();
      in.queue_depth = w->queued();
      in.queue_capacity = static_cast<std::uint64_t>(holder.get()->config.store.queue_capacity);
    }
    in.keys = keys();
    if (reader) {
      std::lock_guard lock(reader_mu);
      try {
        in.report_sends = reader->report_sends();
        const std::int64_t now = std::time(nullptr);
        in.reports_due = reader->reports_due(now, now - 30 * 86400);
      } catch (const std::exception& e) {
        log_warning(std::string("http: /metrics: store: ") + e.what());
      }
    }
    return render_metrics(metrics(), in);
  }

  std::string page() {
    StatusData d;
    d.now = std::time(nullptr);
    auto rt = holder.get();
    d.authserv_id = rt->config.authserv_id;
    d.version = version;
    d.days = http.days;
    d.keys = keys();
    d.verdicts = recent_verdicts().latest(static_cast<size_t>(http.recent));
    d.store_enabled = reader != nullptr;
    if (reader) {
      std::lock_guard lock(reader_mu);
      try {
        const std::int64_t since = d.now - d.now % 86400 - (d.days - 1) * std::int64_t{86400};
        d.rates = reader->pass_rates(since);
        d.failing = reader->failing_sources(since, 5);
        d.latest = reader->latest(http.recent);
        d.queue = reader->report_queue(d.now, since);
      } catch (const std::exception& e) {
        d.store_error = e.what();
      }
    }
    return render_status_page(d);
  }

  bool authorized(const httplib::Request& req, httplib::Response& res) const {
    if (expected_auth.empty()) return true;
    if (authorization_matches(req.get_header_value("Authorization"), expected_auth)) return true;
    res.status = 401;
    res.set_header("WWW-Authenticate", "Basic realm=\"alignd\", charset=\"UTF-8\"");
    res.set_content("authentication required\n", "text/plain");
    return false;
  }
};

HttpServer::HttpServer(const Config& cfg, const RuntimeHolder& holder, const Services& services,
                       std::string version)
    : state_(
          new State{holder, services, std::move(version), cfg.http, cfg.store.url, "", 0, {}, {}}),
      server_(std::make_unique<httplib::Server>()) {
  auto ep = parse_http_listen(cfg.http.listen);
  if (!ep) throw std::runtime_error("http.listen: '" + cfg.http.listen + "' is not HOST:PORT");
  if (!cfg.http.user.empty() || !cfg.http.password_file.empty()) {
    std::ifstream in(cfg.http.password_file);
    std::string password;
    if (!in || !std::getline(in, password))
      throw std::runtime_error("http.password_file: cannot read '" + cfg.http.password_file + "'");
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (cfg.http.user.empty() || password.empty())
      throw std::runtime_error("http: user and a non-empty password_file go together");
    state_->expected_auth = basic_auth_header(cfg.http.user, password);
  } else if (!ep->loopback) {
    throw std::runtime_error("http.listen " + cfg.http.listen +
                             " is not loopback: set http.user and http.password_file");
  }
  state_->start_time = static_cast<double>(std::time(nullptr));
  try {
    state_->reader = open_status_reader(cfg.store.url);
  } catch (const std::exception& e) {
    log_warning(std::string("http: status page without store: ") + e.what());
  }
  State* st = state_.get();
  // Two workers and short timeouts: a status page, not a web server.
  server_->new_task_queue = [] { return new httplib::ThreadPool(2); };
  server_->set_read_timeout(5, 0);
  server_->set_write_timeout(5, 0);
  server_->Get("/metrics", [st](const httplib::Request& req, httplib::Response& res) {
    if (!st->authorized(req, res)) return;
    res.set_content(st->metrics_text(), Exposition::kContentType);
  });
  server_->Get("/", [st](const httplib::Request& req, httplib::Response& res) {
    if (!st->authorized(req, res)) return;
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(st->page(), "text/html; charset=utf-8");
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        log_error("http: " + what);
        res.status = 500;
        res.set_content("internal error\n", "text/plain");
      });
  if (!server_->bind_to_port(ep->host, ep->port))
    throw std::runtime_error("http.listen: cannot bind " + cfg.http.listen);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  log_info("http: listening on " + cfg.http.listen +
           (state_->expected_auth.empty() ? "" : " (basic auth)"));
}

HttpServer::~HttpServer() {
  // stop() only acts on a running server: give a just-started thread time to get there.
  for (int i = 0; i < 200 && !server_->is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace alignd
