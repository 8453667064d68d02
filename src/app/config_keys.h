// The one table of alignd.toml keys: section, key, type, default and a one-line
// description. The config reader (config.cc) asks only for keys in it, unknown
// keys get "did you mean" suggestions from it, `alignd config keys` prints it, and
// tests check man/alignd.toml.5.scd and docs/configuration.md against it.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alignd {

enum class ConfigType { String, Integer, Boolean, Strings, Mode };

struct ConfigKey {
  std::string_view section;  // "" = top level; "milter"; "signing.keys" (each [[signing.keys]])
  std::string_view key;
  ConfigType type;
  std::string_view default_value;  // as written in TOML, or a description in ()
  std::string_view description;    // one line
};

// Every key, in documentation order.
const std::vector<ConfigKey>& config_keys();

// nullptr when `section` has no `key`.
const ConfigKey* find_config_key(std::string_view section, std::string_view key);

// "milter.socket", "signing.keys.domain", "authserv_id".
std::string config_key_name(const ConfigKey& k);

// "string", "integer", "boolean", "array of strings", "octal mode".
std::string_view config_type_name(ConfigType t);

// True when some key lives in `section` or below it ("signing" for "signing.keys").
bool config_section_exists(std::string_view section);

// Names valid directly in `section`: its keys and its sub-tables ("keys" in "signing").
std::vector<std::string> config_names_in(std::string_view section);

// The hint for an unknown `key` in `section`: "did you mean 'socket'?" (edit
// distance), "'timeout_ms' belongs in [dns]", or "valid: ..." when nothing is close.
std::string unknown_key_hint(std::string_view section, std::string_view key);

// Levenshtein distance (insert, delete, substitute; each costs 1).
size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace alignd
