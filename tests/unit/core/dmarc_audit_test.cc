// core/audit/dmarc_audit: what check-domain says about a DMARC record.
#include <catch2/catch.hpp>

#include "core/audit/dmarc_audit.h"

using namespace alignd;

namespace {

bool says(const Findings& f, Severity s, const std::string& text) {
  for (const auto& x : f)
    if (x.severity == s && x.message.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("dmarc audit: RFC 9989 records", "[audit]") {
  struct Case {
    const char* record;
    Severity severity;
    const char* says;
  } cases[] = {
      {"v=DMARC1; p=reject; rua=mailto:d@example.com", Severity::Ok,
       "rua destination d@example.com"},
      {"v=DMARC1; p=reject", Severity::Info, "no rua="},
      {"v=DMARC1; p=none", Severity::Info, "p=none: monitoring only"},
      {"v=DMARC1; rua=mailto:d@example.com", Severity::Error, "p= is missing"},
      {"v=DMARC1; p=block", Severity::Error, "p= has an invalid value"},
      {"v=DMARC1; p=reject; pct=50", Severity::Warning, "pct=50 was removed by RFC 9989"},
      {"v=DMARC1; p=reject; rf=afrf", Severity::Warning, "rf= was removed"},
      {"v=DMARC1; p=reject; ri=3600", Severity::Warning, "ri= was removed"},
      {"v=DMARC1; p=reject; t=y", Severity::Warning, "t=y: testing mode"},
      {"v=DMARC1; p=reject; np=quarantine", Severity::Info, "np=quarantine for non-existent"},
      {"v=DMARC1; p=reject; psd=y", Severity::Info, "psd=y"},
      {"v=DMARC1; p=reject; rua=https://example.com/r", Severity::Warning, "only mailto:"},
      {"v=DMARC1; p=reject; foo=bar", Severity::Warning, "unknown tag 'foo'"},
  };
  for (const auto& c : cases) {
    INFO(c.record);
    auto parsed = parse_dmarc_record(c.record);
    REQUIRE(parsed.ok());
    Findings f = audit_dmarc_record(parsed.record, "example.com", "example.com");
    CHECK(says(f, c.severity, c.says));
  }
}

TEST_CASE("dmarc audit: a subdomain under its organizational domain's record", "[audit]") {
  auto parsed = parse_dmarc_record("v=DMARC1; p=reject; sp=quarantine");
  Findings f = audit_dmarc_record(parsed.record, "mail.example.com", "example.com");
  CHECK(says(f, Severity::Ok, "no record of its own; the record at _dmarc.example.com"));
  CHECK(says(f, Severity::Info, "sp=quarantine for subdomains"));
  CHECK_FALSE(has_problems(f));
}

TEST_CASE("dmarc audit: external rua hosts (RFC 9990 §4)", "[audit]") {
  auto parsed = parse_dmarc_record(
      "v=DMARC1; p=reject; rua=mailto:a@example.com,mailto:b@reports.example.net,"
      "mailto:c@reports.example.net");
  CHECK(external_rua_hosts(parsed.record, "example.com") ==
        std::vector<std::string>{"reports.example.net"});
}
