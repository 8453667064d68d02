// A Resolver answering from local master-file data (dns/zone_file.h): the whole DNS
// for `alignd eval --dns-zone`, or the local part of an OverlayResolver. Immutable
// after construction, so thread-safe. Leaves out DNSSEC and delegation (NS records are
// data, not zone cuts).
#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dns/resolver.h"
#include "dns/zone_file.h"

namespace alignd {

class ZoneResolver : public Resolver {
 public:
  explicit ZoneResolver(const std::vector<ZoneRecord>& records);

  // Query names are presentation text (dns/dns_name.h: "a\032b.example" is "a b.example");
  // answers hold names in that module's form, as libunbound answers do.
  // Records of that type (following CNAMEs within the data, at most 8); else NODATA
  // if the name owns records of any type or has names below it (an empty non-terminal),
  // else a wildcard's records (RFC 4592 §3.3.1: `*.<closest encloser>`), else
  // NXDOMAIN (RFC 1034 §4.3.2, RFC 8020). A CNAME loop answers TempFail, as a real
  // resolver's SERVFAIL would.
  DnsAnswer query(std::string_view name, RrType type) override;

  // A lookup that reports where a CNAME chain leaves the data: `exit_target` is the
  // target name not covered by the data (empty when the answer is complete). Used by
  // OverlayResolver to continue upstream.
  struct Lookup {
    DnsAnswer answer;
    std::string exit_target;
  };
  Lookup lookup(std::string_view name, RrType type) const;

  // True if the name is at or under any owner name in the data (for a wildcard owner
  // `*.example.com.`, any name under example.com.).
  bool covers(std::string_view name) const;

  size_t size() const { return count_; }

 private:
  // The owner whose records answer for `n` (canonical): n itself if it exists, else
  // the wildcard at its closest encloser; empty if neither (NXDOMAIN).
  std::string source_of(const std::string& n) const;

  std::map<std::pair<std::string, RrType>, std::vector<std::string>> rrsets_;
  std::map<std::string, std::string> cnames_;  // owner -> target
  std::set<std::string> owners_;               // every owner name
  std::set<std::string> existing_;             // owners and their ancestors (ENTs)
  size_t count_ = 0;
};

// Lowercase, with exactly one trailing dot ("Example.COM" -> "example.com."); a name
// that is not a valid DNS name is only lowercased and given its dot.
std::string absolute_name(std::string_view name);

}  // namespace alignd
