// Mapping of libunbound results to DnsStatus and rdata to text (RFC 1035 §3.3, §3.4.1,
// RFC 3596 §2.2, RFC 5952). TXT strings are joined (RFC 7208 §3.3, RFC 6376 §3.6.2.2).
#include "dns/unbound_answer.h"

#include <arpa/inet.h>
#include <unbound.h>

#include <cstdio>

#include "dns/dns_name.h"

namespace alignd {

namespace {

constexpr int kNoError = 0, kServFail = 2, kNxDomain = 3;

DnsAnswer temp(std::string why) {
  DnsAnswer a;
  a.status = DnsStatus::TempFail;
  a.error = std::move(why);
  return a;
}

}  // namespace

std::optional<std::string> rdata_to_text(RrType type, std::string_view rd) {
  switch (type) {
    case RrType::A: {
      if (rd.size() != 4) return std::nullopt;
      char buf[INET_ADDRSTRLEN];
      if (!inet_ntop(AF_INET, rd.data(), buf, sizeof buf)) return std::nullopt;
      return buf;
    }
    case RrType::AAAA: {
      if (rd.size() != 16) return std::nullopt;
      char buf[INET6_ADDRSTRLEN];
      if (!inet_ntop(AF_INET6, rd.data(), buf, sizeof buf)) return std::nullopt;
      return buf;
    }
    case RrType::TXT: {
      if (rd.empty()) return std::nullopt;  // at least one <character-string>
      std::string out;
      for (size_t pos = 0; pos < rd.size();) {
        auto len = static_cast<unsigned char>(rd[pos++]);
        if (pos + len > rd.size()) return std::nullopt;
        out.append(rd.substr(pos, len));
        pos += len;
      }
      return out;
    }
    case RrType::MX: {
      if (rd.size() < 3) return std::nullopt;
      unsigned pref = (static_cast<unsigned char>(rd[0]) << 8) | static_cast<unsigned char>(rd[1]);
      size_t pos = 2;
      auto n = wire_name_to_text(rd, pos);
      if (!n || pos != rd.size()) return std::nullopt;
      return std::to_string(pref) + " " + *n;
    }
    case RrType::PTR:
    case RrType::CNAME:
    case RrType::NS: {
      size_t pos = 0;
      auto n = wire_name_to_text(rd, pos);
      if (!n || pos != rd.size()) return std::nullopt;
      return n;
    }
  }
  return std::nullopt;
}

DnsAnswer map_unbound_result(int err, const ub_result* r, RrType type) {
  if (err != 0 || r == nullptr)
    return temp(std::string("resolver error: ") + (err ? ub_strerror(err) : "no result"));
  if (r->bogus)  // a validating resolver answers SERVFAIL for bogus data (RFC 4035 §5.5)
    return temp(std::string("DNSSEC validation failed: ") +
                (r->why_bogus ? r->why_bogus : "bogus"));
  if (r->rcode == kNxDomain || r->nxdomain) {
    DnsAnswer a;
    a.status = DnsStatus::NxDomain;
    a.secure = r->secure != 0;
    return a;
  }
  if (r->rcode == kServFail) return temp("SERVFAIL");
  if (r->rcode != kNoError) return temp("DNS error rcode " + std::to_string(r->rcode));
  DnsAnswer a;
  a.secure = r->secure != 0;
  if (!r->havedata || r->data == nullptr || r->data[0] == nullptr) {
    a.status = DnsStatus::NoData;
    return a;
  }
  for (int i = 0; r->data[i] != nullptr; ++i) {
    if (r->len[i] < 0) return DnsAnswer{DnsStatus::PermFail, {}, false, "negative rdata length"};
    auto text = rdata_to_text(type, std::string_view(r->data[i], static_cast<size_t>(r->len[i])));
    if (!text) {
      DnsAnswer bad;
      bad.status = DnsStatus::PermFail;
      bad.error = "malformed " + std::string(to_string(type)) + " record in the answer";
      return bad;
    }
    a.records.push_back(std::move(*text));
  }
  a.status = DnsStatus::Ok;
  return a;
}

}  // namespace alignd
