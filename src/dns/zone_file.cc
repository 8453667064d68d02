// RFC 1035 §5.1 master-file parser for local DNS data: a lexer (quotes, escapes,
// parentheses, comments) then one record per entry. Leaves out $ORIGIN/$INCLUDE,
// relative names, wildcards and every type outside core/dns_types.h.
#include "dns/zone_file.h"

#include <arpa/inet.h>

#include <cctype>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include "core/text.h"

namespace alignd {

ZoneError::ZoneError(const std::string& src, int ln, const std::string& message)
    : std::runtime_error(src + ":" + std::to_string(ln) + ": " + message), source(src), line(ln) {}

namespace {

struct Token {
  std::string text;
  bool quoted = false;
  bool escaped = false;  // held a backslash escape (never valid in a name)
  int line = 0;
};

struct Entry {
  std::vector<Token> tokens;
  int line = 0;
  bool leading_blank = false;  // owner omitted: RFC 1035 §5.1 "the last stated owner"
};

constexpr size_t kMaxCharString = 255;    // RFC 1035 §3.3 <character-string>
constexpr uint32_t kMaxTtl = 2147483647;  // RFC 2181 §8

std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 64)) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      snprintf(buf, sizeof buf, "\\%03u", c);
      out += buf;
    }
  }
  if (s.size() > 64) out += "...";
  return out;
}

// Splits master-file text into entries (one record or directive each).
class Lexer {
 public:
  Lexer(std::string_view text, const std::string& source) : t_(text), src_(source) {}

  std::vector<Entry> run() {
    std::vector<Entry> out;
    Entry cur;
    int depth = 0;
    bool at_line_start = true;
    while (i_ < t_.size()) {
      char c = t_[i_];
      if (at_line_start && depth == 0 && cur.tokens.empty()) {
        cur.line = line_;
        cur.leading_blank = (c == ' ' || c == '\t');
      }
      at_line_start = false;
      if (c == '\n') {
        ++i_;
        if (depth == 0 && !cur.tokens.empty()) out.push_back(std::move(cur)), cur = Entry{};
        ++line_;
        at_line_start = true;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++i_;
      } else if (c == ';') {
        while (i_ < t_.size() && t_[i_] != '\n') ++i_;
      } else if (c == '(') {
        ++depth, ++i_;
      } else if (c == ')') {
        if (depth == 0) throw ZoneError(src_, line_, "unbalanced ')'");
        --depth, ++i_;
      } else if (c == '"') {
        cur.tokens.push_back(quoted());
      } else {
        cur.tokens.push_back(bare());
      }
    }
    if (depth > 0) throw ZoneError(src_, cur.line, "unterminated '(' at end of file");
    if (!cur.tokens.empty()) out.push_back(std::move(cur));
    return out;
  }

 private:
  void check_char(unsigned char c) const {
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      throw ZoneError(src_, line_, "control character \\" + std::to_string(c) + " in input");
  }

  // After a backslash: \DDD (decimal octet) or \X (X literally). RFC 1035 §5.1.
  char escape(Token& tok) {
    tok.escaped = true;
    ++i_;  // the backslash
    if (i_ >= t_.size() || t_[i_] == '\n' || t_[i_] == '\r')
      throw ZoneError(src_, line_, "backslash at end of line");
    char c = t_[i_];
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      check_char(static_cast<unsigned char>(c));
      ++i_;
      return c;
    }
    int v = 0;
    for (int k = 0; k < 3; ++k, ++i_) {
      if (i_ >= t_.size() || !std::isdigit(static_cast<unsigned char>(t_[i_])))
        throw ZoneError(src_, line_, "escape \\DDD needs exactly three digits");
      v = v * 10 + (t_[i_] - '0');
    }
    if (v > 255) throw ZoneError(src_, line_, "escape \\" + std::to_string(v) + " exceeds 255");
    return static_cast<char>(v);
  }

  Token quoted() {
    Token tok{"", true, false, line_};
    ++i_;  // opening quote
    for (;;) {
      if (i_ >= t_.size() || t_[i_] == '\n')
        throw ZoneError(src_, tok.line, "unterminated quoted string");
      char c = t_[i_];
      if (c == '"') {
        ++i_;
        break;
      }
      if (c == '\\') {
        tok.text += escape(tok);
        continue;
      }
      check_char(static_cast<unsigned char>(c));
      tok.text += c;
      ++i_;
    }
    return tok;
  }

  Token bare() {
    Token tok{"", false, false, line_};
    while (i_ < t_.size()) {
      char c = t_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '(' || c == ')' ||
          c == '"')
        break;
      if (c == '\\') {
        tok.text += escape(tok);
        continue;
      }
      check_char(static_cast<unsigned char>(c));
      tok.text += c;
      ++i_;
    }
    return tok;
  }

  std::string_view t_;
  const std::string& src_;
  size_t i_ = 0;
  int line_ = 1;
};

class Parser {
 public:
  explicit Parser(const std::string& source) : src_(source) {}

