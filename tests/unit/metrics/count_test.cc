// count_message (metrics/alignd_metrics.h): which counters one judged message moves.
#include <catch2/catch.hpp>

#include "metrics/alignd_metrics.h"

using namespace alignd;

namespace {

Evidence inbound(Outcome spf, Outcome dmarc, const char* record, RequestedPolicy p,
                 const char* disposition) {
  Evidence ev;
  ev.spf_mailfrom.checked = true;
  ev.spf_mailfrom.result = spf;
  ev.dmarc.evaluated = true;
  ev.dmarc.result = dmarc;
  ev.dmarc.record = record;
  ev.dmarc.requested_policy = p;
  ev.dmarc.applied_disposition = disposition;
  return ev;
}

}  // namespace

TEST_CASE("count_message: direction x verdict, SPF, DMARC policy and disposition", "[metrics]") {
  static const struct {
    Outcome spf, dmarc;
    const char* record;
    RequestedPolicy policy;
    const char* disposition;
    Action action;
    size_t result_i, policy_i, disposition_i;
  } cases[] = {
      {Outcome::Pass, Outcome::Pass, "v=DMARC1; p=reject", RequestedPolicy::Reject, "none",
       Action::Accept, 1, 2, 0},
      {Outcome::Fail, Outcome::Fail, "v=DMARC1; p=reject", RequestedPolicy::Reject, "reject",
       Action::Reject, 2, 2, 2},
      {Outcome::Fail, Outcome::Fail, "v=DMARC1; p=quarantine", RequestedPolicy::Quarantine,
       "quarantine", Action::Quarantine, 2, 1, 1},
      {Outcome::None, Outcome::None, "", RequestedPolicy::None, "none", Action::Accept, 0, 3, 0},
      {Outcome::TempError, Outcome::TempError, "", RequestedPolicy::None, "none", Action::TempFail,
       5, 3, 0},
  };
  for (const auto& c : cases) {
    Metrics& m = metrics();
    Evidence ev = inbound(c.spf, c.dmarc, c.record, c.policy, c.disposition);
    Verdict v;
    v.action = c.action;
    v.rule = "r";
    const auto msgs = m.messages[0][static_cast<size_t>(c.action)].get();
    const auto spf = m.spf[1][result_index(c.spf)].get();
    const auto dmarc = m.dmarc[c.result_i][c.policy_i][c.disposition_i].get();
    const auto eom = m.eom_duration.snapshot().count;
    count_message(ev, v, 0.002);
    CHECK(m.messages[0][static_cast<size_t>(c.action)].get() == msgs + 1);
    CHECK(m.spf[1][result_index(c.spf)].get() == spf + 1);
    CHECK(m.dmarc[c.result_i][c.policy_i][c.disposition_i].get() == dmarc + 1);
    CHECK(m.eom_duration.snapshot().count == eom + 1);
  }
  bool found = false;
  for (const auto& [name, n] : metrics().rule_hits.snapshot())
    if (name == "r") found = n >= 5;
  CHECK(found);
}

TEST_CASE("DKIM algorithm and key size labels", "[metrics]") {
  static const struct {
    const char* alg;
    int bits;
    std::string_view alg_label, bits_label;
  } cases[] = {
      {"rsa-sha256", 2048, "rsa-sha256", "2048"}, {"rsa-sha256", 1024, "rsa-sha256", "1024"},
      {"rsa-sha1", 1024, "rsa-sha1", "1024"},     {"ed25519-sha256", 256, "ed25519-sha256", "256"},
      {"rsa-sha256", 0, "rsa-sha256", "0"},       {"rsa-sha256", 1536, "rsa-sha256", "other"},
      {"hmac-md5", 128, "other", "other"},
  };
  for (const auto& c : cases) {
    CHECK(kDkimAlgorithms[dkim_algorithm_index(c.alg)] == c.alg_label);
    CHECK(kDkimKeyBits[dkim_key_bits_index(c.alg, c.bits)] == c.bits_label);
  }
}

TEST_CASE("ARC results and reloads", "[metrics]") {
  const auto pass = metrics().arc[1].get();
  const auto fail_arc = metrics().arc[2].get();
  count_arc_result("pass");
  count_arc_result("bogus");  // ignored
  CHECK(metrics().arc[1].get() == pass + 1);
  // Every message judged at end of data counts its chain, when one was checked.
  Evidence ev;
  Verdict v;
  count_message(ev, v, 0.001);  // not checked (outbound, or the verifier off)
  CHECK(metrics().arc[1].get() == pass + 1);
  ev.arc.checked = true;
  ev.arc.status = Outcome::Fail;
  count_message(ev, v, 0.001);
  CHECK(metrics().arc[2].get() == fail_arc + 1);
  const auto fail = metrics().reloads[1].get();
  count_reload(false, 0);
  CHECK(metrics().reloads[1].get() == fail + 1);
}
