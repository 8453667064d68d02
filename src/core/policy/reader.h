// Reading policy TOML with errors that name path:line:column and the valid
// choices. Internal to src/core/policy; throws PolicyError (start-up errors only).
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

namespace alignd::policy {

std::string join(const std::vector<std::string>& parts, std::string_view sep = ", ");

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  std::string where(const toml::source_region& r) const;  // "path:line:column"
  [[noreturn]] void fail_at(const toml::source_region& r, const std::string& msg) const;
  [[noreturn]] void fail(const toml::node& n, const std::string& msg) const {
    fail_at(n.source(), msg);
  }

  std::string string(const toml::node& n, std::string_view key) const;
  bool boolean(const toml::node& n, std::string_view key) const;
  const toml::table& table(const toml::node& n, std::string_view key) const;
  // A string or a non-empty array of strings, each with its node (for positions).
  using Strings = std::vector<std::pair<std::string, const toml::node*>>;
  Strings strings(const toml::node& n, std::string_view key) const;
  // One of `choices`, else an error naming them all.
  std::string choice(const toml::node& n, std::string_view key, std::string_view value,
                     const std::vector<std::string>& choices) const;
  // Every key of `t` must be in `valid`; `what` says where ("rule 'x'", "header condition").
  void only_keys(const toml::table& t, const std::vector<std::string>& valid,
                 std::string_view what) const;

 private:
  [[noreturn]] void type_error(const toml::node& n, std::string_view key,
                               std::string_view want) const;
  std::string path_;
};

}  // namespace alignd::policy
