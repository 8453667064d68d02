// [http]: listen address parsing, basic auth, the /metrics text and the status
// page rendering (app/http_listen.h, http_server.h, metrics_text.h, status_page.h).
#include <catch2/catch.hpp>

#include "app/config.h"
#include "app/http_listen.h"
#include "app/http_server.h"
#include "app/metrics_text.h"
#include "app/status_page.h"

using namespace alignd;

TEST_CASE("http.listen: HOST:PORT, loopback or not", "[http]") {
  static const struct {
    const char* in;
    bool ok;
    const char* host;
    int port;
    bool loopback;
  } cases[] = {
      {"127.0.0.1:8891", true, "127.0.0.1", 8891, true},
      {"127.0.0.2:1", true, "127.0.0.2", 1, true},
      {"localhost:8891", true, "127.0.0.1", 8891, true},
      {"[::1]:8891", true, "::1", 8891, true},
      {"0.0.0.0:8891", true, "0.0.0.0", 8891, false},
      {"192.0.2.1:80", true, "192.0.2.1", 80, false},
      {"[2001:db8::1]:8891", true, "2001:db8::1", 8891, false},
      {"8891", false, "", 0, false},
      {"127.0.0.1:", false, "", 0, false},
      {"127.0.0.1:65536", false, "", 0, false},
      {"127.0.0.1:80x", false, "", 0, false},
      {"example.com:80", false, "", 0, false},
      {"::1:8891", false, "", 0, false},
      {"[::1]8891", false, "", 0, false},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto ep = parse_http_listen(c.in);
    REQUIRE(ep.has_value() == c.ok);
    if (!ep) continue;
    CHECK(ep->host == c.host);
    CHECK(ep->port == c.port);
    CHECK(ep->loopback == c.loopback);
  }
}

TEST_CASE("[http] config: off by default, auth required off loopback", "[http]") {
  CHECK(default_config().http.listen.empty());
  Config c = parse_config("[http]\nlisten = \"127.0.0.1:8891\"\n", "t.toml");
  CHECK(c.http.listen == "127.0.0.1:8891");
  CHECK_THROWS_WITH(parse_config("[http]\nlisten = \"0.0.0.0:8891\"\n", "t.toml"),
                    Catch::Contains("t.toml:2:") && Catch::Contains("not a loopback address"));
  CHECK_THROWS_WITH(parse_config("[http]\nlisten = \"nowhere\"\n", "t.toml"),
                    Catch::Contains("HOST:PORT"));
  CHECK_NOTHROW(
      parse_config("[http]\nlisten = \"0.0.0.0:8891\"\nuser = \"ops\"\npassword_file = "
                   "\"/etc/alignd/http.pw\"\n",
                   "t.toml"));
  CHECK_THROWS(parse_config("[http]\nlisten = \"127.0.0.1:8891\"\nbogus = 1\n", "t.toml"));
}

