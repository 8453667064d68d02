// RFC 9989 §5.3.1 and §11.5: DMARC over every Author Domain of the From
// field(s), the strictest outcome winning; see authors.h.
#include "core/dmarc/authors.h"

namespace alignd {

namespace {

// Larger is stricter; see strictest_dmarc() in authors.h.
int strictness(const DmarcResult& r) {
  switch (r.result) {
    case Outcome::Fail: {
      const RequestedPolicy p = r.effective_policy;
      if (p == RequestedPolicy::Reject) return 70;
      return p == RequestedPolicy::Quarantine ? 50 : 40;
    }
    case Outcome::TempError: return 60;
    case Outcome::PermError: return 30;
    case Outcome::None: return 20;
    case Outcome::Pass: return 10;
    default: return 0;
  }
}

}  // namespace

const DmarcResult& strictest_dmarc(const std::vector<DmarcResult>& results) {
  const DmarcResult* pick = &results.front();
  for (const auto& r : results)
    if (strictness(r) > strictness(*pick)) pick = &r;
  return *pick;
}

AuthorsDmarc evaluate_dmarc_authors(const AuthorDomain& from, const DmarcInput& in,
                                    const DnsLookup& lookup, const DmarcOptions& opts,
                                    size_t max_domains) {
  AuthorsDmarc out;
  out.from_problem = from.problem;
  DmarcDns dns(lookup);  // one cache for every author domain of the message

  // One Author Domain: the ordinary case (§5.3.1).
  if (from.problem.empty() && !from.domain.empty()) {
    DmarcInput one = in;
    one.author_domain = from.domain;
    one.from_problem.clear();
    out.combined = evaluate_dmarc(one, dns, opts);
    out.each.push_back(out.combined);
    return out;
  }

  // No usable domain (no From, nothing parseable): nothing to evaluate, and
  // nothing the policy may take for "no DMARC record" either (§11.5: recognise
  // the threat). The Authentication-Results say dmarc=permerror (problem).
  // The domains named in a From that does not parse are still evaluated, each
  // as if it were the author (at most max_domains), but only for their
  // owners' reports: the result stays permerror.
  if (from.domains.empty()) {
    DmarcInput none = in;
    none.author_domain.clear();
    none.from_problem = from.problem.empty() ? "unparseable" : from.problem;
    out.combined = evaluate_dmarc(none, dns, opts);
    out.combined.result = Outcome::PermError;
    if (out.from_problem.empty()) out.from_problem = "unparseable";
    for (size_t i = 0; i < from.salvaged.size() && i < max_domains; ++i) {
      DmarcInput one = in;
      one.author_domain = from.salvaged[i];
      one.from_problem.clear();
      out.each.push_back(evaluate_dmarc(one, dns, opts));
    }
    out.combined.lookups = dns.log();
    out.combined.dns_queries = dns.queries();
    return out;
  }

  // Several author domains (one From listing several, or several From fields
  // whose addresses parse): §11.5 evaluates each as the Author Domain, at most
  // max_domains of them; past the limit the evaluation is incomplete.
  // Domains of a second, unparseable From field come after the parsed ones.
  std::vector<std::string> domains = from.domains;
  domains.insert(domains.end(), from.salvaged.begin(), from.salvaged.end());
  const bool incomplete = domains.size() > max_domains;
  std::string summary;
  for (size_t i = 0; i < domains.size() && i < max_domains; ++i) {
    DmarcInput one = in;
    one.author_domain = domains[i];
    one.from_problem.clear();
    out.each.push_back(evaluate_dmarc(one, dns, opts));
    summary += (summary.empty() ? "" : ", ") + out.each.back().author_domain + "=" +
               std::string(to_string(out.each.back().result));
  }
  out.combined = strictest_dmarc(out.each);
  if (incomplete) {
    // A repeated From is broken already; a single one with too many domains becomes so.
    if (from.problem == "multiple-addresses") out.from_problem = "too-many-authors";
    out.combined.errors.push_back("only the first " + std::to_string(max_domains) + " of " +
                                  std::to_string(domains.size()) +
                                  " author domains evaluated (RFC 9989 §11.5)");
  }
  std::string which = domains.size() > 1
                          ? "several author domains (" + summary + (incomplete ? ", ..." : "") + ")"
                          : std::to_string(from.address_count) + " addresses in one domain";
  out.combined.reason =
      from.problem + ", " + which + "; " + out.combined.author_domain + ": " + out.combined.reason;
  out.combined.lookups = dns.log();
  out.combined.dns_queries = dns.queries();
  return out;
}

}  // namespace alignd
