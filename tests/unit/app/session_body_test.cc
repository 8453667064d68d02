// The body as the milter gets it: in chunks of any size, and without the final CRLF
// when the MTA delivers it so (BDAT, RFC 3030, puts no CRLF.CRLF on the wire).
// RFC 6376 §3.4.3/§3.4.4 add the missing CRLF before hashing; a dkimpy-signed
// fixture (tests/data/dkim/no-final-crlf.eml) must pass through Session's own
// on_body/on_eom path as it passes dkimpy, and fail when the body changes.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "app/config.h"
#include "auth/dkim_context.h"
#include "core/message.h"
#include "dns/zone_file.h"
#include "dns/zone_resolver.h"
#include "milter/session.h"

using namespace alignd;

namespace {

std::string read(const std::string& name) {
  std::ifstream in(std::string(ALIGND_SOURCE_DIR) + "/tests/data/dkim/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Feeds the message through a Session the way the milter callbacks do, the body
// in chunks of `chunk` bytes; returns the DKIM results.
std::vector<DkimResult> through_session(const ParsedMessage& m, const std::string& body,
                                        size_t chunk) {
  auto rt = std::make_shared<Runtime>();
  rt->config = default_config();
  rt->config.authserv_id = "mx.test.example";
  rt->dns = std::make_shared<ZoneResolver>(
      load_zone_file(std::string(ALIGND_SOURCE_DIR) + "/tests/data/dkim/fixtures.zone"));
  rt->dkim = std::make_shared<DkimContext>();
  RuntimeHolder h(rt);
  Session s(h);
  s.on_connect("client", "192.0.2.7");
  s.on_helo("mail.football.example.com");
  s.on_mail_from("<joe@football.example.com>", "", "Q1");
  s.on_rcpt("<suzie@shopping.example.net>");
  for (const auto& f : m.headers) s.on_header(f.name, f.value);
  s.on_eoh();
  for (size_t off = 0; off < body.size(); off += chunk) s.on_body(body.substr(off, chunk));
  s.on_eom("Q1");
  return s.last_evidence().dkim;
}

}  // namespace

TEST_CASE("Session: a body without the final CRLF verifies in any chunking (RFC 6376 §3.4.4)") {
  const ParsedMessage m = parse_message(read("no-final-crlf.eml"));
  REQUIRE(m.body.size() > 2);
  REQUIRE(m.body.substr(m.body.size() - 2) != "\r\n");  // as BDAT can deliver it
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{64}, size_t{65535}}) {
    INFO("chunk " << chunk);
    auto r = through_session(m, m.body, chunk);
    REQUIRE(r.size() == 2);
    CHECK(r[0].result == Outcome::Pass);  // ed25519-sha256, simple/relaxed
    CHECK(r[1].result == Outcome::Pass);  // rsa-sha256, relaxed/relaxed
  }
  // As DATA delivers it (the final CRLF present): the same hash.
  auto with_crlf = through_session(m, m.body + "\r\n", 7);
  REQUIRE(with_crlf.size() == 2);
  CHECK(with_crlf[0].result == Outcome::Pass);
  CHECK(with_crlf[1].result == Outcome::Pass);
  // One byte changed: both fail.
  std::string changed = m.body;
  changed[0] = changed[0] == 'X' ? 'Y' : 'X';
  auto bad = through_session(m, changed, 7);
  REQUIRE(bad.size() == 2);
  CHECK(bad[0].result == Outcome::Fail);
  CHECK(bad[1].result == Outcome::Fail);
}
