// The `when` part of a rule: each key one condition, all must hold; a list
// inside one condition means any of its values. Documented in docs/policy.md.
#pragma once
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/policy/reader.h"
#include "core/policy/rule.h"

namespace alignd::policy {

// Every condition key, in documented order; and those known at MAIL FROM.
const std::vector<std::string>& condition_keys();
const std::vector<std::string>& mail_from_condition_keys();

// Compiles a `when` table. Throws PolicyError for unknown keys, wrong types,
// unknown values, bad CIDRs or patterns, and conditions not known at `stage`.
std::vector<Condition> compile_conditions(const Reader& r, const toml::table& when, Stage stage);

}  // namespace alignd::policy