  std::vector<ZoneRecord> run(std::vector<Entry> entries) {
    for (auto& e : entries) entry(e);
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(int line, const std::string& msg) const {
    throw ZoneError(src_, line, msg);
  }

  void entry(const Entry& e) {
    const auto& tk = e.tokens;
    if (!e.leading_blank && !tk[0].quoted && !tk[0].escaped && tk[0].text.starts_with("$")) {
      directive(e);
      return;
    }
    size_t i = 0;
    std::string owner;
    if (e.leading_blank) {
      if (last_owner_.empty()) fail(e.line, "record without owner name and no previous owner");
      owner = last_owner_;
    } else {
      owner = name(tk[i++], false);
    }
    std::optional<uint32_t> ttl;
    bool have_class = false;
    for (int k = 0; k < 2 && i < tk.size() && !tk[i].quoted; ++k) {
      const std::string& s = tk[i].text;
      if (!ttl && !s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) {
        ttl = parse_ttl(tk[i]);
      } else if (!have_class && iequals(s, "IN")) {
        have_class = true;
      } else if (!have_class && (iequals(s, "CH") || iequals(s, "HS") || iequals(s, "CS") ||
                                 iequals(s, "ANY") || (istarts_with(s, "CLASS") && s.size() > 5))) {
        fail(tk[i].line, "unsupported class '" + printable(s) + "' (only IN)");
      } else {
        break;
      }
      ++i;
    }
    if (i >= tk.size()) fail(e.line, "missing record type");
    const Token& type_tok = tk[i++];
    RrType type = parse_type(type_tok);
    std::vector<Token> rdata(tk.begin() + static_cast<std::ptrdiff_t>(i), tk.end());
    if (rdata.empty()) fail(type_tok.line, "missing data for " + std::string(to_string(type)));

    if (ttl) last_ttl_ = *ttl;
    uint32_t use_ttl = ttl ? *ttl : default_ttl_ ? *default_ttl_ : last_ttl_;
    std::string data = parse_rdata(type, rdata);
    check_cname_rule(owner, type, e.line);
    last_owner_ = owner;
    out_.push_back({owner, type, use_ttl, std::move(data)});
  }

  void directive(const Entry& e) {
    const auto& tk = e.tokens;
    const std::string& d = tk[0].text;
    if (iequals(d, "$TTL")) {
      if (tk.size() != 2) fail(e.line, "$TTL takes exactly one value");
      default_ttl_ = parse_ttl(tk[1]);
    } else if (iequals(d, "$ORIGIN") || iequals(d, "$INCLUDE") || iequals(d, "$GENERATE")) {
      fail(e.line, printable(d) + " is not supported (write absolute names)");
    } else {
      fail(e.line, "unknown directive '" + printable(d) + "'");
    }
  }

  // TTL: decimal seconds, or BIND-style units ("1h30m"). RFC 2181 §8 bounds it.
  uint32_t parse_ttl(const Token& t) const {
    if (t.quoted || t.escaped) fail(t.line, "TTL must be a number");
    uint64_t total = 0, cur = 0;
    bool digits = false;
    for (char c : t.text) {
      if (std::isdigit(static_cast<unsigned char>(c))) {
        cur = cur * 10 + static_cast<uint64_t>(c - '0');
        digits = true;
        if (cur > kMaxTtl) fail(t.line, "TTL '" + printable(t.text) + "' too large");
        continue;
      }
      uint64_t unit = 0;
      switch (ascii_lower(c)) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        case 'w': unit = 604800; break;
        default: fail(t.line, "bad TTL '" + printable(t.text) + "'");
      }
      if (!digits) fail(t.line, "bad TTL '" + printable(t.text) + "'");
      total += cur * unit, cur = 0, digits = false;
      if (total > kMaxTtl) fail(t.line, "TTL '" + printable(t.text) + "' too large");
    }
    total += cur;
    if (total > kMaxTtl) fail(t.line, "TTL '" + printable(t.text) + "' too large");
    return static_cast<uint32_t>(total);
  }

  RrType parse_type(const Token& t) const {
    static const std::pair<const char*, RrType> kTypes[] = {
        {"A", RrType::A},         {"AAAA", RrType::AAAA}, {"MX", RrType::MX}, {"PTR", RrType::PTR},
        {"CNAME", RrType::CNAME}, {"TXT", RrType::TXT},   {"NS", RrType::NS},
    };
    if (!t.quoted)
      for (const auto& [n, ty] : kTypes)
        if (iequals(t.text, n)) return ty;
    fail(t.line, "unsupported record type '" + printable(t.text) + "'");
  }

