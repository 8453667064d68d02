// Tests for core/sender_login_map.h (issue 10 item 10): Postfix
// smtpd_sender_login_maps text (postmap(1)/texthash format), the postconf(5)
// lookup order, and which From addresses an authenticated login may sign.
#include <catch2/catch.hpp>

#include "core/sender_login_map.h"

using namespace alignd;

namespace {

const char* kMap = R"(# Postfix smtpd_sender_login_maps, texthash format
alice@example.com        alice
bob@example.com          bob, alice
@example.org             carol dave

postmaster               admin
"john doe"@example.com   john
ceo@example.com          ceo,
    assistant
  # an indented comment line is still a comment
UPPER@Example.COM        Upper
@example.net             alice
bob@example.net          bob
)";

}  // namespace

TEST_CASE("sender login map: who may use which From address (issue 10 item 10)", "[login]") {
  struct Case {
    const char* login;
    const char* address;
    bool local_example_com;  // example.com is a local domain (bare "user" keys apply)
    const char* delimiter;
    bool allowed;
  };
  const Case cases[] = {
      {"alice", "alice@example.com", false, "", true},
      {"alice", "bob@example.com", false, "", true},  // bob's address lists alice too
      {"bob", "alice@example.com", false, "", false},
      {"alice", "ceo@other.example", false, "", false},    // the issue: no entry, no signature
      {"carol", "anything@example.org", false, "", true},  // @domain
      {"dave", "x@example.org", false, "", true},
      {"alice", "x@example.org", false, "", false},
      {"ALICE", "alice@example.com", false, "", true},  // logins compare case-insensitively
      {"alice", "Alice@EXAMPLE.com", false, "", true},  // keys too (Postfix folds case)
      {"upper", "upper@example.com", false, "", true},
      {"admin", "postmaster@example.com", true, "", true},  // bare user: local domains only
      {"admin", "postmaster@example.com", false, "", false},
      {"admin", "postmaster@example.org", true, "", false},   // @example.org: carol dave
      {"alice", "alice+news@example.com", false, "+", true},  // address extension stripped
      {"alice", "alice+news@example.com", false, "", false},
      {"alice", "alice-news@example.com", false, "+-", true},
      {"john", "\"john doe\"@example.com", false, "", true},
      {"assistant", "ceo@example.com", false, "", true},  // continuation line
      {"ceo", "ceo@example.com", false, "", true},
      {"alice", "bob@example.net", false, "", false},  // the full address wins over @domain
      {"alice", "other@example.net", false, "", true},
      {"", "alice@example.com", false, "", false},
  };
  for (const auto& c : cases) {
    INFO(c.login << " " << c.address << " local=" << c.local_example_com
                 << " delim=" << c.delimiter);
    SenderLoginMap::Options o;
    if (c.local_example_com) o.local_domains = {"example.com"};
    o.delimiter = c.delimiter;
    SenderLoginMap m = SenderLoginMap::parse(kMap, "logins", o);
    std::string why = sender_login_refusal(m, c.login, {c.address});
    CHECK(why.empty() == c.allowed);
    if (!c.allowed) CHECK_THAT(why, Catch::Contains(c.address));
  }
}

TEST_CASE("sender login map: every From address must be owned", "[login]") {
  SenderLoginMap m = SenderLoginMap::parse(kMap, "logins");
  CHECK(sender_login_refusal(m, "alice", {"alice@example.com", "bob@example.com"}).empty());
  CHECK_THAT(sender_login_refusal(m, "alice", {"alice@example.com", "ceo@example.com"}),
             Catch::Contains("ceo@example.com"));
  CHECK_FALSE(sender_login_refusal(m, "alice", {}).empty());  // nothing to own: no signature
}

TEST_CASE("sender login map: errors name file:line", "[login]") {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"alice@example.com\n", "m:1: alice@example.com has no login"},
      {"\n  alice\n", "m:2: a continuation line without a key"},
      {"a@example.com x\n# c\na@example.com y\n", "m:3: duplicate key a@example.com"},
      {"A@example.com x\na@EXAMPLE.com y\n", "m:2: duplicate key"},
      {"\"a@example.com x\n", "m:1: unterminated quoted key"},
      {"a@example.com x\nb@example.com ,\n", "m:2: b@example.com has no login"},
      {"a@exa\x01mple.com x\n", "m:1: control character"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    try {
      SenderLoginMap::parse(c.text, "m");
      FAIL("no error");
    } catch (const SenderLoginMapError& e) {
      CHECK_THAT(e.what(), Catch::StartsWith(c.want));
    }
  }
}

TEST_CASE("sender login map: Postfix table types", "[login]") {
  CHECK(sender_login_map_path("/etc/alignd/sender_logins") == "/etc/alignd/sender_logins");
  CHECK(sender_login_map_path("texthash:/etc/postfix/sender_logins") ==
        "/etc/postfix/sender_logins");
  CHECK(sender_login_map_path("hash:/etc/postfix/sender_logins") == "/etc/postfix/sender_logins");
  CHECK(sender_login_map_path("lmdb:/etc/postfix/sender_logins") == "/etc/postfix/sender_logins");
  CHECK_THROWS_WITH(sender_login_map_path("ldap:/etc/postfix/ldap.cf"),
                    Catch::Contains("ldap") && Catch::Contains("not supported"));
  CHECK_THROWS_WITH(sender_login_map_path("pcre:/etc/postfix/x"), Catch::Contains("not supported"));
}

TEST_CASE("from_addresses: every mailbox of every From field", "[login]") {
  HeaderList h{{"From", " Alice <alice@example.com>, ceo@Other.Example"},
               {"Subject", " x"},
               {"From", " \"John Doe\" <bob@example.com>"}};
  auto a = from_addresses(h);
  REQUIRE(a.size() == 3);
  CHECK(a[0] == "alice@example.com");
  CHECK(a[1].find("ceo@") == 0);
  CHECK(a[2] == "bob@example.com");
  CHECK(from_addresses({{"From", " <<<"}}) == std::vector<std::string>{""});
}