TEST_CASE("basic auth: RFC 7617 encoding, exact comparison", "[http]") {
  CHECK(basic_auth_header("Aladdin", "open sesame") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  CHECK(basic_auth_header("a", "b") == "Basic YTpi");
  CHECK(basic_auth_header("ab", "c") == "Basic YWI6Yw==");
  const std::string good = basic_auth_header("ops", "s3cret");
  CHECK(authorization_matches(good, good));
  CHECK_FALSE(authorization_matches("", good));
  CHECK_FALSE(authorization_matches(good + "x", good));
  CHECK_FALSE(authorization_matches(basic_auth_header("ops", "s3creT"), good));
}

TEST_CASE("render_metrics: every family has HELP and TYPE, inputs are shown", "[http]") {
  Metrics m;
  m.messages[0][3].inc(2);
  m.rule_hits.inc("dmarc-reject");
  m.dkim[1][0][4].inc();
  MetricsInputs in;
  in.version = "9.9";
  in.store_enabled = true;
  in.writer.written = 7;
  in.queue_depth = 3;
  in.keys.push_back({"example.com", "s1", "rsa-sha256", 2048, std::nullopt, 1800000000});
  in.report_sends = ReportSendTotals{4, 1, 2, 3, 0, 5};
  const std::string t = render_metrics(m, in);
  static const char* want[] = {
      "alignd_build_info{version=\"9.9\"} 1\n",
      "alignd_messages_total{direction=\"inbound\",verdict=\"reject\"} 2\n",
      "alignd_rule_hits_total{rule=\"dmarc-reject\"} 1\n",
      "alignd_dkim_results_total{result=\"pass\",algorithm=\"rsa-sha256\",key_bits=\"2048\"} 1\n",
      "alignd_store_queue_depth 3\n",
      "alignd_store_evaluations_written_total 7\n",
      "alignd_report_deliveries{state=\"sent\"} 4\n",
      "alignd_report_deliveries{state=\"failed\"} 1\n",
      "alignd_report_deliveries{state=\"refused\"} 2\n",
      "alignd_report_deliveries{state=\"too_big\"} 3\n",
      "alignd_report_deliveries{state=\"claimed\"} 0\n",
      "alignd_report_failed_attempts 5\n",
      "alignd_signing_key_not_after_timestamp_seconds{domain=\"example.com\",selector=\"s1\"} "
      "1800000000\n",
      "# TYPE alignd_eom_duration_seconds histogram\n",
      "alignd_config_reloads_total{result=\"failure\"} 0\n",
  };
  for (const char* w : want) CHECK_THAT(t, Catch::Contains(w));
  // Each # TYPE is followed only by samples of its own family.
  std::string family;
  size_t pos = 0;
  while (pos < t.size()) {
    size_t nl = t.find('\n', pos);
    std::string line = t.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.rfind("# TYPE ", 0) == 0)
      family = line.substr(7, line.find(' ', 7) - 7);
    else if (line[0] != '#') {
      INFO(line);
      CHECK(line.rfind(family, 0) == 0);
    }
  }
}

TEST_CASE("status page: SVG per domain, escaped values, sections", "[http]") {
  StatusData d;
  d.now = 1796342400 + 3600;  // 2026-12-04 01:00 UTC
  d.days = 7;
  d.authserv_id = "mx.example.net";
  d.store_enabled = true;
  d.rates = {{"example.com", 1796342400, 4, 3},
             {"example.com", 1796342400 - 86400, 2, 2},
             {"<evil>.example", 1796342400, 1, 0}};
  d.failing = {{"example.com", "203.0.113.5", 1, 1796342500}};
  RecentVerdict v;
  v.time = d.now;
  v.action = "reject";
  v.rule = "dmarc-reject";
  v.trace = {"dmarc=fail for example.com", "p=reject"};
  d.verdicts = {v};
  d.keys = {{"example.com", "s1", "ed25519-sha256", 256, std::nullopt, d.now + 5 * 86400}};
  const std::string html = render_status_page(d);
  CHECK_THAT(html, Catch::Contains("<svg"));
  CHECK_THAT(html, Catch::Contains("example.com — 83.3% pass (5/6)"));
  CHECK_THAT(html, Catch::Contains("&lt;evil&gt;.example"));
  CHECK_THAT(html, !Catch::Contains("<evil>"));
  CHECK_THAT(html, Catch::Contains("203.0.113.5"));
  CHECK_THAT(html, Catch::Contains("<li>p=reject</li>"));
  CHECK_THAT(html, Catch::Contains("5 days"));
  CHECK_THAT(html, !Catch::Contains("<script"));

  const std::string svg =
      pass_rate_svg("example.com", {d.rates[0], d.rates[1]}, 1796342400 - 6 * 86400, 7);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find("</svg>") == svg.size() - 6);
  size_t bars = 0;
  for (size_t p = 0; (p = svg.find("<rect class=\"pass\"", p)) != std::string::npos; ++p) ++bars;
  CHECK(bars == 2);  // two days with mail
  CHECK_THAT(svg, Catch::Contains("<title>2026-12-04: 3/4 pass</title>"));
}
