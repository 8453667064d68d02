// RFC 8601 Authentication-Results: formatting, quoting, parsing.
#include "core/auth_results.h"

#include "core/text.h"

namespace alignd {
namespace {

// RFC 2045 tspecials plus space and controls are not allowed in a token.
bool token_char(char c) {
  if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) return false;
  static constexpr std::string_view kSpecials = "()<>@,;:\\\"/[]?=";
  return kSpecials.find(c) == std::string_view::npos;
}

bool is_control(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// RFC 8601 §2.3 allows pvalue to be an addr-spec or domain-name too; we keep
// those unquoted when they consist of token characters plus '@' (local@domain).
bool plain_pvalue(std::string_view v) {
  if (v.empty()) return false;
  size_t at = 0;
  for (char c : v) {
    if (c == '@') {
      if (++at > 1) return false;
      continue;
    }
    if (!token_char(c)) return false;
  }
  return v.front() != '@' && v.back() != '@';
}

// Skips CFWS (RFC 5322 §3.2.2): whitespace and nested comments.
void skip_cfws(std::string_view s, size_t& i) {
  for (;;) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
    if (i < s.size() && s[i] == '(') {
      int depth = 0;
      while (i < s.size()) {
        char c = s[i++];
        if (c == '\\' && i < s.size()) {
          ++i;
        } else if (c == '(') {
          ++depth;
        } else if (c == ')' && --depth == 0) {
          break;
        }
      }
      continue;
    }
    return;
  }
}

std::string read_word(std::string_view s, size_t& i) {
  std::string out;
  if (i < s.size() && s[i] == '"') {
    ++i;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      out += s[i++];
    }
    if (i < s.size()) ++i;
    return out;
  }
  while (i < s.size() && s[i] != ';' && s[i] != '=' && s[i] != ' ' && s[i] != '\t' &&
         s[i] != '\r' && s[i] != '\n' && s[i] != '(' && s[i] != '"')
    out += s[i++];
  return out;
}

}  // namespace

std::string ar_value(std::string_view v) {
  std::string clean;
  for (char c : v)
    if (!is_control(c)) clean += c;
  if (plain_pvalue(clean)) return clean;
  std::string q = "\"";
  for (char c : clean) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

std::string ar_comment(std::string_view c) {
  std::string out;
  for (char ch : c) {
    if (is_control(ch)) continue;
    if (ch == '(' || ch == ')' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

std::string AuthResults::format(std::string_view newline) const {
  // Words of each resinfo, filled greedily; each resinfo starts on a new line.
  constexpr size_t kWidth = 78;
  std::string out = ar_value(authserv_id);
  size_t col = std::string_view("Authentication-Results: ").size() + out.size();
  if (results.empty()) return out + "; none";
  for (const auto& r : results) {
    std::vector<std::string> words;
    words.push_back(ar_value(r.method) + "=" + ar_value(r.result));
    if (!r.comment.empty()) {
      // A comment may be split at spaces; keep each piece balanced by wrapping the whole.
      words.push_back("(" + ar_comment(r.comment) + ")");
    }
    if (!r.reason.empty()) words.push_back("reason=" + ar_value(r.reason));
    for (const auto& p : r.props)
      words.push_back(ar_value(p.ptype) + "." + ar_value(p.property) + "=" + ar_value(p.value));
    out += ";";
    out += newline;
    out += "\t";
    col = 8;  // a tab, counted as reaching the next tab stop
    bool first = true;
    for (const auto& w : words) {
      // The last word of a resinfo that another follows carries the ";" (one more column).
      if (!first && col + 1 + w.size() + (&w == &words.back() && &r != &results.back()) > kWidth) {
        out += newline;
        out += "\t";
        col = 8;
      } else if (!first) {
        out += " ";
        ++col;
      }
      out += w;
      col += w.size();
      first = false;
    }
  }
  return out;
}

std::optional<ParsedAuthResults> parse_auth_results(std::string_view s) {
  ParsedAuthResults p;
  size_t i = 0;
  skip_cfws(s, i);
  p.authserv_id = read_word(s, i);
  if (p.authserv_id.empty()) return std::nullopt;
  skip_cfws(s, i);
  // optional authres-version (digits)
  if (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    skip_cfws(s, i);
  }
  while (i < s.size()) {
    if (s[i] != ';') {  // junk: skip to the next ';'
      while (i < s.size() && s[i] != ';') ++i;
      continue;
    }
    ++i;
    skip_cfws(s, i);
    std::string method = read_word(s, i);
    if (iequals(method, "none")) continue;
    skip_cfws(s, i);
    // method may carry a version: "dkim/1"
    if (i >= s.size() || s[i] != '=') continue;
    ++i;
    skip_cfws(s, i);
    AuthMethodResult r;
    r.method = to_lower(method);
    r.result = to_lower(read_word(s, i));
    for (;;) {
      skip_cfws(s, i);
      if (i >= s.size() || s[i] == ';') break;
      size_t start = i;
      std::string key = read_word(s, i);
      skip_cfws(s, i);
      if (i < s.size() && s[i] == '=') {
        ++i;
        skip_cfws(s, i);
        std::string val = read_word(s, i);
        if (iequals(key, "reason")) {
          r.reason = val;
        } else if (auto dot = key.find('.'); dot != std::string::npos) {
          r.props.push_back({to_lower(key.substr(0, dot)), to_lower(key.substr(dot + 1)), val});
        }
      }
      if (i == start) ++i;  // always make progress on junk
    }
    p.results.push_back(std::move(r));
  }
  return p;
}

// A domain name and the same name with the root's trailing dot are one name
// (RFC 1034 §3.1), so "mx.example." claims "mx.example" too.
bool claims_authserv_id(std::string_view value, std::string_view our_id) {
  auto p = parse_auth_results(value);
  if (!p) return false;
  auto strip_root = [](std::string_view s) {
    if (s.size() > 1 && s.back() == '.') s.remove_suffix(1);
    return s;
  };
  return iequals(strip_root(p->authserv_id), strip_root(our_id));
}

}  // namespace alignd
