// Fuzzes dns/unbound_answer.h: wire rdata from the network to the text forms of
// core/dns_types.h (rdata_to_text) and a whole libunbound result to a DnsAnswer
// (map_unbound_result). Whoever runs a sender's DNS chooses these bytes. Checks
// that names come out absolute, lowercase, LDH or \DDD, and A/AAAA as addresses.
#include <arpa/inet.h>
#include <unbound.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dns/unbound_answer.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;
using alignd::fuzz::FuzzInput;

namespace {

const RrType kTypes[] = {RrType::A,   RrType::AAAA,  RrType::TXT, RrType::MX,
                         RrType::PTR, RrType::CNAME, RrType::NS};

void check_name(std::string_view n) {
  FUZZ_CHECK(!n.empty() && n.back() == '.');
  for (char c : n)
    FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.' || c == '\\');
}

void check_text(RrType type, const std::string& t) {
  switch (type) {
    case RrType::A: {
      in_addr a{};
      FUZZ_CHECK(inet_pton(AF_INET, t.c_str(), &a) == 1);
      break;
    }
    case RrType::AAAA: {
      in6_addr a{};
      FUZZ_CHECK(inet_pton(AF_INET6, t.c_str(), &a) == 1);
      break;
    }
    case RrType::MX: {
      auto sp = t.find(' ');
      FUZZ_CHECK(sp != std::string::npos && sp > 0 && sp <= 5);
      check_name(std::string_view(t).substr(sp + 1));
      break;
    }
    case RrType::PTR:
    case RrType::CNAME:
    case RrType::NS: check_name(t); break;
    case RrType::TXT: break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  RrType type = kTypes[in.take_index(std::size(kTypes))];
  uint8_t flags = in.take_byte();
  std::vector<std::string> rdata;
  while (!in.empty() && rdata.size() < 16) rdata.push_back(in.take_string());

  for (const auto& rd : rdata)
    if (auto t = rdata_to_text(type, rd)) check_text(type, *t);

  // The same records as one libunbound answer.
  std::vector<char*> ptrs;
  std::vector<int> lens;
  for (auto& rd : rdata) {
    ptrs.push_back(rd.data());
    lens.push_back(static_cast<int>(rd.size()));
  }
  ptrs.push_back(nullptr);
  lens.push_back(0);
  ub_result r{};
  r.qtype = static_cast<int>(type);
  r.qclass = 1;
  r.data = ptrs.data();
  r.len = lens.data();
  r.havedata = (flags & 1) ? 1 : 0;
  r.nxdomain = (flags & 2) ? 1 : 0;
  r.secure = (flags & 4) ? 1 : 0;
  r.bogus = (flags & 8) ? 1 : 0;
  r.rcode = (flags >> 4) & 0x0f;
  DnsAnswer a = map_unbound_result(0, &r, type);
  if (a.status == DnsStatus::Ok) {
    FUZZ_CHECK(a.records.size() == rdata.size());
    for (const auto& t : a.records) check_text(type, t);
  }
  return 0;
}
