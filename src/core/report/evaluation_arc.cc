// ArcResult -> EvaluationArc, and the ARC summary of an override's report comment.
#include "core/report/evaluation_arc.h"

#include "core/outcome.h"

namespace alignd {

namespace {

constexpr size_t kMaxNamed = 10;  // instances named in a comment (a chain may have 50)

// A d=/s= value as one comment word: printable ASCII, no blanks.
std::string word(const std::string& s) {
  std::string out;
  for (unsigned char c : s.substr(0, 253)) out += c > 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
  return out.empty() ? "?" : out;
}

}  // namespace

EvaluationArc evaluation_arc(const ArcResult& arc) {
  EvaluationArc e;
  if (!arc.checked) return e;  // [arc] verify = false: not recorded
  e.result = std::string(to_string(arc.status));
  if (arc.status == Outcome::Fail) e.reason = arc.reason;
  for (const auto& s : arc.sets) e.sealers.push_back({s.instance, s.seal_domain, s.seal_selector});
  e.oldest_pass = arc.status == Outcome::Pass ? arc.oldest_pass : -1;
  e.trusted_instance = arc.trusted_pass ? arc.trusted_instance : 0;
  return e;
}

std::string arc_reason_comment(const EvaluationArc& arc, const std::string& rule_comment) {
  std::string c = "arc=" + (arc.result.empty() ? std::string("none") : arc.result);
  size_t named = 0;
  for (auto it = arc.sealers.rbegin(); it != arc.sealers.rend() && named < kMaxNamed;
       ++it, ++named) {
    const std::string i = std::to_string(it->instance);
    c += " as[" + i + "].d=" + word(it->domain) + " as[" + i + "].s=" + word(it->selector);
  }
  if (arc.sealers.size() > kMaxNamed)
    c += " (" + std::to_string(arc.sealers.size() - kMaxNamed) + " older)";
  if (arc.oldest_pass >= 0) c += " oldest-pass=" + std::to_string(arc.oldest_pass);
  if (arc.trusted_instance > 0)
    c += " aar[" + std::to_string(arc.trusted_instance) + "].dmarc=pass";
  if (!rule_comment.empty()) c += "; " + rule_comment;
  return c;
}

}  // namespace alignd
