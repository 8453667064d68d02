// RFC 5322 From parsing for DMARC (RFC 9989 §5.3.1) and the A-label conversion
// of its domain (RFC 5890 §2.3, RFC 3492). Leaves out: display-name decoding
// (encoded words are kept as opaque atoms), Unicode normalization (NFC) and the
// IDNA2008 code point tables beyond a small case-folding table.
#include "core/address.h"

#include <cstdint>

#include "core/text.h"

namespace alignd {

namespace {

// ---- tokens of RFC 5322 §3.2 (comments and folding whitespace dropped) --------

enum class Kind { Atom, Quoted, Literal, Special };

struct Token {
  Kind kind;
  std::string text;  // Atom/Quoted/Literal content (quoted-pairs resolved); Special: the char
};

bool is_special(char c) {
  switch (c) {
    case '(':
    case ')':
    case '<':
    case '>':
    case '[':
    case ']':
    case ':':
    case ';':
    case '@':
    case '\\':
    case ',':
    case '.':
    case '"': return true;
    default: return false;
  }
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// RFC 2047 §2 encoded-word "=?charset?enc?text?=" at s[i]: its length, or 0.
// Matched as one atom so that specials inside a (non-conforming) Q-encoded
// display name cannot split the phrase.
size_t encoded_word(std::string_view s, size_t i) {
  if (s.compare(i, 2, "=?") != 0) return 0;
  size_t j = i + 2;
  auto field = [&](bool allow_empty) {
    size_t start = j;
    while (j < s.size() && s[j] != '?' && !is_space(s[j]) &&
           static_cast<unsigned char>(s[j]) > 0x20)
      ++j;
    return (j > start || allow_empty) && j < s.size() && s[j] == '?';
  };
  if (!field(false)) return 0;  // charset
  ++j;
  if (j + 1 >= s.size() || (s[j] != 'q' && s[j] != 'Q' && s[j] != 'b' && s[j] != 'B') ||
      s[j + 1] != '?')
    return 0;
  j += 2;
  if (!field(true)) return 0;  // encoded text
  if (j + 1 >= s.size() || s[j + 1] != '=') return 0;
  return j + 2 - i;
}

std::optional<std::vector<Token>> tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (is_space(c)) {
      ++i;
    } else if (c == '(') {  // RFC 5322 §3.2.2 comment, nested, with quoted-pairs
      int depth = 0;
      for (; i < s.size(); ++i) {
        if (s[i] == '\\') {
          ++i;
        } else if (s[i] == '(') {
          ++depth;
        } else if (s[i] == ')' && --depth == 0) {
          break;
        }
      }
      if (i >= s.size()) return std::nullopt;  // unterminated comment
      ++i;
    } else if (c == '"') {  // §3.2.4 quoted-string
      std::string text;
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        if (s[i] == '\r' || s[i] == '\n') continue;  // folding inside quotes
        text += s[i];
      }
      if (i >= s.size()) return std::nullopt;
      ++i;
      out.push_back({Kind::Quoted, std::move(text)});
    } else if (c == '[') {  // §3.4.1 domain-literal
      std::string text;
      for (++i; i < s.size() && s[i] != ']'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        if (s[i] == '[') return std::nullopt;
        text += s[i];
      }
      if (i >= s.size()) return std::nullopt;
      ++i;
      out.push_back({Kind::Literal, std::move(text)});
    } else if (c == ')' || c == ']' || c == '\\') {
      return std::nullopt;
    } else if (is_special(c)) {
      out.push_back({Kind::Special, std::string(1, c)});
      ++i;
    } else if (size_t n = encoded_word(s, i); n > 0) {
      out.push_back({Kind::Atom, std::string(s.substr(i, n))});
      i += n;
    } else {
      size_t start = i;
      while (i < s.size() && !is_space(s[i]) && !is_special(s[i]) &&
             (static_cast<unsigned char>(s[i]) >= 0x20 && s[i] != 0x7f))
        ++i;
      if (i == start) return std::nullopt;  // a control character
      out.push_back({Kind::Atom, std::string(s.substr(start, i - start))});
    }
  }
  return out;
}

// ---- RFC 5322 §3.4 address-list, with §4.4 obsolete forms ---------------------

class Parser {
 public:
  explicit Parser(std::vector<Token> t) : t_(std::move(t)) {}

  // address-list; obs-addr-list allows empty elements (",,").
  bool list(std::vector<std::string>& out, bool in_group) {
    while (i_ < t_.size()) {
      if (special(',')) {
        ++i_;
        continue;
      }
      if (in_group && special(';')) return true;
      if (!address(out, in_group)) return false;
      if (i_ < t_.size() && !special(',') && !(in_group && special(';'))) return false;
    }
    return true;
  }

  bool done() const { return i_ == t_.size(); }

