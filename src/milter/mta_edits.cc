// apply_eom_actions: see mta_edits.h.
#include "milter/mta_edits.h"

#include <algorithm>

namespace alignd {

namespace {

EomOutcome refused(std::string what) {
  EomOutcome o;
  o.reply.kind = StageReply::TempFail;
  o.reply.reply = {"451", "4.3.0", "Temporary authentication failure, try again later"};
  o.failure = std::move(what);
  return o;
}

}  // namespace

EomOutcome apply_eom_actions(const EomActions& a, MtaEdits& mta) {
  auto removals = a.remove;
  std::stable_sort(
      removals.begin(), removals.end(),
      [](const HeaderRemoval& x, const HeaderRemoval& y) { return x.index > y.index; });
  for (const auto& r : removals)
    if (!mta.change_header(r.name, r.index, nullptr))
      return refused("removing " + r.name + " #" + std::to_string(r.index));
  for (const auto& ch : a.change)
    if (!mta.change_header(ch.name, ch.index, &ch.value))
      return refused("changing " + ch.name + " #" + std::to_string(ch.index));
  for (auto it = a.insert_top.rbegin(); it != a.insert_top.rend(); ++it)
    if (!mta.insert_header(0, it->name, it->value)) return refused("inserting " + it->name);
  for (const auto& h : a.append)
    if (!mta.add_header(h.name, h.value)) return refused("adding " + h.name);

  EomOutcome o;
  const Verdict& v = a.verdict;
  if (v.action == Action::Reject || v.action == Action::TempFail) {
    o.reply.kind = v.action == Action::Reject ? StageReply::Reject : StageReply::TempFail;
    o.reply.reply = v.reply;
    return o;
  }
  if (!a.quarantine_reason.empty() && !mta.quarantine(a.quarantine_reason))
    return refused("quarantine");
  return o;
}

}  // namespace alignd
