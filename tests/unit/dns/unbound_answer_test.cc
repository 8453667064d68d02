// Tests for dns/unbound_answer.h: libunbound result -> DnsStatus, wire rdata -> text.
#include <catch2/catch.hpp>

#include <unbound.h>

#include "dns/unbound_answer.h"

using namespace alignd;

namespace {
// A ub_result over caller-owned rdata (libunbound's layout: NULL-terminated arrays).
struct FakeResult {
  std::vector<std::string> rdata;
  std::vector<char*> data;
  std::vector<int> len;
  ub_result r{};
  explicit FakeResult(int rcode, std::vector<std::string> rd = {}) : rdata(std::move(rd)) {
    for (auto& s : rdata) data.push_back(s.data()), len.push_back(static_cast<int>(s.size()));
    data.push_back(nullptr);
    len.push_back(0);
    r.rcode = rcode;
    r.havedata = rdata.empty() ? 0 : 1;
    r.nxdomain = rcode == 3;
    r.data = data.data();
    r.len = len.data();
  }
};
std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s += static_cast<char>(c);
  return s;
}
}  // namespace

TEST_CASE("rcodes and flags map to the statuses the standards need") {
  struct Case {
    int rcode;
    bool with_data, bogus, secure;
    DnsStatus status;
  };
  const Case cases[] = {
      {0, true, false, false, DnsStatus::Ok},        {0, false, false, false, DnsStatus::NoData},
      {3, false, false, false, DnsStatus::NxDomain}, {2, false, false, false, DnsStatus::TempFail},
      {5, false, false, false, DnsStatus::TempFail}, {1, false, false, false, DnsStatus::TempFail},
      {4, false, false, false, DnsStatus::TempFail}, {0, true, true, false, DnsStatus::TempFail},
      {0, true, false, true, DnsStatus::Ok},         {3, false, false, true, DnsStatus::NxDomain},
  };
  for (const auto& c : cases) {
    INFO("rcode " << c.rcode << " data " << c.with_data << " bogus " << c.bogus);
    FakeResult f(c.rcode, c.with_data ? std::vector<std::string>{bytes({192, 0, 2, 1})}
                                      : std::vector<std::string>{});
    f.r.bogus = c.bogus;
    f.r.secure = c.secure;
    DnsAnswer a = map_unbound_result(0, &f.r, RrType::A);
    CHECK(a.status == c.status);
    CHECK(a.secure == (c.secure && c.status != DnsStatus::TempFail));
    if (c.status == DnsStatus::Ok) CHECK(a.records == std::vector<std::string>{"192.0.2.1"});
    if (c.status == DnsStatus::TempFail) CHECK_FALSE(a.error.empty());
  }
  CHECK(map_unbound_result(UB_NOMEM, nullptr, RrType::A).status == DnsStatus::TempFail);
}

TEST_CASE("wire rdata to text, and malformed rdata is PermFail") {
  struct Case {
    RrType type;
    std::string rdata;
    std::optional<std::string> text;
  };
  const Case cases[] = {
      {RrType::A, bytes({192, 0, 2, 10}), "192.0.2.10"},
      {RrType::A, bytes({192, 0, 2}), std::nullopt},
      {RrType::AAAA, bytes({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
       "2001:db8::1"},
      {RrType::AAAA, bytes({1, 2, 3, 4}), std::nullopt},
      {RrType::TXT, "\x05hello\x06 world", "hello world"},
      {RrType::TXT, std::string(1, '\0'), ""},
      {RrType::TXT, "\x09short", std::nullopt},
      {RrType::TXT, "", std::nullopt},
      {RrType::MX,
       bytes({0, 10}) +
           "\x02mx\x07"
           "Example\x03"
           "com" +
           bytes({0}),
       "10 mx.example.com."},
      {RrType::MX, bytes({0, 0, 0}), "0 ."},
      {RrType::MX, bytes({0, 10}) + "\x02mx", std::nullopt},
      {RrType::MX, bytes({0, 10, 0xc0, 0x0c}), std::nullopt},
      {RrType::PTR,
       "\x04mail\x07"
       "example" +
           bytes({0}),
       "mail.example."},
      {RrType::CNAME,
       "\x03"
       "a b\x07"
       "example" +
           bytes({0}),
       "a\\032b.example."},
      {RrType::NS,
       "\x02ns\x07"
       "example" +
           bytes({0, 1}),
       std::nullopt},  // trailing junk
  };
  for (const auto& c : cases) {
    INFO(to_string(c.type) << " " << c.rdata.size() << " octets");
    CHECK(rdata_to_text(c.type, c.rdata) == c.text);
  }
  FakeResult bad(0, {bytes({1, 2, 3})});
  DnsAnswer a = map_unbound_result(0, &bad.r, RrType::A);
  CHECK(a.status == DnsStatus::PermFail);
  CHECK_THAT(a.error, Catch::Contains("malformed A"));
}

TEST_CASE("a TXT record of several strings is joined; several records stay apart") {
  std::string s255(255, 'k');
  FakeResult f(0, {std::string(1, '\xff') + s255 + "\x04tail", "\x03two"});
  DnsAnswer a = map_unbound_result(0, &f.r, RrType::TXT);
  REQUIRE(a.status == DnsStatus::Ok);
  CHECK(a.records == std::vector<std::string>{s255 + "tail", "two"});
}
