// ARC-Authentication-Results reading; see aar.h. RFC 8617 §4.1.1:
// arc-info = instance [CFWS] ";" authres-payload.
#include "core/arc/aar.h"

#include "core/auth_results.h"
#include "core/text.h"

namespace alignd {

namespace {
bool wsp(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
}  // namespace

std::string_view aar_instance_digits(std::string_view v, std::string_view* payload) {
  size_t i = 0;
  while (i < v.size() && wsp(v[i])) ++i;
  if (i + 1 >= v.size() || (v[i] != 'i' && v[i] != 'I')) return {};
  ++i;
  while (i < v.size() && wsp(v[i])) ++i;
  if (i >= v.size() || v[i] != '=') return {};
  ++i;
  while (i < v.size() && wsp(v[i])) ++i;
  size_t start = i;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
  std::string_view digits = v.substr(start, i - start);
  // [CFWS] ";" (comments are not expected here; anything else makes it invalid)
  while (i < v.size() && wsp(v[i])) ++i;
  if (i >= v.size() || v[i] != ';') return {};
  if (payload) *payload = v.substr(i + 1);
  return digits;
}

ArcAarInfo parse_aar(std::string_view value) {
  ArcAarInfo info;
  std::string_view payload;
  if (aar_instance_digits(value, &payload).empty()) return info;
  auto ar = parse_auth_results(payload);
  if (!ar) return info;
  info.authserv_id = to_lower(ar->authserv_id);
  for (const auto& r : ar->results) {
    if (r.method == "dmarc" && info.dmarc.empty()) {
      info.dmarc = r.result;
      for (const auto& p : r.props)
        if (iequals(p.ptype, "header") && iequals(p.property, "from"))
          info.dmarc_from = normalize_domain(p.value);
    } else if (r.method == "spf") {
      info.spf.push_back(r.result);
    } else if (r.method == "dkim") {
      info.dkim.push_back(r.result);
    }
  }
  return info;
}

}  // namespace alignd
