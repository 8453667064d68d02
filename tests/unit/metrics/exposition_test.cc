// Prometheus text exposition (metrics/exposition.h) and the hot-path primitives
// (metrics/registry.h).
#include <catch2/catch.hpp>
#include <thread>

#include "metrics/exposition.h"
#include "metrics/registry.h"

using namespace alignd;

TEST_CASE("label values and help text are escaped", "[metrics]") {
  static const struct {
    const char* in;
    const char* label;
    const char* help;
  } cases[] = {
      {"plain", "plain", "plain"},
      {"a\"b", "a\\\"b", "a\"b"},
      {"back\\slash", "back\\\\slash", "back\\\\slash"},
      {"two\nlines", "two\\nlines", "two\\nlines"},
      {"", "", ""},
  };
  for (const auto& c : cases) {
    CHECK(escape_label_value(c.in) == c.label);
    CHECK(escape_help(c.in) == c.help);
  }
}

TEST_CASE("sample values", "[metrics]") {
  static const struct {
    double v;
    const char* text;
  } cases[] = {
      {0, "0"},     {1, "1"},        {42, "42"}, {0.5, "0.5"},        {0.0005, "0.0005"},
      {2.5, "2.5"}, {1e20, "1e+20"}, {-3, "-3"}, {1.0 / 0.0, "+Inf"}, {-1.0 / 0.0, "-Inf"}};
  for (const auto& c : cases) CHECK(format_value(c.v) == c.text);
  CHECK(format_value(0.0 / 0.0) == "NaN");
}

TEST_CASE("families, samples and label sets", "[metrics]") {
  Exposition x;
  x.family("alignd_x_total", "counter", "An example.");
  x.sample("alignd_x_total", {}, std::uint64_t{3});
  x.sample("alignd_x_total", {{"a", "1"}, {"b", "q\""}}, std::uint64_t{4});
  CHECK(x.text() ==
        "# HELP alignd_x_total An example.\n"
        "# TYPE alignd_x_total counter\n"
        "alignd_x_total 3\n"
        "alignd_x_total{a=\"1\",b=\"q\\\"\"} 4\n");
}

TEST_CASE("histogram: cumulative buckets, +Inf, sum and count", "[metrics]") {
  Histogram h{0.1, 1};
  for (double v : {0.05, 0.1, 0.5, 2.0}) h.observe(v);
  Exposition x;
  x.histogram("alignd_h_seconds", {{"type", "TXT"}}, h.snapshot());
  CHECK(x.text() ==
        "alignd_h_seconds_bucket{type=\"TXT\",le=\"0.1\"} 2\n"
        "alignd_h_seconds_bucket{type=\"TXT\",le=\"1\"} 3\n"
        "alignd_h_seconds_bucket{type=\"TXT\",le=\"+Inf\"} 4\n"
        "alignd_h_seconds_sum{type=\"TXT\"} 2.65\n"
        "alignd_h_seconds_count{type=\"TXT\"} 4\n");
}

TEST_CASE("NamedCounters: one slot a name, concurrent increments, overflow", "[metrics]") {
  NamedCounters n;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&n] {
      for (int i = 0; i < 1000; ++i) n.inc(i % 2 ? "dmarc-reject" : "spf-fail");
    });
  for (auto& t : threads) t.join();
  auto s = n.snapshot();
  REQUIRE(s.size() == 2);
  CHECK(s[0] == std::pair<std::string, std::uint64_t>{"dmarc-reject", 2000});
  CHECK(s[1] == std::pair<std::string, std::uint64_t>{"spf-fail", 2000});
  for (size_t i = 0; i < NamedCounters::kSlots + 3; ++i) n.inc("rule-" + std::to_string(i));
  CHECK(n.overflow() == 5);  // 2 slots were taken already
}
