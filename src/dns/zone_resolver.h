// A Resolver answering from local master-file data (dns/zone_file.h): the whole DNS
// for `alignd eval --dns-zone`, or the local part of an OverlayResolver. Immutable
// after construction, so thread-safe. Leaves out wildcards, DNSSEC and delegation.
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

  // Records of that type (following CNAMEs within the data, at most 8); else NODATA
  // if the name owns other records or has names below it (an empty non-terminal),
  // else NXDOMAIN (RFC 1034 §4.3.2, RFC 8020). A CNAME loop answers TempFail, as a
  // real resolver's SERVFAIL would.
  DnsAnswer query(std::string_view name, RrType type) override;

  // A lookup that reports where a CNAME chain leaves the data: `exit_target` is the
  // target name not covered by the data (empty when the answer is complete). Used by
  // OverlayResolver to continue upstream.
  struct Lookup {
    DnsAnswer answer;
    std::string exit_target;
  };
  Lookup lookup(std::string_view name, RrType type) const;

  // True if the name is at or under any owner name in the data.
  bool covers(std::string_view name) const;

  size_t size() const { return count_; }

 private:
  std::map<std::pair<std::string, RrType>, std::vector<std::string>> rrsets_;
  std::map<std::string, std::string> cnames_;  // owner -> target
  std::set<std::string> owners_;               // every owner name
  std::set<std::string> existing_;             // owners and their ancestors (ENTs)
  size_t count_ = 0;
};

// Lowercase, with exactly one trailing dot ("Example.COM" -> "example.com.").
std::string absolute_name(std::string_view name);

}  // namespace alignd
