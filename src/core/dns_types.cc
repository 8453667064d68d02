// Names of DNS statuses and record types, for logs and JSON.
#include "core/dns_types.h"

namespace alignd {

std::string_view to_string(DnsStatus s) {
  switch (s) {
    case DnsStatus::Ok: return "ok";
    case DnsStatus::NxDomain: return "nxdomain";
    case DnsStatus::NoData: return "nodata";
    case DnsStatus::TempFail: return "tempfail";
    case DnsStatus::PermFail: return "permfail";
  }
  return "tempfail";
}

std::string_view to_string(RrType t) {
  switch (t) {
    case RrType::A: return "A";
    case RrType::NS: return "NS";
    case RrType::CNAME: return "CNAME";
    case RrType::PTR: return "PTR";
    case RrType::MX: return "MX";
    case RrType::TXT: return "TXT";
    case RrType::AAAA: return "AAAA";
  }
  return "?";
}

}  // namespace alignd
