// ZoneResolver: NXDOMAIN/NODATA/empty-non-terminal semantics over local data, with
// CNAME chains followed inside the data (RFC 1034 §4.3.2 step 3) and wildcards
// (RFC 4592 §3.3.1).
#include "dns/zone_resolver.h"

#include "core/text.h"
#include "dns/dns_name.h"

namespace alignd {

namespace {
constexpr int kMaxCnameHops = 8;
constexpr std::string_view kWildLabel = "\\042.";  // "*." in dns_name.h form

// "a.b.c." -> "b.c."; "c." -> "" (the root is never an owner here). Labels are
// separated by unescaped dots only: in the canonical form a '.' inside a label is \046.
std::string_view parent(std::string_view n) {
  auto dot = n.find('.');
  if (dot == std::string_view::npos || dot + 1 >= n.size()) return {};
  return n.substr(dot + 1);
}
}  // namespace

std::string absolute_name(std::string_view name) {
  if (auto c = canonical_name(trim(name))) return *c;
  std::string n = normalize_domain(name);
  n += '.';
  return n;
}

ZoneResolver::ZoneResolver(const std::vector<ZoneRecord>& records) {
  for (const auto& r : records) {
    std::string owner = absolute_name(r.name);
    rrsets_[{owner, r.type}].push_back(r.data);
    if (r.type == RrType::CNAME) cnames_[owner] = absolute_name(r.data);
    owners_.insert(owner);
    for (std::string_view n = owner; !n.empty(); n = parent(n)) existing_.emplace(n);
    ++count_;
  }
  if (count_ > 0) existing_.insert(".");  // the root has names below it
}

std::string ZoneResolver::source_of(const std::string& n) const {
  if (existing_.count(n)) return n;
  // RFC 4592 §3.3.1: the closest encloser is the longest existing ancestor; only its
  // own wildcard child applies (a wildcard never matches across an existing name).
  for (std::string_view s = parent(n); !s.empty(); s = parent(s)) {
    if (!existing_.count(std::string(s))) continue;
    std::string wild = std::string(kWildLabel) + std::string(s == "." ? "" : s);
    return owners_.count(wild) ? wild : std::string();
  }
  return {};
}

bool ZoneResolver::covers(std::string_view name) const {
  std::string n = absolute_name(name);
  for (std::string_view s = n; !s.empty(); s = parent(s)) {
    if (owners_.count(std::string(s))) return true;
    if (s != n && owners_.count(std::string(kWildLabel) + std::string(s))) return true;
  }
  return false;
}

ZoneResolver::Lookup ZoneResolver::lookup(std::string_view name, RrType type) const {
  Lookup out;
  std::string n = absolute_name(name);
  for (int hop = 0; hop <= kMaxCnameHops; ++hop) {
    if (hop > 0 && !covers(n)) {  // the chain left our data
      out.exit_target = n;
      out.answer.status = DnsStatus::NxDomain;
      return out;
    }
    std::string src = source_of(n);
    if (src.empty()) {
      out.answer.status = DnsStatus::NxDomain;
      return out;
    }
    if (auto it = rrsets_.find({src, type}); it != rrsets_.end()) {
      out.answer.status = DnsStatus::Ok;
      out.answer.records = it->second;  // RFC 4592 §3.3.1: owned by the query name
      return out;
    }
    if (type != RrType::CNAME) {
      if (auto c = cnames_.find(src); c != cnames_.end()) {
        n = c->second;
        continue;
      }
    }
    out.answer.status = DnsStatus::NoData;
    return out;
  }
  out.answer.status = DnsStatus::TempFail;
  out.answer.error = "CNAME chain longer than " + std::to_string(kMaxCnameHops) + " or a loop at " +
                     absolute_name(name);
  return out;
}

DnsAnswer ZoneResolver::query(std::string_view name, RrType type) {
  return lookup(name, type).answer;
}

}  // namespace alignd
