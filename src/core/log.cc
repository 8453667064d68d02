// Log sink plumbing; see log.h. The default sink is stderr (journald reads it).
#include "core/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace alignd {
namespace {
std::mutex g_mu;
LogSink g_sink;
std::atomic<int> g_verbosity{0};
std::atomic<bool> g_timestamps{false};

const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::Error: return "error";
    case LogLevel::Warning: return "warning";
    case LogLevel::Info: return "info";
    case LogLevel::Debug: return "debug";
  }
  return "info";
}
}  // namespace

void set_log_sink(LogSink sink) {
  std::lock_guard lock(g_mu);
  g_sink = std::move(sink);
}

void set_log_verbosity(int v) { g_verbosity = v; }

void set_log_timestamps(bool on) {
  g_timestamps = on;
}

std::string log_timestamp() {
  if (!g_timestamps.load()) return "";
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ ", static_cast<int>(ms));
  return buf;
}

bool log_enabled(LogLevel l) { return static_cast<int>(l) <= 2 + g_verbosity.load(); }

void log_line(LogLevel l, std::string_view msg) {
  if (!log_enabled(l)) return;
  std::lock_guard lock(g_mu);
  if (g_sink) {
    g_sink(l, msg);
    return;
  }
  std::fprintf(stderr, "%salignd[%s]: %.*s\n", log_timestamp().c_str(), level_name(l),
               static_cast<int>(msg.size()), msg.data());
}

std::string kv(std::string_view key, std::string_view value) {
  bool quote = value.empty();
  for (char c : value)
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) quote = true;
  std::string out(key);
  out += '=';
  if (!quote) return out.append(value);
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out += '"';
}

}  // namespace alignd