 private:
  bool special(char c) const {
    return i_ < t_.size() && t_[i_].kind == Kind::Special && t_[i_].text[0] == c;
  }
  bool word() const {
    return i_ < t_.size() && (t_[i_].kind == Kind::Atom || t_[i_].kind == Kind::Quoted);
  }

  bool address(std::vector<std::string>& out, bool in_group) {
    size_t start = i_;
    while (word() || special('.')) ++i_;  // phrase (obs-phrase allows ".")
    if (special('<')) {                   // name-addr
      ++i_;
      if (special('@')) {  // obs-route: 1*("@" domain) ":" — skipped
        while (i_ < t_.size() && !special(':') && !special('>')) ++i_;
        if (!special(':')) return false;
        ++i_;
      }
      std::string a;
      if (!addr_spec(a)) return false;
      if (!special('>')) return false;
      ++i_;
      out.push_back(std::move(a));
      return true;
    }
    if (special(':')) {  // group: display-name ":" [group-list] ";"
      if (in_group || i_ == start) return false;
      ++i_;
      if (!list(out, true)) return false;
      if (special(';')) ++i_;  // a missing ";" at the very end is tolerated
      return true;
    }
    if (special('@')) {  // bare addr-spec: the "phrase" was the local part
      i_ = start;
      std::string a;
      if (!addr_spec(a)) return false;
      out.push_back(std::move(a));
      return true;
    }
    return false;
  }

  // addr-spec = local-part "@" domain; local-part = word *("." word) (obs-local-part).
  bool addr_spec(std::string& out) {
    std::string local;
    for (;;) {
      if (!word()) return false;
      const Token& w = t_[i_++];
      bool plain = w.kind == Kind::Atom && !w.text.empty();
      local += plain ? w.text : "\"" + w.text + "\"";
      if (!special('.')) break;
      local += '.';
      ++i_;
    }
    if (!special('@')) return false;
    ++i_;
    if (i_ < t_.size() && t_[i_].kind == Kind::Literal) return false;  // no domain name
    std::string domain;
    for (;;) {
      if (i_ >= t_.size() || t_[i_].kind != Kind::Atom) return false;
      domain += t_[i_++].text;
      if (!special('.')) break;
      ++i_;
      if (i_ >= t_.size() || t_[i_].kind != Kind::Atom) break;  // trailing dot
      domain += '.';
    }
    auto a = domain_to_alabel(domain);
    if (!a) return false;
    out = local + "@" + *a;
    return true;
  }

  std::vector<Token> t_;
  size_t i_ = 0;
};

std::string domain_of(const std::string& address) {
  return address.substr(address.rfind('@') + 1);
}

// ---- IDNA ------------------------------------------------------------------

std::optional<std::u32string> utf8_decode(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1f) : len == 3 ? (b & 0x0f) : (b & 0x07);
    for (int k = 1; k < len; ++k) {
      auto cb = static_cast<unsigned char>(s[i + k]);
      if ((cb >> 6) != 2) return std::nullopt;
      cp = (cp << 6) | (cb & 0x3f);
    }
    static const char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out.push_back(cp);
    i += len;
  }
  return out;
}

// Lowercases the capital letters of Latin-1, Latin Extended-A (pairs), Greek and
// Cyrillic: a small stand-in for the UTS #46 mapping; other code points pass unchanged.
char32_t fold_case(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (c == 0x178) return 0xFF;  // Ÿ
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 && c != 0x17F) {
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper ? (c % 2 == 1) : (c % 2 == 0)) return c + 1;
    return c;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

bool ldh(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

std::optional<std::string> punycode_encode(const std::u32string& input) {
  // RFC 3492 §5 parameters.
  constexpr uint32_t base = 36, tmin = 1, tmax = 26, skew = 38, damp = 700;
  auto adapt = [&](uint32_t delta, uint32_t numpoints, bool first) {
    delta = first ? delta / damp : delta / 2;
    delta += delta / numpoints;
    uint32_t k = 0;
    while (delta > ((base - tmin) * tmax) / 2) {
      delta /= base - tmin;
      k += base;
    }
    return k + (base - tmin + 1) * delta / (delta + skew);
  };
  auto digit = [](uint32_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); };

  std::string out;
  for (char32_t c : input)
    if (c < 0x80) out += static_cast<char>(c);
  const uint32_t b = static_cast<uint32_t>(out.size());
  uint32_t h = b;
  if (b > 0) out += '-';
  uint32_t n = 0x80, delta = 0, bias = 72;
  while (h < input.size()) {
    uint32_t m = UINT32_MAX;
    for (char32_t c : input)
      if (c >= n && c < m) m = c;
    if ((m - n) > (UINT32_MAX - delta) / (h + 1)) return std::nullopt;  // overflow
    delta += (m - n) * (h + 1);
    n = m;
    for (char32_t c : input) {
      if (c < n && ++delta == 0) return std::nullopt;
      if (c == n) {
        uint32_t q = delta;
        for (uint32_t k = base;; k += base) {
          uint32_t t = k <= bias ? tmin : k >= bias + tmax ? tmax : k - bias;
          if (q < t) break;
          out += digit(t + (q - t) % (base - t));
          q = (q - t) / (base - t);
        }
        out += digit(q);
        bias = adapt(delta, h + 1, h == b);
        delta = 0;
        ++h;
      }
    }
    ++delta;
    ++n;
  }
  return out;
}

