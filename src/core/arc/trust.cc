// ARC trust decision; see trust.h.
#include "core/arc/trust.h"

#include "core/text.h"

namespace alignd {

bool is_trusted_sealer(std::string_view domain, const std::vector<std::string>& trusted) {
  std::string d = normalize_domain(domain);
  if (d.empty()) return false;
  for (const auto& t : trusted)
    if (normalize_domain(t) == d) return true;
  return false;
}

void apply_arc_trust(ArcResult& r, const std::vector<std::string>& trusted_sealers,
                     std::string_view author_domain) {
  r.trusted_sealer = false;
  r.trusted_from = 0;
  r.trusted_pass = false;
  r.trusted_instance = 0;
  if (r.status != Outcome::Pass || r.sets.empty()) return;
  // The trusted suffix: instances i..N all sealed by trusted sealers.
  for (size_t k = r.sets.size(); k > 0; --k) {
    if (!is_trusted_sealer(r.sets[k - 1].seal_domain, trusted_sealers)) break;
    r.trusted_from = r.sets[k - 1].instance;
  }
  r.trusted_sealer = r.trusted_from > 0;
  if (!r.trusted_sealer) return;
  std::string author = normalize_domain(author_domain);
  if (author.empty()) return;
  // The oldest trusted assessment that saw DMARC pass for this author domain.
  for (const auto& s : r.sets) {
    if (s.instance < r.trusted_from) continue;
    if (s.aar.dmarc == "pass" && s.aar.dmarc_from == author) {
      r.trusted_pass = true;
      r.trusted_instance = s.instance;
      return;
    }
  }
}

std::vector<std::string> trusted_aar_results(const ArcResult& r, std::string_view method,
                                             std::string_view author_domain) {
  std::vector<std::string> out;
  if (!r.trusted_sealer) return out;
  std::string author = normalize_domain(author_domain);
  for (const auto& s : r.sets) {
    if (s.instance < r.trusted_from) continue;
    if (method == "dmarc") {
      if (!s.aar.dmarc.empty() && !author.empty() && s.aar.dmarc_from == author)
        out.push_back(s.aar.dmarc);
    } else {
      const auto& v = method == "spf" ? s.aar.spf : s.aar.dkim;
      out.insert(out.end(), v.begin(), v.end());
    }
  }
  return out;
}

}  // namespace alignd
