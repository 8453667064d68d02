// The compiled TOML policy rules. decide() is pure: Evidence in, Verdict out.
// Rules are ordered, first match wins; no rule matched = accept (monitor).
// Loading reads no files: the caller passes each file's path and text.
// The language is documented in docs/policy.md; the parts live beside this
// file: compile.cc (TOML -> rules), conditions.cc, template.cc, engine.cc.
#pragma once
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/evidence.h"
#include "core/verdict.h"

namespace alignd {

struct PolicySource {
  std::string path;  // for error messages: path:line:column
  std::string text;  // TOML
};

// Thrown by PolicyEngine::compile; what() names path:line:column and the valid choices.
struct PolicyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class PolicyEngine {
 public:
  PolicyEngine();  // no rules: accept everything (monitor mode)
  ~PolicyEngine();
  PolicyEngine(PolicyEngine&&) noexcept;
  PolicyEngine& operator=(PolicyEngine&&) noexcept;

  static PolicyEngine compile(const std::vector<PolicySource>& sources);

  // End of message: the full decision. Verdict.trace says which rules did not
  // match (first failing condition), which one did and why, and any override;
  // Verdict.override_reason is set when DMARC failed and less than the domain
  // owner's requested policy was applied (RFC 9990 §4.3). Tag header values in
  // Verdict.add_headers carry no leading space (add it if SMFIP_HDR_LEADSPC).
  Verdict decide(const Evidence& ev) const;
  // At MAIL FROM, only connection + SPF known: a rule may ask for the early
  // SPF reject (550 5.7.23) or defer (451 4.7.24) of RFC 7372. nullopt = go on
  // (no `stage = "mail_from"` rule matched, or the first that matched accepts).
  std::optional<Verdict> decide_mail_from(const Evidence& ev) const;

  size_t rule_count() const;  // enabled rules, both stages
  // True if an enabled rule has this condition key (e.g. "client_name", whose
  // DNS lookups the session makes only when a rule needs them).
  bool uses_condition(std::string_view key) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace alignd
