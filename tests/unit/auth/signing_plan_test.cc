// auth/signing_plan: which keys sign, and why none does (eval, the log line).
#include <catch2/catch.hpp>

#include "auth/signing_plan.h"

using namespace alignd;

TEST_CASE("signing plan: the reason when nothing signs", "[signing]") {
  const std::time_t now = 1800000000;
  SigningKey live;
  live.domain = "example.com";
  live.selector = "s1";
  SigningKey future = live;
  future.domain = "future.example";
  future.not_before = now + 86400;
  SigningKey old = live;
  old.domain = "old.example";
  old.not_after = now - 86400;
  std::vector<SigningKey> keys = {live, future, old};
  HeaderList signed_already = {
      {"DKIM-Signature", " v=1; a=rsa-sha256; d=example.com; s=s1; h=from; bh=x; b=y"}};

  struct Case {
    bool outbound;
    const char* from;
    const HeaderList* headers;
    NotSigned status;
    const char* detail;
  } cases[] = {
      {true, "example.com", nullptr, NotSigned::Signed, ""},
      {false, "example.com", nullptr, NotSigned::NotOutbound, "inbound mail is not signed"},
      {true, "", nullptr, NotSigned::NoFromDomain, "no single domain"},
      {true, "other.example", nullptr, NotSigned::NoKey, "no key for other.example"},
      {true, "future.example", nullptr, NotSigned::NotYetValid, "not valid before 2027-01-16"},
      {true, "old.example", nullptr, NotSigned::Expired, "expired at 2027-01-14"},
      {true, "example.com", &signed_already, NotSigned::AlreadySigned,
       "already carries our signature example.com/s1"},
  };
  for (const auto& c : cases) {
    INFO(c.from);
    SigningPlan p =
        plan_signing(keys, c.outbound, c.from, c.headers ? *c.headers : HeaderList{}, now);
    CHECK(p.status == c.status);
    CHECK(p.detail.find(c.detail) != std::string::npos);
    CHECK(p.keys.empty() == (c.status != NotSigned::Signed));
  }
  CHECK(to_string(NotSigned::LoginNotAllowed) == "login-not-allowed");
}
