// RFC 9989 §5.3.2-§5.3.6: discovery, Identifier Alignment (§4.4, §4.10.2),
// pass/fail/temperror, and p/sp/np selection (§4.7, §4.10.1) with t=y; RFC
// 7489 §6.6 (PSL, sp, pct) in compatibility mode. No enforcement here.
#include "core/dmarc/evaluate.h"

#include <map>

#include "core/text.h"

namespace alignd {

std::string_view to_string(DmarcMode m) {
  return m == DmarcMode::Rfc7489 ? "rfc7489" : "rfc9989";
}

std::optional<DmarcMode> parse_dmarc_mode(std::string_view s) {
  if (iequals(s, "tree-walk") || iequals(s, "rfc9989")) return DmarcMode::Rfc9989;
  if (iequals(s, "psl") || iequals(s, "rfc7489")) return DmarcMode::Rfc7489;
  return std::nullopt;
}

namespace {

RequestedPolicy one_level_down(RequestedPolicy p) {
  return p == RequestedPolicy::Reject ? RequestedPolicy::Quarantine : RequestedPolicy::None;
}

// Organizational Domains, computed once per domain in the configured mode.
class OrgDomains {
 public:
  OrgDomains(DmarcDns& dns, const DmarcOptions& opts) : dns_(dns), opts_(opts) {}
  const OrgDomain& of(const std::string& domain) {
    if (auto it = cache_.find(domain); it != cache_.end()) return it->second;
    OrgDomain o = opts_.mode == DmarcMode::Rfc9989 ? tree_walk_org_domain(dns_, domain)
                                                   : psl_org_domain(opts_.psl_org_domain, domain);
    return cache_.emplace(domain, std::move(o)).first->second;
  }

