// A small command-line reader shared by the subcommands: "--name VALUE",
// "--name=VALUE", "-c FILE", flags, repeated options and positionals.
#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace alignd {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `with_value`: options that take a value ("-c", "--client-ip", ...);
  // `flags`: options without one ("--json", "-v", ...). Anything else starting
  // with '-' (except "-" alone) is a UsageError.
  Args(int argc, char** argv, const std::vector<std::string>& with_value,
       const std::vector<std::string>& flags);

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;  // last given
  std::string get_or(const std::string& name, const std::string& def) const;
  std::vector<std::string> all(const std::string& name) const;
  int count(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

}  // namespace alignd
