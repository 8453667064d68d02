// Policy TOML readers; see reader.h.
#include "core/policy/reader.h"

#include <algorithm>

#include "core/policy/engine.h"

namespace alignd::policy {

namespace {

const char* type_name(toml::node_type t) {
  switch (t) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

}  // namespace

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string Reader::where(const toml::source_region& r) const {
  return path_ + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

void Reader::fail_at(const toml::source_region& r, const std::string& msg) const {
  throw PolicyError(where(r) + ": " + msg);
}

void Reader::type_error(const toml::node& n, std::string_view key, std::string_view want) const {
  fail(n,
       "'" + std::string(key) + "' must be " + std::string(want) + ", not " + type_name(n.type()));
}

std::string Reader::string(const toml::node& n, std::string_view key) const {
  if (!n.is_string()) type_error(n, key, "a string");
  return n.as_string()->get();
}

bool Reader::boolean(const toml::node& n, std::string_view key) const {
  if (!n.is_boolean()) type_error(n, key, "true or false");
  return n.as_boolean()->get();
}

const toml::table& Reader::table(const toml::node& n, std::string_view key) const {
  if (!n.is_table()) type_error(n, key, "a table");
  return *n.as_table();
}

Reader::Strings Reader::strings(const toml::node& n, std::string_view key) const {
  Strings out;
  if (n.is_string()) {
    out.emplace_back(n.as_string()->get(), &n);
    return out;
  }
  if (!n.is_array()) type_error(n, key, "a string or a list of strings");
  for (const auto& e : *n.as_array()) {
    if (!e.is_string()) type_error(e, key, "a string or a list of strings");
    out.emplace_back(e.as_string()->get(), &e);
  }
  if (out.empty()) fail(n, "'" + std::string(key) + "' is an empty list and would never match");
  return out;
}

std::string Reader::choice(const toml::node& n, std::string_view key, std::string_view value,
                           const std::vector<std::string>& choices) const {
  if (std::find(choices.begin(), choices.end(), value) != choices.end()) return std::string(value);
  fail(n, "unknown " + std::string(key) + " '" + std::string(value) + "' (valid: " + join(choices) +
              ")");
}

void Reader::only_keys(const toml::table& t, const std::vector<std::string>& valid,
                       std::string_view what) const {
  for (const auto& [k, v] : t) {
    if (std::find(valid.begin(), valid.end(), k.str()) == valid.end())
      fail_at(k.source(), "unknown key '" + std::string(k.str()) + "' in " + std::string(what) +
                              " (valid: " + join(valid) + ")");
  }
}

}  // namespace alignd::policy
