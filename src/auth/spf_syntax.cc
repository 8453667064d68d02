// RFC 7208 record grammar (§4.6.1, §5, §6, §7.1) and the libspf2-compatible rewrite;
// see spf_syntax.h.
#include "auth/spf_syntax.h"

#include <arpa/inet.h>

#include <cctype>
#include <optional>
#include <vector>

#include "core/text.h"

namespace alignd {

namespace {

bool is_alpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_alpha(c) || is_digit(c);
}

// toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
bool valid_toplabel(std::string_view l) {
  if (l.empty() || l.front() == '-' || l.back() == '-') return false;
  bool alpha = false, hyphen = false;
  for (char c : l) {
    if (c == '-')
      hyphen = true;
    else if (is_alpha(c))
      alpha = true;
    else if (!is_digit(c))
      return false;
  }
  return alpha || hyphen;
}

// One macro-expand at s[i] == '%'; advances i. `last_was_expand` reports success.
bool macro_expand(std::string_view s, size_t& i, bool explanation) {
  if (i + 1 >= s.size()) return false;
  char n = s[i + 1];
  if (n == '%' || n == '_' || n == '-') {
    i += 2;
    return true;
  }
  if (n != '{') return false;
  size_t j = i + 2;
  if (j >= s.size()) return false;
  char letter = ascii_lower(s[j++]);
  static constexpr std::string_view kLetters = "slodiphv", kExpOnly = "crt";
  if (kLetters.find(letter) == std::string_view::npos &&
      !(explanation && kExpOnly.find(letter) != std::string_view::npos))
    return false;
  size_t digits = j;
  while (j < s.size() && is_digit(s[j])) ++j;
  if (j > digits) {  // §7.3: a DIGIT transformer must be nonzero
    bool nonzero = false;
    for (size_t k = digits; k < j; ++k) nonzero |= s[k] != '0';
    if (!nonzero) return false;
  }
  if (j < s.size() && ascii_lower(s[j]) == 'r') ++j;
  while (j < s.size() && std::string_view(".-+,/_=").find(s[j]) != std::string_view::npos) ++j;
  if (j >= s.size() || s[j] != '}') return false;
  i = j + 1;
  return true;
}

// Walks a macro-string; `ends_with_expand` tells whether the last token was a macro.
bool scan_macro_string(std::string_view s, bool explanation, bool& ends_with_expand) {
  ends_with_expand = false;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '%') {
      if (!macro_expand(s, i, explanation)) return false;
      ends_with_expand = true;
      continue;
    }
    // macro-literal = %x21-24 / %x26-7E; exp text may also hold spaces
    bool literal = (c >= 0x21 && c <= 0x7e) || (explanation && c == ' ');
    if (!literal) return false;
    ends_with_expand = false;
    ++i;
  }
  return true;
}

// ip4-cidr-length / ip6-cidr-length digits: "0" / %x31-39 0*1DIGIT (ip6: 0*2DIGIT).
std::optional<int> parse_cidr(std::string_view d, int max) {
  if (d.empty() || d.size() > 3 || (d.size() > 1 && d[0] == '0')) return std::nullopt;
  int v = 0;
  for (char c : d) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

struct DualCidr {
  std::optional<int> v4, v6;
};

// Splits a trailing dual-cidr-length ("/24", "//64", "/24//64") off `arg`.
bool split_dual_cidr(std::string_view& arg, DualCidr& out) {
  auto take_digits = [&](std::string_view s) {
    size_t k = s.size();
    while (k > 0 && is_digit(s[k - 1])) --k;
    return k;
  };
  size_t k = take_digits(arg);
  if (k < arg.size() && k >= 2 && arg[k - 1] == '/' && arg[k - 2] == '/') {
    out.v6 = parse_cidr(arg.substr(k), 128);
    if (!out.v6) return false;
    arg = arg.substr(0, k - 2);
    k = take_digits(arg);
  }
  if (k < arg.size() && k >= 1 && arg[k - 1] == '/') {
    out.v4 = parse_cidr(arg.substr(k), 32);
    if (!out.v4) return false;
    arg = arg.substr(0, k - 1);
  }
  // Anything else ending in '/' or holding "//" is malformed (e.g. "a/", "a//").
  return arg.empty() || arg.back() != '/';
}

std::string cidr_text(const DualCidr& c, bool ipv6) {
  if (ipv6) return c.v6 ? "//" + std::to_string(*c.v6) : "";
  return c.v4 ? "/" + std::to_string(*c.v4) : "";
}

}  // namespace

bool valid_macro_string(std::string_view s, bool explanation) {
  bool ends;
  return scan_macro_string(s, explanation, ends);
}

bool valid_domain_spec(std::string_view s) {
  bool ends_with_expand;
  if (s.empty() || !scan_macro_string(s, false, ends_with_expand)) return false;
  if (ends_with_expand) return true;  // domain-end = macro-expand
  // domain-end = "." toplabel [ "." ]
  std::string_view t = s;
  if (t.back() == '.') t.remove_suffix(1);
  auto dot = t.rfind('.');
  if (dot == std::string_view::npos) return false;
  return valid_toplabel(t.substr(dot + 1));
}