std::optional<std::string> domain_to_alabel(std::string_view domain) {
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  if (domain.empty()) return std::nullopt;
  std::string out;
  for (std::string_view label : split(domain, '.')) {
    if (label.empty()) return std::nullopt;
    std::string a;
    bool ascii = true;
    for (char c : label) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (ascii) {
      a = to_lower(label);
      for (char c : a)
        if (!ldh(c)) return std::nullopt;
    } else {
      auto cps = utf8_decode(label);
      if (!cps) return std::nullopt;
      for (auto& c : *cps) {
        c = fold_case(c);
        if (c < 0x80 && !ldh(static_cast<char>(c))) return std::nullopt;
        if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return std::nullopt;
      }
      auto p = punycode_encode(*cps);
      if (!p) return std::nullopt;
      a = "xn--" + *p;
    }
    if (a.size() > 63) return std::nullopt;
    if (!out.empty()) out += '.';
    out += a;
  }
  if (out.size() > 253) return std::nullopt;
  return out;
}

std::optional<std::vector<std::string>> parse_mailbox_list(std::string_view value) {
  auto tokens = tokenize(value);
  if (!tokens) return std::nullopt;
  Parser p(std::move(*tokens));
  std::vector<std::string> out;
  if (!p.list(out, false) || !p.done()) return std::nullopt;
  return out;
}

namespace {

// The domain-like words after each '@' of a value that does not parse
// (letters, digits, '-', '.', UTF-8), valid names with a dot only, as A-labels.
void salvage_domains(std::string_view v, AuthorDomain& r) {
  constexpr size_t kMaxSalvaged = 16;
  for (size_t at = v.find('@'); at != std::string_view::npos && r.salvaged.size() < kMaxSalvaged;
       at = v.find('@', at + 1)) {
    size_t end = at + 1;
    while (end < v.size() && (ldh(v[end]) || v[end] == '.' || static_cast<unsigned char>(v[end]) >= 0x80))
      ++end;
    std::string_view word = v.substr(at + 1, end - at - 1);
    while (!word.empty() && word.back() == '.') word.remove_suffix(1);
    if (word.find('.') == std::string_view::npos) continue;
    auto d = domain_to_alabel(word);
    if (!d) continue;
    bool seen = false;
    for (const auto& x : r.domains) seen = seen || x == *d;
    for (const auto& x : r.salvaged) seen = seen || x == *d;
    if (!seen) r.salvaged.push_back(*d);
  }
}

}  // namespace

AuthorDomain author_domain(const HeaderList& headers) {
  AuthorDomain r;
  std::vector<std::string_view> froms;
  for (const auto& h : headers)
    if (iequals(trim(h.name), "From")) froms.push_back(h.value);

  auto add_domain = [&](const std::string& d) {
    for (const auto& x : r.domains)
      if (x == d) return;
    r.domains.push_back(d);
  };
  bool unparseable = false;
  for (std::string_view v : froms) {
    auto list = parse_mailbox_list(v);
    if (!list) {
      unparseable = true;
      continue;
    }
    for (const auto& a : *list) {
      if (r.address.empty()) r.address = a;
      add_domain(domain_of(a));
      ++r.address_count;
    }
  }

  if (unparseable)
    for (std::string_view v : froms)
      if (!parse_mailbox_list(v)) salvage_domains(v, r);

  if (froms.empty()) {
    r.problem = "no-from";
    r.detail = "the message has no From header field";
  } else if (froms.size() > 1) {
    // RFC 9989 §4.4: a repeated From field leaves no reliable Author Domain.
    r.problem = "multiple-from";
    r.detail = std::to_string(froms.size()) + " From header fields";
  } else if (unparseable) {
    r.problem = "unparseable";
    r.detail = "the From field is not an RFC 5322 mailbox list with a domain name";
  } else if (r.domains.empty()) {
    r.problem = "unparseable";
    r.detail = "the From field holds no address (empty group?)";
  } else if (r.domains.size() > 1) {
    // RFC 9989 §5.3.1: more than one domain, DMARC validation is not possible
    // (a receiver MAY evaluate each, §11.5); `domains` lists them.
    r.problem = "multiple-addresses";
    r.detail = std::to_string(r.address_count) + " addresses in " +
               std::to_string(r.domains.size()) + " domains";
  } else {
    // One domain, possibly in several mailboxes: §5.3.1 extracts one domain.
    r.domain = r.domains.front();
  }
  return r;
}

}  // namespace alignd
