// apply_eom_actions over a fake MTA: edits in the right order, and a refused
// edit (a forged Authentication-Results the MTA would not remove) tempfails.
#include <catch2/catch.hpp>

#include "milter/mta_edits.h"

using namespace alignd;

namespace {

// Records every call; the call numbered fail_at (1-based) is refused.
struct FakeMta : MtaEdits {
  int fail_at = 0;
  std::vector<std::string> calls;
  bool record(std::string c) {
    calls.push_back(std::move(c));
    return static_cast<int>(calls.size()) != fail_at;
  }
  bool change_header(const std::string& n, int i, const std::string* v) override {
    return record((v ? "chg " : "del ") + n + " " + std::to_string(i) + (v ? " " + *v : ""));
  }
  bool insert_header(int i, const std::string& n, const std::string& v) override {
    return record("ins " + std::to_string(i) + " " + n + v);
  }
  bool add_header(const std::string& n, const std::string& v) override {
    return record("add " + n + v);
  }
  bool quarantine(const std::string& r) override { return record("quarantine " + r); }
};

EomActions forged_and_ours() {
  EomActions a;
  a.remove = {{"Authentication-Results", 1, " mx.example; dkim=pass"},
              {"Authentication-Results", 3, " mx.example.; spf=pass"}};
  a.insert_top = {{"DKIM-Signature", " v=1"}, {"Authentication-Results", " mx.example; none"}};
  a.append = {{"X-Tag", " yes"}};
  return a;
}

}  // namespace

TEST_CASE("every edit applied in order: removals highest index first, inserts reversed") {
  FakeMta mta;
  EomActions a = forged_and_ours();
  a.quarantine_reason = "dmarc";
  a.verdict.action = Action::Quarantine;
  EomOutcome o = apply_eom_actions(a, mta);
  CHECK(o.failure.empty());
  CHECK(o.reply.kind == StageReply::Continue);
  CHECK(mta.calls ==
        std::vector<std::string>{"del Authentication-Results 3", "del Authentication-Results 1",
                                 "ins 0 Authentication-Results mx.example; none",
                                 "ins 0 DKIM-Signature v=1", "add X-Tag yes", "quarantine dmarc"});
}

TEST_CASE("a refused edit tempfails the message with 451 4.3.0 and names the call") {
  struct Case {
    int fail_at;
    const char* failure;
  };
  const Case cases[] = {
      {1, "removing Authentication-Results #3"},  // the forged field would stay
      {2, "removing Authentication-Results #1"},
      {3, "inserting Authentication-Results"},
      {4, "inserting DKIM-Signature"},
      {5, "adding X-Tag"},
      {6, "quarantine"},
  };
  for (const auto& c : cases) {
    INFO(c.fail_at);
    FakeMta mta;
    mta.fail_at = c.fail_at;
    EomActions a = forged_and_ours();
    a.quarantine_reason = "dmarc";
    a.verdict.action = Action::Quarantine;
    EomOutcome o = apply_eom_actions(a, mta);
    CHECK(o.failure == c.failure);
    CHECK(o.reply.kind == StageReply::TempFail);
    CHECK(o.reply.reply.code == "451");
    CHECK(o.reply.reply.xcode == "4.3.0");
    CHECK(static_cast<int>(mta.calls.size()) == c.fail_at);  // stops at the first refusal
  }
}

TEST_CASE("a refused Subject change tempfails; a reject keeps its own reply") {
  FakeMta mta;
  mta.fail_at = 1;
  EomActions a;
  a.change = {{"Subject", 1, " [SPF FAIL] hi"}};
  CHECK(apply_eom_actions(a, mta).failure == "changing Subject #1");

  FakeMta ok;
  EomActions r;
  r.verdict.action = Action::Reject;
  r.verdict.reply = {"550", "5.7.1", "DMARC policy"};
  r.quarantine_reason = "never used";
  EomOutcome o = apply_eom_actions(r, ok);
  CHECK(o.reply.kind == StageReply::Reject);
  CHECK(o.reply.reply.code == "550");
  CHECK(ok.calls.empty());
}