 private:
  DmarcDns& dns_;
  const DmarcOptions& opts_;
  std::map<std::string, OrgDomain> cache_;
};

enum class Aligned { No, Strict, Relaxed, Unknown };

// RFC 9989 §3.2.10: strict = identical; relaxed = same Organizational Domain.
Aligned align(const std::string& id, const std::string& author, Alignment mode, OrgDomains& orgs,
              std::string& why) {
  if (id == author) return Aligned::Strict;
  if (mode == Alignment::Strict) {
    why = id + " is not " + author + " (strict)";
    return Aligned::No;
  }
  const OrgDomain& a = orgs.of(author);
  const OrgDomain& b = orgs.of(id);
  if (a.error || b.error) {
    why = "Organizational Domain of " + (a.error ? author : id) +
          " unknown: " + (a.error ? a.detail : b.detail);
    return Aligned::Unknown;
  }
  if (a.domain == b.domain) return Aligned::Relaxed;
  why = id + " (Organizational Domain " + b.domain + ") is not aligned with " + author +
        " (Organizational Domain " + a.domain + ")";
  return Aligned::No;
}

std::string_view name(Aligned a) {
  return a == Aligned::Strict ? "strict" : "relaxed";
}

void finish(DmarcResult& r, const DmarcDns& dns) {
  r.lookups = dns.log();
  r.dns_queries = dns.queries();
}

}  // namespace

DmarcResult evaluate_dmarc(const DmarcInput& in, const DnsLookup& lookup,
                           const DmarcOptions& opts) {
  DmarcDns dns(lookup);
  return evaluate_dmarc(in, dns, opts);
}

DmarcResult evaluate_dmarc(const DmarcInput& in, DmarcDns& dns, const DmarcOptions& opts) {
  DmarcResult r;
  r.mode = std::string(to_string(opts.mode));
  r.discovery = opts.mode == DmarcMode::Rfc9989 ? "tree-walk" : "psl";

  // RFC 9989 §5.3.1: zero or several Author Domains: DMARC validation is not possible.
  if (!in.from_problem.empty() || in.author_domain.empty()) {
    r.reason = "no single Author Domain (" +
               (in.from_problem.empty() ? std::string("empty") : in.from_problem) +
               "): DMARC not applied (RFC 9989 §5.3.1)";
    return r;
  }
  const std::string author = normalize_domain(in.author_domain);
  r.author_domain = author;
  r.evaluated = true;
  if (opts.mode == DmarcMode::Rfc7489 && !opts.psl_org_domain)
    r.errors.push_back("RFC 7489 mode without a public suffix list: relaxed alignment is exact");

  // §5.3.2 / §4.10.1: is there a DMARC Policy Record for the Author Domain?
  PolicyDiscovery d = opts.mode == DmarcMode::Rfc9989
                          ? discover_policy_tree_walk(dns, author)
                          : discover_policy_psl(dns, author, opts.psl_org_domain);
  OrgDomains orgs(dns, opts);
  auto note_org = [&] {
    const OrgDomain& o = orgs.of(author);
    if (!o.error) r.organizational_domain = o.domain;
    r.author_org_domain_detail = o.detail;
  };
  switch (d.status) {
    case PolicyDiscovery::Status::TempError:
      r.result = Outcome::TempError;
      r.errors.push_back(d.detail);
      r.reason = "temperror: policy discovery failed: " + d.detail;
      finish(r, dns);
      return r;
    case PolicyDiscovery::Status::PermError:
      r.result = Outcome::PermError;
      r.errors.push_back(d.detail);
      r.reason = "permerror: policy discovery failed: " + d.detail;
      finish(r, dns);
      return r;
    case PolicyDiscovery::Status::NotFound:
      r.result = Outcome::None;
      r.reason = "none: " + d.detail;
      note_org();
      finish(r, dns);
      return r;
    case PolicyDiscovery::Status::Found: break;
  }
  r.policy_domain = d.policy_domain;
  r.record = d.record.text;
  r.parsed = d.record;
  for (const auto& e : d.record.errors) r.errors.push_back("_dmarc." + d.policy_domain + ": " + e);
  DmarcRecord rec = d.record;

  // §4.10.1: no valid p=, or an invalid sp=/np=: p=none when rua= has a valid
  // URI, else no DMARC processing (reported as permerror: a broken record).
  if (!rec.policy_valid()) {
    if (rec.rua.empty()) {
      r.result = Outcome::PermError;
      r.reason = "permerror: the record at _dmarc." + d.policy_domain +
                 (rec.p ? " has an invalid sp= or np=" : " has no valid p=") +
                 " and no valid rua=: DMARC not applied (RFC 9989 §4.10.1)";
      r.errors.push_back(r.reason);
      note_org();
      finish(r, dns);
      return r;
    }
    r.errors.push_back("_dmarc." + d.policy_domain +
                       ": no valid p= (or invalid sp=/np=) with a valid rua=: treated as p=none");
    rec.p = RequestedPolicy::None;
    rec.sp.reset();
    rec.np.reset();
  }
  note_org();

  // §5.3.3-§5.3.5: Identifier Alignment of the SPF and passing DKIM identifiers.
  bool unknown = false;
  std::vector<std::string> notes;
  const SpfResult& spf = in.spf_mailfrom;
  const std::string spf_domain = normalize_domain(spf.domain);
  if (spf.result == Outcome::Pass && !spf_domain.empty()) {
    r.spf_domain = spf_domain;
    std::string why;
    Aligned a = align(spf_domain, author, rec.aspf, orgs, why);
    if (a == Aligned::Strict || a == Aligned::Relaxed) {
      r.spf_aligned = true;
      r.spf_alignment = std::string(name(a));
      notes.push_back("SPF " + spf_domain + " aligned (" + r.spf_alignment + ")");
    } else {
      unknown = unknown || a == Aligned::Unknown;
      notes.push_back("SPF pass for " + spf_domain + " not aligned: " + why);
    }
  } else {
    notes.push_back("SPF " + std::string(to_string(spf.result)) +
                    (spf_domain.empty() ? "" : " for " + spf_domain));
  }
  for (const auto& sig : in.dkim) {
    const std::string dd = normalize_domain(sig.domain);
    if (sig.result != Outcome::Pass || dd.empty()) continue;
    std::string why;
    Aligned a = align(dd, author, rec.adkim, orgs, why);
    if (a == Aligned::Strict || a == Aligned::Relaxed) {
      // Report a strictly aligned signature in preference to a relaxed one.
      if (!r.dkim_aligned || (r.dkim_alignment == "relaxed" && a == Aligned::Strict)) {
        r.aligned_dkim_domain = dd;
        r.dkim_alignment = std::string(name(a));
      }
      r.dkim_aligned = true;
    } else {
      unknown = unknown || a == Aligned::Unknown;
      notes.push_back("DKIM pass for d=" + dd + " not aligned: " + why);
    }
  }
  if (r.dkim_aligned)
    notes.push_back("DKIM d=" + r.aligned_dkim_domain + " aligned (" + r.dkim_alignment + ")");
  else if (in.dkim.empty())
    notes.push_back("no DKIM signature");

  // A check that ended in temperror for an identifier that would align could
  // still have passed: the result is not final (RFC 9989 §5.3.6, RFC 7489 §6.6.2).
  bool pending = false;
  if (!r.spf_aligned && !r.dkim_aligned) {
    auto would_align = [&](const std::string& id, Alignment mode) {
      std::string why;
      Aligned a = align(id, author, mode, orgs, why);
      return a != Aligned::No;
    };
    if (spf.result == Outcome::TempError && !spf_domain.empty() &&
        would_align(spf_domain, rec.aspf)) {
      pending = true;
      notes.push_back("SPF temperror for aligned " + spf_domain);
    }
    for (const auto& sig : in.dkim) {
      const std::string dd = normalize_domain(sig.domain);
      if (sig.result == Outcome::TempError && !dd.empty() && would_align(dd, rec.adkim)) {
        pending = true;
        notes.push_back("DKIM temperror for aligned d=" + dd);
      }
    }
  }

  if (r.spf_aligned || r.dkim_aligned) {
    r.result = Outcome::Pass;
  } else if (unknown || pending) {
    r.result = Outcome::TempError;
  } else {
    r.result = Outcome::Fail;
  }

  // Which Domain Owner Assessment Policy the record requests for this author domain.
  std::string policy_note;
  if (!d.subdomain_policy) {
    r.requested_policy = *rec.p;
    r.policy_tag = "p";
  } else if (opts.mode == DmarcMode::Rfc7489) {
    // RFC 7489 §6.3 sp: "If absent, the policy specified by the p tag MUST be applied".
    r.requested_policy = rec.sp ? *rec.sp : *rec.p;
    r.policy_tag = rec.sp ? "sp" : "p";
  } else {
    // RFC 9989 §4.7/§4.10.1: existing subdomains sp (else p); non-existent np (else sp, else p).
    const RequestedPolicy sp_eff = rec.sp ? *rec.sp : *rec.p;
    const std::string sp_tag = rec.sp ? "sp" : "p";
    r.requested_policy = sp_eff;
    r.policy_tag = sp_tag;
    if (rec.np && *rec.np != sp_eff) {
      DnsStatus s = dns.existence(author);
      if (s == DnsStatus::NxDomain) {
        r.author_domain_exists = false;
        r.np_applies = true;
        r.requested_policy = *rec.np;
        r.policy_tag = "np";
      } else if (s == DnsStatus::Ok || s == DnsStatus::NoData) {
        r.author_domain_exists = true;
      } else {
        r.errors.push_back("existence of " + author + " unknown (" + std::string(to_string(s)) +
                           "): np= or " + sp_tag + "= undecided");
        if (r.result == Outcome::Fail) {
          r.result = Outcome::TempError;
          notes.push_back("cannot tell np= from " + sp_tag + "=: " + author + " lookup " +
                          std::string(to_string(s)));
        }
      }
    }
  }
  r.testing = rec.testing;

  if (r.result == Outcome::Fail) {
    r.effective_policy = r.requested_policy;
    if (r.testing) {  // §4.7 t=y: apply one level below the requested policy
      r.effective_policy = one_level_down(r.effective_policy);
      policy_note = "; t=y: testing, apply " + std::string(to_string(r.effective_policy));
    }
    const int pct = rec.pct.value_or(100);
    if (opts.mode == DmarcMode::Rfc7489 && pct < 100 &&
        r.requested_policy != RequestedPolicy::None && static_cast<int>(opts.sample % 100) >= pct) {
      // RFC 7489 §6.6.4: not selected: reject becomes quarantine, quarantine none.
      // With t=y as well it stays one level below (as policy::effective_policy).
      r.sampled_out = true;
      r.effective_policy = one_level_down(r.requested_policy);
      policy_note += "; pct=" + std::to_string(pct) + ": sampled out, apply " +
                     std::string(to_string(r.effective_policy));
    }
  }

  std::string where = "_dmarc." + d.policy_domain;
  std::string joined;
  for (const auto& n : notes) joined += (joined.empty() ? "" : "; ") + n;
  r.reason = std::string(to_string(r.result)) + ": " + joined + "; " + r.policy_tag + "=" +
             std::string(to_string(r.requested_policy)) + " from " + where +
             (d.psd_record ? " (PSD record)" : "") + policy_note;
  finish(r, dns);
  return r;
}

}  // namespace alignd
