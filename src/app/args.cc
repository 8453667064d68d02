// Command-line reader; see args.h.
#include "app/args.h"

#include <algorithm>

namespace alignd {

Args::Args(int argc, char** argv, const std::vector<std::string>& with_value,
           const std::vector<std::string>& flags) {
  auto known = [](const std::vector<std::string>& v, const std::string& n) {
    return std::find(v.begin(), v.end(), n) != v.end();
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      for (++i; i < argc; ++i) positional_.emplace_back(argv[i]);
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      positional_.push_back(a);
      continue;
    }
    std::string name = a, value;
    bool inline_value = false;
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    if (known(with_value, name)) {
      if (!inline_value) {
        if (i + 1 >= argc) throw UsageError(name + " needs a value");
        value = argv[++i];
      }
      values_[name].push_back(value);
    } else if (known(flags, name) && !inline_value) {
      values_[name].push_back("");
    } else if (name.size() > 2 && name[0] == '-' && name[1] != '-' &&
               std::all_of(name.begin() + 1, name.end(), [](char c) { return c == 'v'; }) &&
               known(flags, "-v")) {
      for (size_t k = 1; k < name.size(); ++k) values_["-v"].push_back("");  // -vv
    } else {
      throw UsageError("unknown option " + name);
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string Args::get_or(const std::string& name, const std::string& def) const {
  auto v = get(name);
  return v ? *v : def;
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

int Args::count(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? 0 : static_cast<int>(it->second.size());
}

}  // namespace alignd