  // An absolute domain name: LDH/underscore labels of 1..63 octets, 255 on the wire
  // (RFC 1035 §2.3.4). Returned lowercase with the trailing dot.
  std::string name(const Token& t, bool allow_root) const {
    const std::string& s = t.text;
    if (t.quoted || t.escaped)
      fail(t.line, "bad name '" + printable(s) + "' (no quotes or escapes)");
    if (s == "@") fail(t.line, "'@' needs $ORIGIN, which is not supported (write absolute names)");
    if (s == ".") {
      if (allow_root) return ".";
      fail(t.line, "the root name '.' is not allowed here");
    }
    if (s.empty() || s.back() != '.')
      fail(t.line, "relative name '" + printable(s) + "' (names must be absolute, ending in '.')");
    if (s.size() + 1 > 255) fail(t.line, "name too long: '" + printable(s) + "'");
    std::string_view labels(s.data(), s.size() - 1);
    for (auto label : split(labels, '.')) {
      if (label.empty()) fail(t.line, "empty label in '" + printable(s) + "'");
      if (label.size() > 63) fail(t.line, "label longer than 63 octets in '" + printable(s) + "'");
      for (char c : label) {
        if (c == '*') fail(t.line, "wildcard names are not supported: '" + printable(s) + "'");
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
          fail(t.line, "bad character in name '" + printable(s) + "'");
      }
    }
    return to_lower(s);
  }

  const Token& single(RrType type, const std::vector<Token>& rd) const {
    if (rd.size() != 1)
      fail(rd[1].line,
           std::string(to_string(type)) + " takes one value, got " + std::to_string(rd.size()));
    if (rd[0].quoted) fail(rd[0].line, std::string(to_string(type)) + " value must not be quoted");
    return rd[0];
  }

  std::string parse_rdata(RrType type, const std::vector<Token>& rd) const {
    switch (type) {
      case RrType::A: {
        const Token& t = single(type, rd);
        in_addr a{};
        if (t.escaped || inet_pton(AF_INET, t.text.c_str(), &a) != 1)
          fail(t.line, "bad IPv4 address '" + printable(t.text) + "'");
        return t.text;
      }
      case RrType::AAAA: {
        const Token& t = single(type, rd);
        in6_addr a{};
        char buf[INET6_ADDRSTRLEN];
        if (t.escaped || inet_pton(AF_INET6, t.text.c_str(), &a) != 1 ||
            !inet_ntop(AF_INET6, &a, buf, sizeof buf))
          fail(t.line, "bad IPv6 address '" + printable(t.text) + "'");
        return buf;  // RFC 5952 text
      }
      case RrType::MX: {
        if (rd.size() != 2) fail(rd[0].line, "MX takes a preference and an exchange name");
        const Token& p = rd[0];
        bool ok = !p.quoted && !p.escaped && !p.text.empty() && p.text.size() <= 5;
        for (char c : p.text) ok = ok && std::isdigit(static_cast<unsigned char>(c));
        if (!ok || std::stoul(p.text) > 65535)
          fail(p.line, "bad MX preference '" + printable(p.text) + "'");
        // RFC 7505: "0 ." is a null MX, so the root is a valid exchange.
        return std::to_string(std::stoul(p.text)) + " " + name(rd[1], true);
      }
      case RrType::PTR:
      case RrType::CNAME:
      case RrType::NS: return name(single(type, rd), false);
      case RrType::TXT: {
        // RFC 1035 §3.3.14: one or more <character-string>s, each at most 255 octets;
        // joined as RFC 7208 §3.3 and RFC 6376 §3.6.2.2 say.
        std::string joined;
        size_t wire = 0;
        for (const Token& t : rd) {
          if (t.text.size() > kMaxCharString)
            fail(t.line, "TXT string of " + std::to_string(t.text.size()) +
                             " octets exceeds 255 (split it into several quoted strings)");
          wire += t.text.size() + 1;
          joined += t.text;
        }
        if (wire > 65535) fail(rd[0].line, "TXT record longer than 65535 octets");
        return joined;
      }
    }
    fail(rd[0].line, "unsupported record type");
  }

  // RFC 1034 §3.6.2 / RFC 2181 §10.1: a CNAME owner has no other data.
  void check_cname_rule(const std::string& owner, RrType type, int line) {
    auto& seen = owners_[owner];
    if (type == RrType::CNAME) {
      if (seen.cname) fail(line, "second CNAME for " + owner);
      if (seen.other) fail(line, "CNAME at " + owner + ", which has other data");
      seen.cname = true;
    } else {
      if (seen.cname) fail(line, owner + " has a CNAME and cannot have other data");
      seen.other = true;
    }
  }

  struct OwnerSeen {
    bool cname = false, other = false;
  };
  const std::string& src_;
  std::vector<ZoneRecord> out_;
  std::map<std::string, OwnerSeen> owners_;
  std::string last_owner_;
  std::optional<uint32_t> default_ttl_;
  uint32_t last_ttl_ = 3600;  // used when neither the line nor $TTL gives one
};

}  // namespace

std::vector<ZoneRecord> parse_zone(std::string_view text, const std::string& source) {
  auto entries = Lexer(text, source).run();
  return Parser(source).run(std::move(entries));
}

std::vector<ZoneRecord> load_zone_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ZoneError(path, 0, "cannot open zone file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw ZoneError(path, 0, "cannot read zone file");
  return parse_zone(ss.str(), path);
}

}  // namespace alignd
