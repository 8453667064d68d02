// DKIM-Signature fields for verification; see dkim_signature.h.
#include "auth/dkim_signature.h"

#include "auth/dkim_tags.h"
#include "core/text.h"

namespace alignd {

namespace {

bool all_digits(std::string_view s, size_t max_len) {
  if (s.empty() || s.size() > max_len) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

DkimSignature& perm(DkimSignature& s, std::string why) {
  if (s.early == Outcome::None) {
    s.early = Outcome::PermError;
    s.reason = std::move(why);
  }
  return s;
}

}  // namespace

DkimSignature parse_dkim_signature(std::string_view value, int64_t now) {
  DkimSignature s;
  std::optional<std::string> v, a, b, bh, d, h, sel, c, i, l, q, t, x;
  std::string duplicate;
  for (auto& [name, val] : parse_dkim_tags(value)) {
    std::optional<std::string>* slot = nullptr;
    if (name == "v") slot = &v;
    else if (name == "a") slot = &a;
    else if (name == "b") slot = &b;
    else if (name == "bh") slot = &bh;
    else if (name == "d") slot = &d;
    else if (name == "h") slot = &h;
    else if (name == "s") slot = &sel;
    else if (name == "c") slot = &c;
    else if (name == "i") slot = &i;
    else if (name == "l") slot = &l;
    else if (name == "q") slot = &q;
    else if (name == "t") slot = &t;
    else if (name == "x") slot = &x;
    if (!slot) continue;  // §3.2: unknown tags are ignored
    if (*slot) {
      if (duplicate.empty()) duplicate = name;
      continue;
    }
    *slot = std::move(val);
  }
  s.domain = normalize_domain(d.value_or(""));
  s.selector = sel.value_or("");
  s.algorithm = to_lower(a.value_or(""));
  s.identity = i.value_or("");
  s.b = b.value_or("");
  s.bh = bh.value_or("");
  // §3.2: a tag-list with a duplicate tag name is invalid as a whole.
  if (!duplicate.empty()) return perm(s, "tag " + duplicate + "= appears twice");
  // §6.1.1, in the order a verifier checks them.
  if (!v) return perm(s, "no v= tag");
  if (*v != "1") return perm(s, "unsupported version v=" + *v);
  if (!a || !b || !bh || !d || !h || !sel)
    return perm(s, "a required tag (a=, b=, bh=, d=, h=, s=) is missing");
  if (s.b.empty() || s.bh.empty() || s.domain.empty() || s.selector.empty())
    return perm(s, "an empty b=, bh=, d= or s= tag");
  for (auto name : split(*h, ':')) {
    std::string n(trim(name));
    if (n.empty()) return perm(s, "empty name in h=");
    s.signed_headers.push_back(n);
  }
  bool signs_from = false;
  for (const auto& n : s.signed_headers) signs_from = signs_from || iequals(n, "from");
  if (!signs_from) return perm(s, "From is not signed (h= must include from)");
  if (c) {
    auto slash = c->find('/');
    std::string hc = to_lower(c->substr(0, slash));
    std::string bc = slash == std::string::npos ? "simple" : to_lower(c->substr(slash + 1));
    if ((hc != "simple" && hc != "relaxed") || (bc != "simple" && bc != "relaxed"))
      return perm(s, "unknown canonicalization c=" + *c);
    s.header_relaxed = hc == "relaxed";
    s.body_relaxed = bc == "relaxed";
  }
  if (i) {  // §3.5: i= is d= or a subdomain of it
    auto at = i->rfind('@');
    if (at == std::string::npos) return perm(s, "i= has no @");
    if (!domain_at_or_below(i->substr(at + 1), s.domain)) return perm(s, "i= is not within d=");
  }
  if (q) {
    bool dns_txt = false;
    for (auto m : split(*q, ':')) dns_txt = dns_txt || iequals(trim(m), "dns/txt");
    if (!dns_txt) return perm(s, "no supported query method in q=");
  }
  if (l) {
    if (!all_digits(*l, 76)) return perm(s, "l= is not a number");
    if (l->size() > 18) return perm(s, "l= is too large");
    s.body_length = std::stoull(*l);
  }
  if (t) {
    if (!all_digits(*t, 12)) return perm(s, "t= is not a number");
    s.timestamp = std::stoll(*t);
  }
  if (x) {
    if (!all_digits(*x, 12)) return perm(s, "x= is not a number");
    s.expiry = std::stoll(*x);
    // An x= already past is "expired" (below), as in libopendkim, before x= < t=.
    if (s.timestamp && *s.expiry < *s.timestamp && *s.expiry + kDkimClockDrift >= now)
      return perm(s, "x= is before t=");
  }
  if (s.algorithm == "rsa-sha1") {
    s.early = Outcome::Fail;
    s.reason = "rsa-sha1 signatures are not accepted (RFC 8301 §3.1)";
    return s;
  }
  if (s.algorithm != "rsa-sha256" && s.algorithm != "ed25519-sha256")
    return perm(s, "unsupported algorithm " + s.algorithm);
  // §3.5 x=, t=: clocks differ; like libopendkim, allow kDkimClockDrift either way.
  if (s.expiry && *s.expiry + kDkimClockDrift < now) {
    s.early = Outcome::Fail;
    s.reason = "signature expired (x=)";
  } else if (s.timestamp && *s.timestamp > now + kDkimClockDrift) {
    return perm(s, "t= is in the future");
  }
  return s;
}

std::string without_b_value(std::string_view value) {
  // Walk tag=value pieces separated by ';'; in the one named b (FWS around the name
  // allowed), drop everything between '=' and the next ';' or the end.
  std::string out;
  size_t pos = 0;
  bool done = false;
  while (pos <= value.size()) {
    size_t semi = value.find(';', pos);
    size_t end = semi == std::string_view::npos ? value.size() : semi;
    std::string_view piece = value.substr(pos, end - pos);
    size_t eq = piece.find('=');
    if (!done && eq != std::string_view::npos && trim(piece.substr(0, eq)) == "b") {
      out.append(piece.substr(0, eq + 1));
      done = true;
    } else {
      out.append(piece);
    }
    if (semi == std::string_view::npos) break;
    out.push_back(';');
    pos = semi + 1;
  }
  return out;
}

}  // namespace alignd
