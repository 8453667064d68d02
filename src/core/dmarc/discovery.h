// DMARC Policy Record discovery and Organizational Domains: the RFC 9989 §4.10
// DNS Tree Walk (default) and the RFC 7489 §6.6.3 / §3.2 public-suffix method.
// Pure: DNS comes in as a DnsLookup, the public suffix list as a function.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/dmarc/record.h"
#include "core/dns_types.h"

namespace alignd {

// The DMARC records at one name, after §4.10 step 2 / RFC 7489 §6.6.3 step 2:
// TXT strings that are not v=DMARC1 are discarded.
struct DmarcLookup {
  enum class Status {
    Found,     // exactly one DMARC record
    None,      // NXDOMAIN, NODATA, or no TXT that is a DMARC record
    Multiple,  // several DMARC records: all discarded (§4.10 step 2)
    TempFail,  // DNS temporary failure
    PermFail,  // malformed DNS answer
  };
  Status status = Status::None;
  std::string domain;  // the name without "_dmarc."
  DmarcRecord record;  // when Found
  std::string detail;  // DNS error text or the reason nothing applied
};

std::string_view to_string(DmarcLookup::Status s);

// The DNS seen by one message's DMARC evaluation: memoizes _dmarc TXT answers so
// the several Tree Walks of §4.10.2 query each name once, and keeps a log.
class DmarcDns {
 public:
  explicit DmarcDns(DnsLookup dns) : dns_(std::move(dns)) {}
  const DmarcLookup& record_at(const std::string& domain);
  // RFC 9989 §3.2.13 / Appendix A.4 (RFC 8020): does `domain` exist? One A query:
  // NXDOMAIN = no; any other answer = yes; TempFail/PermFail returned as is.
  DnsStatus existence(const std::string& domain);
  int queries() const { return queries_; }
  // "_dmarc.example.com TXT: found", in query order.
  const std::vector<std::string>& log() const { return log_; }

 private:
  DnsLookup dns_;
  std::map<std::string, DmarcLookup> cache_;
  std::map<std::string, DnsStatus> exists_;
  int queries_ = 0;
  std::vector<std::string> log_;
};

// RFC 9989 §4.10 steps 3-7: the names a Tree Walk from `domain` queries, longest
// first: the domain itself, then (when it has 8 or more labels) its 7-label
// suffix, then one label shorter each step. At most 8 names.
std::vector<std::string> tree_walk_targets(std::string_view domain);

struct OrgDomain {
  std::string domain;                     // the Organizational Domain; "" when unknown
  bool error = false;                     // a query failed: the answer is unknown (§5.3.6)
  bool permanent = false;                 // ... and the failure was a malformed answer (PermFail)
  std::string detail;                     // how it was chosen, or the error
  std::vector<std::string> with_records;  // names on the walk holding one DMARC record
};

// RFC 9989 §4.10.2: Organizational Domain of `domain` by Tree Walk.
OrgDomain tree_walk_org_domain(DmarcDns& dns, std::string_view domain);

// RFC 7489 §3.2: Organizational Domain = the PSL registrable domain (the domain
// itself when the function returns "", i.e. a public suffix or no function).
using PslOrgDomain = std::function<std::string(std::string_view)>;
OrgDomain psl_org_domain(const PslOrgDomain& psl, std::string_view domain);

struct PolicyDiscovery {
  enum class Status { Found, NotFound, TempError, PermError };
  Status status = Status::NotFound;
  std::string policy_domain;  // where the applied record was found
  DmarcRecord record;
  // Where the record sits relative to the author domain (RFC 9989 §4.10.1):
  // true = the Organizational Domain's or PSD's record applied to a subdomain,
  // so sp=/np= are candidates; false = the Author Domain's own record (p=).
  bool subdomain_policy = false;
  bool psd_record = false;  // the record is a PSD's (psd=y) found by the walk
  std::string detail;       // human-readable: where and why
};

// RFC 9989 §4.10.1: the author domain's own record, else the record of its
// Organizational Domain, else that of its PSD (psd=y).
PolicyDiscovery discover_policy_tree_walk(DmarcDns& dns, std::string_view author_domain);

// RFC 7489 §6.6.3: the author domain's record, else (when the set at the author
// domain is empty) the Organizational Domain's. Several records at either
// name end discovery (step 5).
PolicyDiscovery discover_policy_psl(DmarcDns& dns, std::string_view author_domain,
                                    const PslOrgDomain& psl);

}  // namespace alignd
