// One line of `alignd check-domain`: what was checked, how it came out, and a
// sentence for the reader. Problems (warning, error) make the exit status 1.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace alignd {

enum class Severity { Ok, Info, Warning, Error };
std::string_view to_string(Severity s);  // "ok" | "info" | "warning" | "error"

struct Finding {
  std::string check;  // "spf", "dmarc", "dkim", "mx"
  Severity severity = Severity::Ok;
  std::string message;
};

using Findings = std::vector<Finding>;

inline bool has_problems(const Findings& f) {
  for (const auto& x : f)
    if (x.severity == Severity::Warning || x.severity == Severity::Error) return true;
  return false;
}

}  // namespace alignd
