// arc= in our Authentication-Results (RFC 8617 §6): status, sealers by instance,
// smtp.remote-ip, header.oldest-pass; a failure carries its reason; none writes nothing.
#include <catch2/catch.hpp>

#include "core/ar_builder.h"

using namespace alignd;

namespace {

std::string unfolded(const AuthResults& ar) {
  std::string out;
  for (char c : ar.format("\n"))
    if (c != '\n' && c != '\t')
      out += c;
    else if (c == '\t')
      out += ' ';
  return out;
}

}  // namespace

TEST_CASE("A-R: arc= with the sealers, remote-ip and oldest-pass") {
  struct Case {
    const char* name;
    ArcResult arc;
    const char* want;  // substring of the unfolded value; "" = no arc= at all
  };
  ArcResult pass;
  pass.checked = true;
  pass.status = Outcome::Pass;
  pass.oldest_pass = 2;
  for (const char* d : {"lists.example.org", "fwd.example.net"}) {
    ArcSetInfo s;
    s.instance = static_cast<int>(pass.sets.size()) + 1;
    s.seal_domain = d;
    pass.sets.push_back(s);
  }
  ArcResult fail;
  fail.checked = true;
  fail.status = Outcome::Fail;
  fail.reason = "ARC-Seal i=1: signature did not verify";
  ArcResult none;
  none.checked = true;
  const Case cases[] = {
      {"pass", pass,
       "arc=pass (i=1 lists.example.org, i=2 fwd.example.net) smtp.remote-ip=192.0.2.1 "
       "header.oldest-pass=2"},
      {"fail", fail,
       "arc=fail reason=\"ARC-Seal i=1: signature did not verify\" smtp.remote-ip=192.0.2.1"},
      {"none: no ARC fields", none, ""},
      {"not checked", ArcResult{}, ""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Evidence ev;
    ev.client_ip = "192.0.2.1";
    ev.arc = c.arc;
    std::string v = unfolded(build_auth_results(ev, "mx.example.net"));
    INFO(v);
    if (*c.want)
      CHECK(v.find(c.want) != std::string::npos);
    else
      CHECK(v.find("arc=") == std::string::npos);
  }
}
