// RFC 6068 §2 mailto syntax and RFC 5321 §4.1.2 Mailbox, strict; see mailto.h.
#include "core/mailto.h"

#include "core/text.h"

namespace alignd {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = ascii_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 §3.2.3 atext without "%" and "!" (routing characters, mailto.h).
bool safe_atext(char c) {
  if (is_alnum(c)) return true;
  switch (c) {
    case '#':
    case '$':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~': return true;
    default: return false;
  }
}

// RFC 5321 §4.1.2 Dot-string = Atom *("." Atom)
bool dot_string(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!safe_atext(s[i])) {
      return false;
    }
  }
  return true;
}

// RFC 5321 §4.1.2 Domain as sub-domain *("." sub-domain), Let-dig [Ldh-str];
// fully qualified (RFC 3696 §2: the last label is not all-numeric).
bool fqdn(std::string_view d) {
  if (d.empty() || d.size() > 253) return false;
  std::vector<std::string_view> labels = split(d, '.');
  if (labels.size() < 2) return false;
  for (std::string_view l : labels) {
    if (l.empty() || l.size() > 63 || l.front() == '-' || l.back() == '-') return false;
    for (char c : l)
      if (!(is_alnum(c) || c == '-')) return false;
  }
  std::string_view tld = labels.back();
  for (char c : tld)
    if (!(c >= '0' && c <= '9')) return true;
  return false;
}

MailtoParse fail(std::string why) {
  MailtoParse p;
  p.error = std::move(why);
  return p;
}

}  // namespace

MailtoParse parse_mailbox(std::string_view a) {
  for (char c : a) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return fail("control or non-ASCII character in the address");
  }
  if (a.size() > 254) return fail("address longer than 254 characters");  // RFC 5321 §4.5.3.1.3
  Mailbox m;
  std::string_view rest;
  if (!a.empty() && a.front() == '"') {
    // RFC 5321 Quoted-string, restricted to safe atext, "." and SP: no quoted-pair,
    // nothing an address parser could take for structure.
    size_t close = a.find('"', 1);
    if (close == std::string_view::npos) return fail("unterminated quoted local part");
    std::string_view q = a.substr(1, close - 1);
    if (q.empty()) return fail("empty quoted local part");
    for (char c : q)
      if (!(safe_atext(c) || c == '.' || c == ' '))
        return fail(std::string("character '") + c + "' in a quoted local part");
    m.local = dot_string(q) ? std::string(q) : "\"" + std::string(q) + "\"";
    rest = a.substr(close + 1);
  } else {
    size_t at = a.find('@');
    if (at == std::string_view::npos) return fail("no '@'");
    std::string_view local = a.substr(0, at);
    if (!dot_string(local)) return fail("local part is not a dot-atom");
    m.local = std::string(local);
    rest = a.substr(at);
  }
  if (rest.empty() || rest.front() != '@') return fail("no '@' after the local part");
  if (m.local.size() > 64) return fail("local part longer than 64 characters");  // §4.5.3.1.1
  std::string_view domain = rest.substr(1);
  if (domain.find('@') != std::string_view::npos) return fail("more than one '@'");
  if (!fqdn(domain)) return fail("domain is not a fully qualified host name");
  m.domain = to_lower(domain);
  m.address = m.local + "@" + m.domain;
  MailtoParse p;
  p.mailbox = std::move(m);
  return p;
}

MailtoParse parse_mailto(std::string_view uri) {
  if (!istarts_with(uri, "mailto:")) return fail("not a mailto: URI");
  std::string_view to = uri.substr(7);
  if (auto q = to.find('?'); q != std::string_view::npos) to = to.substr(0, q);
  if (to.empty()) return fail("no address");
  // RFC 6068 §2: "%" HEXDIG HEXDIG only; decode, then check the result as a whole,
  // so an encoded control, "@", "," or quote is judged exactly like a literal one.
  std::string decoded;
  for (size_t i = 0; i < to.size(); ++i) {
    char c = to[i];
    if (c == '%') {
      if (i + 2 >= to.size()) return fail("'%' not followed by two hex digits");
      int h = hex(to[i + 1]), l = hex(to[i + 2]);
      if (h < 0 || l < 0) return fail("'%' not followed by two hex digits");
      c = static_cast<char>(h * 16 + l);
      i += 2;
    } else if (c == ',') {
      return fail("more than one address");
    }
    decoded.push_back(c);
  }
  if (decoded.find(',') != std::string::npos) return fail("more than one address");
  return parse_mailbox(decoded);
}

}  // namespace alignd
