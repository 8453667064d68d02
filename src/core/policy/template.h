// Reply texts, quarantine reasons and tag headers may name facts of the
// message: "{from_domain} DMARC policy is {dmarc_policy}". Placeholders are
// checked when the policy is compiled; expansion never yields control
// characters or non-ASCII (each such byte becomes '?'), so a hostile From
// domain cannot inject an SMTP line or a header.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/evidence.h"

namespace alignd::policy {

// The placeholder names, in documented order.
const std::vector<std::string>& template_variables();

struct Template {
  struct Part {
    bool variable = false;
    std::string text;  // literal text, or the variable name
  };
  std::vector<Part> parts;
  bool empty() const { return parts.empty(); }
  std::string expand(const Evidence& ev, std::string_view rule) const;
};

// "{name}" is a placeholder, "{{" and "}}" are literal braces. Refused (with
// `error` set): unknown placeholders, unbalanced braces, control characters
// and non-ASCII text.
std::optional<Template> parse_template(std::string_view s, std::string& error);

// A value made safe for an SMTP reply or a header: printable ASCII only.
std::string printable(std::string_view s, size_t max_len = 255);

}  // namespace alignd::policy
