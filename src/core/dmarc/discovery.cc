// RFC 9989 §4.10 Tree Walk and §4.10.1/§4.10.2 selections; RFC 7489 §6.6.3
// discovery with a PSL-derived Organizational Domain. Nothing here decides
// pass/fail or which of p/sp/np applies: see evaluate.cc.
#include "core/dmarc/discovery.h"

#include "core/text.h"

namespace alignd {

namespace {

std::vector<std::string_view> labels_of(std::string_view d) {
  if (d.empty()) return {};
  return split(d, '.');
}

// The last `k` labels of `d`.
std::string suffix(std::string_view d, size_t k) {
  auto labels = labels_of(d);
  std::string out;
  for (size_t i = labels.size() - k; i < labels.size(); ++i) {
    if (!out.empty()) out += '.';
    out += labels[i];
  }
  return out;
}

}  // namespace

std::string_view to_string(DmarcLookup::Status s) {
  switch (s) {
    case DmarcLookup::Status::Found: return "found";
    case DmarcLookup::Status::None: return "none";
    case DmarcLookup::Status::Multiple: return "multiple";
    case DmarcLookup::Status::TempFail: return "tempfail";
    case DmarcLookup::Status::PermFail: return "permfail";
  }
  return "none";
}

const DmarcLookup& DmarcDns::record_at(const std::string& domain) {
  if (auto it = cache_.find(domain); it != cache_.end()) return it->second;
  DmarcLookup l;
  l.domain = domain;
  const std::string name = "_dmarc." + domain;
  DnsAnswer a = dns_(name, RrType::TXT);
  ++queries_;
  switch (a.status) {
    case DnsStatus::TempFail:
      l.status = DmarcLookup::Status::TempFail;
      l.detail = a.error.empty() ? "temporary DNS failure" : a.error;
      break;
    case DnsStatus::PermFail:
      l.status = DmarcLookup::Status::PermFail;
      l.detail = a.error.empty() ? "malformed DNS answer" : a.error;
      break;
    case DnsStatus::NxDomain:
    case DnsStatus::NoData:
      l.status = DmarcLookup::Status::None;
      l.detail = std::string(to_string(a.status));
      break;
    case DnsStatus::Ok: {
      // §4.10 step 2: discard what is not v=DMARC1; several DMARC records: none applies.
      int n = 0;
      for (const auto& txt : a.records) {
        DmarcParse p = parse_dmarc_record(txt);
        if (!p.ok()) continue;
        if (++n == 1) l.record = std::move(p.record);
      }
      if (n == 1) {
        l.status = DmarcLookup::Status::Found;
      } else if (n > 1) {
        l.status = DmarcLookup::Status::Multiple;
        l.record = {};
        l.detail = std::to_string(n) + " DMARC records: all discarded";
      } else {
        l.status = DmarcLookup::Status::None;
        l.detail = "no TXT record starts with v=DMARC1";
      }
      break;
    }
  }
  log_.push_back(name + " TXT: " + std::string(to_string(l.status)) +
                 (l.detail.empty() ? "" : " (" + l.detail + ")"));
  return cache_.emplace(domain, std::move(l)).first->second;
}

DnsStatus DmarcDns::existence(const std::string& domain) {
  if (auto it = exists_.find(domain); it != exists_.end()) return it->second;
  DnsAnswer a = dns_(domain, RrType::A);
  ++queries_;
  log_.push_back(domain + " A: " + std::string(to_string(a.status)));
  return exists_[domain] = a.status;
}

std::vector<std::string> tree_walk_targets(std::string_view domain) {
  std::vector<std::string> out;
  const size_t n = labels_of(domain).size();
  if (n == 0) return out;
  out.emplace_back(domain);
  // Step 4: fewer than 8 labels drop one; 8 or more jump to 7; then one at a time.
  for (size_t k = n >= 8 ? 7 : n - 1; k >= 1; --k) out.push_back(suffix(domain, k));
  return out;
}

OrgDomain tree_walk_org_domain(DmarcDns& dns, std::string_view domain_in) {
  OrgDomain out;
  const std::string domain(domain_in);
  std::vector<const DmarcLookup*> found;  // longest to shortest
  for (const auto& target : tree_walk_targets(domain)) {
    const DmarcLookup& l = dns.record_at(target);
    if (l.status == DmarcLookup::Status::TempFail || l.status == DmarcLookup::Status::PermFail) {
      out.error = true;
      out.permanent = l.status == DmarcLookup::Status::PermFail;
      out.detail = "DNS error at _dmarc." + target + ": " + l.detail;
      return out;
    }
    if (l.status != DmarcLookup::Status::Found) continue;
    found.push_back(&l);
    out.with_records.push_back(target);
    if (l.record.psd != PsdFlag::Unknown) break;  // §4.10 step 6: psd=y or psd=n stops
  }
  // §4.10.2 selection, longest to shortest.
  for (const DmarcLookup* l : found) {
    if (l->record.psd == PsdFlag::No) {
      out.domain = l->domain;
      out.detail = "psd=n at _dmarc." + l->domain;
      return out;
    }
    if (l->record.psd == PsdFlag::Yes && l->domain != domain) {
      out.domain = suffix(domain, labels_of(l->domain).size() + 1);
      out.detail = "one label below the PSD " + l->domain + " (psd=y)";
      return out;
    }
  }
  if (!found.empty()) {
    out.domain = found.back()->domain;
    out.detail = "the record with the fewest labels, _dmarc." + out.domain;
  } else {
    out.domain = domain;
    out.detail = "no DMARC record on the walk: the domain itself";
  }
  return out;
}

OrgDomain psl_org_domain(const PslOrgDomain& psl, std::string_view domain) {
  OrgDomain out;
  std::string d = psl ? psl(domain) : std::string();
  if (d.empty()) {
    out.domain = std::string(domain);
    out.detail = psl ? "a public suffix or not under one: the domain itself"
                     : "no public suffix list: the domain itself";
  } else {
    out.domain = normalize_domain(d);
    out.detail = "public suffix list registrable domain";
  }
  return out;
}

namespace {

void found_at(PolicyDiscovery& out, const DmarcLookup& l, std::string_view author) {
  out.status = PolicyDiscovery::Status::Found;
  out.policy_domain = l.domain;
  out.record = l.record;
  out.subdomain_policy = l.domain != author;
  out.psd_record = l.record.psd == PsdFlag::Yes && l.domain != author;
}

bool dns_error(PolicyDiscovery& out, const DmarcLookup& l) {
  if (l.status == DmarcLookup::Status::TempFail) {
    out.status = PolicyDiscovery::Status::TempError;
  } else if (l.status == DmarcLookup::Status::PermFail) {
    out.status = PolicyDiscovery::Status::PermError;
  } else {
    return false;
  }
  out.detail = "DNS error at _dmarc." + l.domain + ": " + l.detail;
  return true;
}

}  // namespace

PolicyDiscovery discover_policy_tree_walk(DmarcDns& dns, std::string_view author_in) {
  PolicyDiscovery out;
  const std::string author(author_in);
  const DmarcLookup& own = dns.record_at(author);
  if (dns_error(out, own)) return out;
  if (own.status == DmarcLookup::Status::Found) {
    found_at(out, own, author);
    out.detail = "record at _dmarc." + author;
    return out;
  }
  // §4.10.1: no record for the Author Domain: walk to its Organizational Domain or PSD.
  OrgDomain org = tree_walk_org_domain(dns, author);
  if (org.error) {
    out.status =
        org.permanent ? PolicyDiscovery::Status::PermError : PolicyDiscovery::Status::TempError;
    out.detail = org.detail;
    return out;
  }
  if (org.with_records.empty()) {
    out.detail =
        "no DMARC record for " + author + " or its parents" +
        (own.status == DmarcLookup::Status::Multiple ? " (" + own.detail + " at " + author + ")"
                                                     : "");
    return out;
  }
  const DmarcLookup& at_org = dns.record_at(org.domain);
  if (at_org.status == DmarcLookup::Status::Found) {
    found_at(out, at_org, author);
    out.detail = "record of the Organizational Domain " + org.domain + " (" + org.detail + ")";
    return out;
  }
  // The Organizational Domain has none: a PSD record (psd=y) that ended the walk.
  const DmarcLookup& last = dns.record_at(org.with_records.back());
  if (last.record.psd == PsdFlag::Yes) {
    found_at(out, last, author);
    out.detail = "record of the PSD " + last.domain + " (psd=y); Organizational Domain " +
                 org.domain + " has none";
    return out;
  }
  out.detail = "no DMARC record applies to " + author;
  return out;
}

PolicyDiscovery discover_policy_psl(DmarcDns& dns, std::string_view author_in,
                                    const PslOrgDomain& psl) {
  PolicyDiscovery out;
  const std::string author(author_in);
  const DmarcLookup& own = dns.record_at(author);
  if (dns_error(out, own)) return out;
  if (own.status == DmarcLookup::Status::Found) {
    found_at(out, own, author);
    out.psd_record = false;
    out.detail = "record at _dmarc." + author;
    return out;
  }
  if (own.status == DmarcLookup::Status::Multiple) {  // RFC 7489 §6.6.3 step 5
    out.detail = own.detail + " at _dmarc." + author + ": DMARC does not apply";
    return out;
  }
  OrgDomain org = psl_org_domain(psl, author);
  if (org.domain == author) {
    out.detail = "no DMARC record at _dmarc." + author + " (it is its own Organizational Domain)";
    return out;
  }
  const DmarcLookup& at_org = dns.record_at(org.domain);
  if (dns_error(out, at_org)) return out;
  if (at_org.status == DmarcLookup::Status::Found) {
    found_at(out, at_org, author);
    out.psd_record = false;
    out.detail = "record of the Organizational Domain " + org.domain + " (public suffix list)";
    return out;
  }
  out.detail = "no DMARC record at _dmarc." + author + " or _dmarc." + org.domain +
               (at_org.status == DmarcLookup::Status::Multiple ? " (" + at_org.detail + ")" : "");
  return out;
}

}  // namespace alignd
