// RFC 9989 §4.7/§4.8 record syntax: "v=DMARC1" first (value case-sensitive),
// then tag=value pairs separated by ";". A bad tag is dropped in favour of its
// default (§4.8) and noted in `errors`; it never voids the record.
#include "core/dmarc/record.h"

#include <initializer_list>

#include "core/mailto.h"
#include "core/text.h"

namespace alignd {

namespace {

std::string_view trim_wsp(std::string_view s) {
  return trim(s);
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

// §4.8 dmarc-value: any printing character but ";" (%x20-3A / %x3C-7E).
bool printable_value(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return false;
  }
  return true;
}

template <class T>
std::optional<T> one_of(std::string_view v, std::initializer_list<std::pair<const char*, T>> m) {
  for (const auto& [name, value] : m)
    if (iequals(v, name)) return value;
  return std::nullopt;
}

// §4.8 dmarc-fo: a colon-separated set of "0" "1" "d" "s", each at most once,
// "0" and "1" mutually exclusive.
bool valid_fo(std::string_view v) {
  bool seen[4] = {false, false, false, false};
  for (std::string_view part : split(v, ':')) {
    part = trim_wsp(part);
    if (part.size() != 1) return false;
    char c = ascii_lower(part[0]);
    int idx = c == '0' ? 0 : c == '1' ? 1 : c == 'd' ? 2 : c == 's' ? 3 : -1;
    if (idx < 0 || seen[idx]) return false;
    seen[idx] = true;
  }
  return !(seen[0] && seen[1]);
}

// RFC 5321 §4.1.2 Keyword (Ldh-str), for RFC 7489 rf=.
bool keyword(std::string_view s) {
  if (s.empty() || !(is_alpha(s[0]) || is_digit(s[0]))) return false;
  for (char c : s)
    if (!(is_alpha(c) || is_digit(c) || c == '-')) return false;
  return s.back() != '-';
}

// Why a mailto: URI was refused, for the record's errors ("" for other schemes).
std::string mailto_problem(std::string_view uri) {
  if (!istarts_with(uri, "mailto:")) return "";
  std::string e = parse_mailto(uri.substr(0, uri.find('!'))).error;
  return e.empty() ? "" : " (" + e + ")";
}

}  // namespace

std::string_view to_string(Alignment a) {
  return a == Alignment::Strict ? "s" : "r";
}

std::string_view to_string(PsdFlag f) {
  switch (f) {
    case PsdFlag::Yes: return "y";
    case PsdFlag::No: return "n";
    case PsdFlag::Unknown: return "u";
  }
  return "u";
}

std::optional<ReportUri> parse_report_uri(std::string_view s) {
  s = trim_wsp(s);
  ReportUri r;
  // obs-dmarc-report-size = "!" 1*DIGIT [ "k" / "m" / "g" / "t" ]; a literal "!"
  // in the URI itself MUST be percent-encoded, so any "!" starts the suffix.
  if (size_t bang = s.find('!'); bang != std::string_view::npos) {
    std::string_view size = s.substr(bang + 1);
    s = s.substr(0, bang);
    int shift = 0;
    if (!size.empty() && !is_digit(size.back())) {
      char u = ascii_lower(size.back());
      shift = u == 'k' ? 10 : u == 'm' ? 20 : u == 'g' ? 30 : u == 't' ? 40 : -1;
      if (shift < 0) return std::nullopt;
      size.remove_suffix(1);
    }
    if (!all_digits(size) || size.size() > 20) return std::nullopt;
    uint64_t n = 0;
    for (char c : size) {
      if (n > (UINT64_MAX - (c - '0')) / 10) return std::nullopt;
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (shift > 0 && n > (UINT64_MAX >> shift)) return std::nullopt;
    r.max_bytes = n << shift;
  }
  // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" ...
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || !is_alpha(s[0])) return std::nullopt;
  for (char c : s.substr(0, colon))
    if (!(is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.')) return std::nullopt;
  std::string_view rest = s.substr(colon + 1);
  if (rest.empty()) return std::nullopt;
  for (char c : rest) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return std::nullopt;
    switch (c) {
      case '"':
      case '<':
      case '>':
      case '\\':
      case '^':
      case '`':
      case '{':
      case '|':
      case '}':
      case ',': return std::nullopt;
      default: break;
    }
  }
  r.scheme = to_lower(s.substr(0, colon));
  // RFC 6068 mailto: exactly one strict RFC 5321 Mailbox (core/mailto.h), so that
  // no report goes to an address other than the one §4 of RFC 9990 verified.
  if (r.scheme == "mailto" && !parse_mailto(s).mailbox) return std::nullopt;
  r.uri = std::string(s);
  return r;
}

DmarcParse parse_dmarc_record(std::string_view txt) {
  DmarcParse out;
  std::vector<std::string_view> parts = split(txt, ';');

  // §4.7 v: "MUST be the first tag ... the only possible value is DMARC1"
  // (case-sensitive, §4.8 %s"DMARC1"); else the entire record is ignored.
  {
    std::string_view first = parts.front();
    size_t eq = first.find('=');
    if (eq == std::string_view::npos || !iequals(trim_wsp(first.substr(0, eq)), "v")) {
      out.error = "does not start with v=DMARC1";
      return out;
    }
    if (trim_wsp(first.substr(eq + 1)) != "DMARC1") {
      out.error = "version is \"" + std::string(trim_wsp(first.substr(eq + 1))) + "\", not DMARC1";
      return out;
    }
  }
  out.status = DmarcParse::Status::Ok;
  DmarcRecord& r = out.record;
  r.text = std::string(txt);

  std::vector<std::string> seen;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view part = trim_wsp(parts[i]);
    if (part.empty()) continue;  // trailing or doubled separator
    auto err = [&](const std::string& e) { r.errors.push_back(e); };
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      err("malformed tag \"" + std::string(part) + "\" ignored");
      continue;
    }
    std::string_view name_raw = trim_wsp(part.substr(0, eq));
    std::string_view value = trim_wsp(part.substr(eq + 1));
    bool alpha = !name_raw.empty();
    for (char c : name_raw) alpha = alpha && is_alpha(c);
    if (!alpha) {
      err("malformed tag name \"" + std::string(name_raw) + "\" ignored");
      continue;
    }
    std::string name = to_lower(name_raw);
    if (value.empty() || !printable_value(value)) {
      err("tag " + name + " has an empty or non-printable value; ignored");
      continue;
    }
    bool dup = name == "v";
    for (const auto& s : seen) dup = dup || s == name;
    if (dup) {
      err("duplicate tag " + name + " ignored");
      continue;
    }
    seen.push_back(name);
    const std::string shown = name + "=" + std::string(value);
    auto invalid = [&] { err("invalid " + shown + " ignored"); };

    if (name == "p" || name == "sp" || name == "np") {
      auto v = parse_requested_policy(value);
      auto& slot = name == "p" ? r.p : name == "sp" ? r.sp : r.np;
      bool& bad = name == "p" ? r.p_invalid : name == "sp" ? r.sp_invalid : r.np_invalid;
      if (v) {
        slot = v;
      } else {
        bad = true;
        invalid();
      }
    } else if (name == "adkim" || name == "aspf") {
      auto v = one_of<Alignment>(value, {{"r", Alignment::Relaxed}, {"s", Alignment::Strict}});
      if (v)
        (name == "adkim" ? r.adkim : r.aspf) = *v;
      else
        invalid();
    } else if (name == "psd") {
      auto v = one_of<PsdFlag>(value,
                               {{"y", PsdFlag::Yes}, {"n", PsdFlag::No}, {"u", PsdFlag::Unknown}});
      if (v)
        r.psd = *v;
      else
        invalid();
    } else if (name == "t") {
      auto v = one_of<bool>(value, {{"y", true}, {"n", false}});
      if (v)
        r.testing = *v;
      else
        invalid();
    } else if (name == "rua" || name == "ruf") {
      auto& list = name == "rua" ? r.rua : r.ruf;
      for (std::string_view u : split(value, ',')) {
        if (auto uri = parse_report_uri(u))
          list.push_back(std::move(*uri));
        else
          err("invalid " + name + " URI \"" + std::string(trim_wsp(u)) + "\" ignored" +
              mailto_problem(trim_wsp(u)));
      }
    } else if (name == "fo") {
      if (valid_fo(value))
        r.fo = std::string(value);
      else
        invalid();
    } else if (name == "pct") {  // RFC 7489 §6.4: 1*3DIGIT, 0..100
      if (all_digits(value) && value.size() <= 3 && std::stoi(std::string(value)) <= 100)
        r.pct = std::stoi(std::string(value));
      else
        invalid();
    } else if (name == "ri") {  // RFC 7489 §6.3: 32-bit unsigned integer
      if (all_digits(value) && value.size() <= 10 && std::stoull(std::string(value)) <= UINT32_MAX)
        r.ri = static_cast<uint32_t>(std::stoull(std::string(value)));
      else
        invalid();
    } else if (name == "rf") {  // RFC 7489 §6.4: Keyword *(":" Keyword)
      std::vector<std::string> formats;
      bool ok = true;
      for (std::string_view f : split(value, ':')) {
        f = trim_wsp(f);
        ok = ok && keyword(f);
        formats.push_back(to_lower(f));
      }
      if (ok)
        r.rf = std::move(formats);
      else
        invalid();
    } else {
      r.unknown_tags.push_back(name);  // §4.7: unknown tags MUST be ignored
    }
  }
  return out;
}

}  // namespace alignd
