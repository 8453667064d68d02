// Logging without I/O in the core: a sink function the app installs (stderr,
// syslog). Default sink writes to stderr. One line per call; key=value style.
#pragma once
#include <functional>
#include <string>
#include <string_view>

namespace alignd {

enum class LogLevel { Error = 0, Warning = 1, Info = 2, Debug = 3 };

using LogSink = std::function<void(LogLevel, std::string_view)>;
void set_log_sink(LogSink sink);
void set_log_verbosity(int v);  // 0: errors, warnings, info; 1+: debug
bool log_enabled(LogLevel l);
void log_line(LogLevel l, std::string_view msg);

inline void log_error(std::string_view m) { log_line(LogLevel::Error, m); }
inline void log_warning(std::string_view m) { log_line(LogLevel::Warning, m); }
inline void log_info(std::string_view m) { log_line(LogLevel::Info, m); }
inline void log_debug(std::string_view m) {
  if (log_enabled(LogLevel::Debug)) log_line(LogLevel::Debug, m);
}

// ISO 8601 UTC timestamps in front of stderr lines: on when nothing else adds
// them (a terminal, or stderr not under journald; the app decides, see
// app/log_stamp.h). log_timestamp() is "2026-12-04T06:30:01.123Z " or "".
void set_log_timestamps(bool on);
std::string log_timestamp();

// key=value with the value quoted when it holds spaces, quotes or controls.
std::string kv(std::string_view key, std::string_view value);

}  // namespace alignd