SpfSyntax check_spf_record(std::string_view record, bool client_ipv6) {
  SpfSyntax out;
  auto fail = [&](std::string why) {
    out.ok = false;
    out.error = std::move(why);
    out.rewritten.clear();
    return out;
  };
  for (unsigned char c : record)  // §3.1/§4.6.1: 7-bit ASCII, terms split by spaces only
    if (c < 0x20 || c > 0x7e) return fail("non-ASCII or control character in the SPF record");
  if (record.size() < 6 || !iequals(record.substr(0, 6), "v=spf1"))
    return fail("not an SPF version 1 record");

  std::vector<std::string> mechanisms;
  std::string redirect, exp;
  bool have_redirect = false, have_exp = false;
  for (std::string_view term : split(record.substr(6), ' ')) {
    if (term.empty()) continue;
    std::string shown = "'" + std::string(term) + "'";
    // modifier = name "=" macro-string, name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
    size_t n = 0;
    if (is_alpha(term[0])) {
      n = 1;
      while (n < term.size() &&
             (is_alnum(term[n]) || term[n] == '-' || term[n] == '_' || term[n] == '.'))
        ++n;
    }
    if (n > 0 && n < term.size() && term[n] == '=') {
      std::string name = to_lower(term.substr(0, n));
      std::string_view value = term.substr(n + 1);
      if (name == "redirect" || name == "exp") {
        bool& seen = name == "redirect" ? have_redirect : have_exp;
        if (seen) return fail(name + "= given twice (RFC 7208 §6)");
        seen = true;
        if (!valid_domain_spec(value)) return fail("invalid domain-spec in " + shown);
        (name == "redirect" ? redirect : exp) = std::string(value);
      } else if (!valid_macro_string(value, false)) {
        return fail("invalid macro-string in modifier " + shown);
      }  // unknown modifiers are ignored (§6), so not passed on
      continue;
    }

    std::string_view t = term;
    char qualifier = '+';
    if (std::string_view("+-~?").find(t[0]) != std::string_view::npos) {
      qualifier = t[0];
      t.remove_prefix(1);
    }
    size_t m = 0;
    while (m < t.size() && is_alnum(t[m])) ++m;
    std::string mech = to_lower(t.substr(0, m));
    std::string_view rest = t.substr(m);
    std::string q = qualifier == '+' ? "" : std::string(1, qualifier);
    bool has_colon = !rest.empty() && rest[0] == ':';
    std::string_view arg = has_colon ? rest.substr(1) : rest;

    if (mech == "all") {
      if (!rest.empty()) return fail("invalid mechanism " + shown);
      mechanisms.push_back(q + "all");
    } else if (mech == "include" || mech == "exists") {
      if (!has_colon || !valid_domain_spec(arg)) return fail("invalid domain-spec in " + shown);
      mechanisms.push_back(q + mech + ":" + std::string(arg));
    } else if (mech == "ptr") {
      if (!rest.empty() && (!has_colon || !valid_domain_spec(arg)))
        return fail("invalid mechanism " + shown);
      mechanisms.push_back(q + "ptr" + (has_colon ? ":" + std::string(arg) : ""));
    } else if (mech == "a" || mech == "mx") {
      DualCidr cidr;
      if (!split_dual_cidr(arg, cidr)) return fail("invalid CIDR length in " + shown);
      if (has_colon && !valid_domain_spec(arg)) return fail("invalid domain-spec in " + shown);
      if (!has_colon && !arg.empty()) return fail("invalid mechanism " + shown);
      std::string domain = has_colon ? ":" + std::string(arg) : "";
      std::optional<int> len = client_ipv6 ? cidr.v6 : cidr.v4;
      if (len && *len == 0) {
        if (mech == "a" && !client_ipv6) {  // any A record matches: one A query, as exists
          mechanisms.push_back(q + "exists" + (has_colon ? domain : std::string(":%{d}")));
          continue;
        }
        out.inexact = true;
        mechanisms.push_back(q + mech + domain);
        continue;
      }
      mechanisms.push_back(q + mech + domain + cidr_text(cidr, client_ipv6));
    } else if (mech == "ip4" || mech == "ip6") {
      if (!has_colon) return fail("missing address in " + shown);
      bool v6 = mech == "ip6";
      std::optional<int> len;
      std::string_view addr = arg;
      if (auto slash = arg.find('/'); slash != std::string_view::npos) {
        addr = arg.substr(0, slash);
        len = parse_cidr(arg.substr(slash + 1), v6 ? 128 : 32);
        if (!len) return fail("invalid CIDR length in " + shown);
      }
      unsigned char buf[16];
      std::string a(addr);
      if (inet_pton(v6 ? AF_INET6 : AF_INET, a.c_str(), buf) != 1)
        return fail("invalid address in " + shown);
      if (len && *len == 0) {  // libspf2 cannot take /0: the two halves of the space
        mechanisms.push_back(q + (v6 ? "ip6:::/1" : "ip4:0.0.0.0/1"));
        mechanisms.push_back(q + (v6 ? "ip6:8000::/1" : "ip4:128.0.0.0/1"));
      } else {
        mechanisms.push_back(q + mech + ":" + std::string(arg));
      }
    } else {
      return fail("unknown mechanism " + shown + " (RFC 7208 §5)");
    }
  }

  out.ok = true;
  out.rewritten = "v=spf1";
  for (const auto& m : mechanisms) out.rewritten += " " + m;
  if (have_exp) out.rewritten += " exp=" + exp;
  if (have_redirect) out.rewritten += " redirect=" + redirect;
  return out;
}

}  // namespace alignd
