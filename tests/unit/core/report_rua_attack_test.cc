// Issue 10 item 6: rua= values that tried to mail reports to third parties.
// Each hostile mailto: URI must yield no destination at all, or exactly one
// mailbox whose domain is the one that really receives the mail (RFC 6068
// mailto, RFC 5321 §4.1.2 Mailbox). Through the record parser and
// core/report/destination.h, the APIs the report runner uses.
#include <catch2/catch.hpp>

#include "core/dmarc/record.h"
#include "core/report/destination.h"

using namespace alignd;

TEST_CASE("hostile rua= mailto URIs give no destination (issue 10 item 6)", "[report][attack]") {
  const char* const hostile[] = {
      "mailto:victim@other.example%09x@attacker.example",         // encoded TAB
      "mailto:victim@other.example%20x@attacker.example",         // encoded SP
      "mailto:victim@other.example%00@attacker.example",          // encoded NUL
      "mailto:victim@other.example%0D%0ABcc:x@attacker.example",  // encoded CR LF
      "mailto:victim@other.example%0a@attacker.example",
      "mailto:victim@other.example(x@attacker.example",  // comment start
      "mailto:(c)victim@attacker.example",
      "mailto:victim@other.example)@attacker.example",
      "mailto:victim@other.example@attacker.example",  // several @
      "mailto:a@b@c.example",
      "mailto:victim%40other.example@attacker.example",    // encoded @
      "mailto:victim@other.example%2Cx@attacker.example",  // encoded , (two addresses)
      "mailto:victim@other.example%2cx@attacker.example",
      "mailto:victim@other.example:x@attacker.example",
      "mailto:%22victim@other.example%22@attacker.example",  // quoted local part with @
      "mailto:%22victim,x%22@attacker.example",              // quoted local part with ,
      "mailto:%22a%5C%22b%22@attacker.example",              // quoted-pair
      "mailto:%22a%09b%22@attacker.example",                 // TAB inside quotes
      "mailto:victim%25other.example@attacker.example",      // percent hack
      "mailto:other.example%21victim@attacker.example",      // bang path
      "mailto:x@attacker.example%3Evictim@other.example",
      "mailto:%3Cvictim@other.example%3E",
      "mailto:victim@%5B192.0.2.1%5D",  // address literal
      "mailto:x@attacker.example%2F..%2F..%2Fetc",
      "mailto:x@attacker.example.",  // trailing dot
      "mailto:x@attacker..example",
      "mailto:x@-attacker.example",
      "mailto:x@attacker_x.example",
      "mailto:root@localhost",  // not fully qualified
      "mailto:x@192.0.2.1",     // numeric "domain"
      "mailto:.x@attacker.example",
      "mailto:x.@attacker.example",
      "mailto:x..y@attacker.example",
      "mailto:x@attacker.example%",  // broken escape
      "mailto:x@attacker.example%4",
      "mailto:x@attacker.example%zz",
      "mailto:x%C3%A9@attacker.example",  // non-ASCII
      "mailto:@attacker.example",
      "mailto:x@",
      "mailto:?to=victim@other.example",
  };
  for (const char* uri : hostile) {
    INFO(uri);
    DmarcParse p = parse_dmarc_record(std::string("v=DMARC1; p=none; rua=") + uri);
    REQUIRE(p.ok());
    CHECK(p.record.rua.empty());  // the record parser refuses it ...
    CHECK_FALSE(p.record.errors.empty());
    ReportUri raw;  // ... and so does the destination list, fed directly
    raw.uri = uri;
    raw.scheme = "mailto";
    Destinations d = mailto_destinations(std::vector<ReportUri>{raw});
    CHECK(d.mailto.empty());
    CHECK(d.errors.size() == 1);
  }
}

TEST_CASE("rua= mailboxes that are fine, in canonical form", "[report]") {
  struct Case {
    const char* uri;
    const char* address;
    const char* domain;
    std::uint64_t size;
  };
  const Case cases[] = {
      {"mailto:dmarc@example.com", "dmarc@example.com", "example.com", 0},
      {"MAILTO:Agg@Example.COM!10m", "Agg@example.com", "example.com", 10u << 20},
      {"mailto:a%2Bb@r.example?subject=x", "a+b@r.example", "r.example", 0},
      {"mailto:re+abc.def@dmarc.xn--bcher-kva.example", "re+abc.def@dmarc.xn--bcher-kva.example",
       "dmarc.xn--bcher-kva.example", 0},
      {"mailto:%22john..doe%22@example.com", "\"john..doe\"@example.com", "example.com", 0},
      {"mailto:%22john%20doe%22@example.com", "\"john doe\"@example.com", "example.com", 0},
      {"mailto:%22plain%22@example.com", "plain@example.com", "example.com", 0},  // needless quotes
      {"mailto:d%40@example.com", "", "", 0},
  };
  for (const auto& c : cases) {
    INFO(c.uri);
    DmarcParse p = parse_dmarc_record(std::string("v=DMARC1; p=none; rua=") + c.uri);
    Destinations d = mailto_destinations(p.record.rua);
    if (*c.address == 0) {
      CHECK(d.mailto.empty());
      continue;
    }
    REQUIRE(d.mailto.size() == 1);
    CHECK(d.mailto[0].address == c.address);
    CHECK(d.mailto[0].domain == c.domain);
    CHECK(d.mailto[0].max_size == c.size);
  }
}
