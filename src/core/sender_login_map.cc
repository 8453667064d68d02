// Postfix smtpd_sender_login_maps text and lookups; see sender_login_map.h.
#include "core/sender_login_map.h"

#include "core/address.h"
#include "core/text.h"

namespace alignd {

namespace {

bool blank(char c) {
  return c == ' ' || c == '\t';
}

[[noreturn]] void fail(const std::string& source, size_t line, const std::string& msg) {
  throw SenderLoginMapError(source + ":" + std::to_string(line) + ": " + msg);
}

// The logins of a value: separated by commas and/or whitespace (postconf(5)).
std::vector<std::string> logins(std::string_view v) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : std::string(v) + ",") {
    if (c == ',' || blank(c)) {
      if (!cur.empty()) out.push_back(to_lower(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  return out;
}

struct Logical {
  size_t line = 0;
  std::string text;
};

}  // namespace

SenderLoginMap SenderLoginMap::parse(std::string_view text, const std::string& source,
                                     Options opts) {
  SenderLoginMap m;
  m.source_ = source;
  for (auto& d : opts.local_domains) d = normalize_domain(d);
  m.opts_ = std::move(opts);

  std::vector<Logical> lines;
  size_t n = 0;
  for (std::string_view raw : split(text, '\n')) {
    ++n;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    for (char c : raw)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
        fail(source, n, "control character in the line");
    std::string_view t = trim(raw);
    if (t.empty() || t.front() == '#') continue;
    if (blank(raw.front())) {
      if (lines.empty()) fail(source, n, "a continuation line without a key");
      lines.back().text += " " + std::string(t);
    } else {
      lines.push_back({n, std::string(raw)});
    }
  }

  for (const auto& l : lines) {
    std::string_view s = l.text;
    size_t end = 0;
    if (s.front() == '"') {
      size_t close = s.find('"', 1);
      if (close == std::string_view::npos) fail(source, l.line, "unterminated quoted key");
      end = close + 1;
    }
    while (end < s.size() && !blank(s[end])) ++end;
    std::string key = to_lower(s.substr(0, end));
    std::vector<std::string> who = logins(s.substr(end));
    if (who.empty()) fail(source, l.line, key + " has no login");
    if (!m.entries_.emplace(key, std::move(who)).second)
      fail(source, l.line, "duplicate key " + key + " (Postfix would keep the first)");
  }
  return m;
}

std::optional<std::vector<std::string>> SenderLoginMap::owners(std::string_view address) const {
  std::string a = to_lower(address);
  size_t at = a.rfind('@');
  if (at == std::string::npos) return std::nullopt;
  std::string user = a.substr(0, at), domain = normalize_domain(a.substr(at + 1));
  std::vector<std::string> users{user};
  if (!opts_.delimiter.empty()) {
    size_t d = user.find_first_of(opts_.delimiter);
    if (d != std::string::npos && d > 0) users.push_back(user.substr(0, d));
  }
  bool local = false;
  for (const auto& l : opts_.local_domains) local = local || l == domain;

  std::vector<std::string> keys;
  for (const auto& u : users) keys.push_back(u + "@" + domain);  // 1) user@domain
  if (local)
    for (const auto& u : users) keys.push_back(u);  // 2) user, local domains only
  keys.push_back("@" + domain);                     // 3) @domain
  for (const auto& k : keys)
    if (auto it = entries_.find(k); it != entries_.end()) return it->second;
  return std::nullopt;
}

std::string sender_login_refusal(const SenderLoginMap& map, std::string_view login,
                                 const std::vector<std::string>& addresses) {
  if (addresses.empty()) return "no From address to check against " + map.source();
  const std::string who = to_lower(login);
  for (const auto& a : addresses) {
    if (a.empty()) return "a From field that does not parse";
    auto owners = map.owners(a);
    if (!owners)
      return "login " + std::string(login) + " may not use " + a + ": not in " + map.source();
    bool mine = false;
    for (const auto& o : *owners) mine = mine || (!who.empty() && o == who);
    if (!mine)
      return "login " + std::string(login) + " may not use " + a + " (" + map.source() + ")";
  }
  return "";
}

std::vector<std::string> from_addresses(const HeaderList& headers) {
  std::vector<std::string> out;
  for (const auto& h : headers) {
    if (!iequals(h.name, "From")) continue;
    auto list = parse_mailbox_list(h.value);
    if (!list || list->empty()) {
      out.push_back("");
      continue;
    }
    out.insert(out.end(), list->begin(), list->end());
  }
  return out;
}

std::string sender_login_map_path(std::string_view spec) {
  size_t colon = spec.find(':');
  if (colon == std::string_view::npos || spec.front() == '/' || spec.front() == '.')
    return std::string(spec);
  std::string type = to_lower(spec.substr(0, colon));
  for (const char* t : {"texthash", "hash", "btree", "lmdb", "cdb", "dbm"})
    if (type == t) return std::string(spec.substr(colon + 1));
  throw SenderLoginMapError("signing.sender_login_map: table type '" + type +
                            "' is not supported (a texthash/hash source file is)");
}

}  // namespace alignd
