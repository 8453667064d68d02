// ARC in the milter pipeline; see arc_step.h.
#include "milter/arc_step.h"

#include "core/ar_builder.h"
#include "core/arc/chain.h"
#include "core/arc/trust.h"
#include "core/auth_results.h"
#include "core/log.h"
#include "core/text.h"

namespace alignd {

const SigningKey* arc_seal_key(const Runtime& rt, std::time_t now) {
  const std::string& want = rt.config.arc.seal_domain;
  const SigningKey* best = nullptr;
  for (const auto& k : rt.signing_keys) {
    if (k.algorithm != "rsa-sha256" || !k.valid_at(now)) continue;
    bool fits = want.empty() ? domain_at_or_below(rt.config.authserv_id, k.domain)
                             : normalize_domain(want) == k.domain;
    if (!fits) continue;
    auto nb = [](const SigningKey* x) { return x->not_before.value_or(0); };
    if (!best || k.domain.size() > best->domain.size() ||
        (k.domain.size() == best->domain.size() && nb(&k) > nb(best)))
      best = &k;
  }
  return best;
}

HeaderList outgoing_headers(const HeaderList& in, const EomActions& out) {
  HeaderList h;
  std::vector<std::pair<std::string, int>> seen;  // name (lowercase) → count so far
  auto index_of = [&](const std::string& name) {
    std::string n = to_lower(name);
    for (auto& [k, c] : seen)
      if (k == n) return ++c;
    seen.emplace_back(n, 1);
    return 1;
  };
  for (const auto& f : in) {
    int idx = index_of(f.name);
    bool removed = false;
    for (const auto& r : out.remove)
      if (iequals(r.name, f.name) && r.index == idx) removed = true;
    if (removed) continue;
    HeaderField g = f;
    for (const auto& c : out.change)
      if (iequals(c.name, f.name) && c.index == idx) g.value = c.value;
    h.push_back(std::move(g));
  }
  h.insert(h.begin(), out.insert_top.begin(), out.insert_top.end());
  h.insert(h.end(), out.append.begin(), out.append.end());
  return h;
}

void ArcStep::start(const Runtime& rt, bool outbound, Resolver& dns, BodyHashes* hashes) {
  const auto& c = rt.config.arc;
  bool may_seal = c.seal && outbound;
  if ((c.verify && !outbound) || may_seal)
    verifier_ = std::make_unique<ArcVerifier>(dns, 0, rt.dkim ? &rt.dkim->keys() : nullptr, hashes);
  if (may_seal) {
    seal_key_ = arc_seal_key(rt, std::time(nullptr));
    if (seal_key_) sealer_ = std::make_unique<ArcSealer>(*seal_key_);
  }
}

void ArcStep::header(const HeaderField& h) {
  if (verifier_) verifier_->header(h);
}

void ArcStep::end_of_headers() {
  if (verifier_) verifier_->end_of_headers();
}

void ArcStep::body(std::string_view chunk) {
  if (verifier_) verifier_->body(chunk);
  if (sealer_) sealer_->body(chunk);
}

void ArcStep::verify(const Runtime& rt, Evidence& ev) {
  if (!verifier_) return;
  ev.arc = verifier_->finish();
  apply_arc_trust(ev.arc, rt.config.arc.trusted_sealers, ev.dmarc.author_domain);
}

std::string ArcStep::seal(const Runtime& rt, const Evidence& ev, EomActions& out) {
  if (!rt.config.arc.seal || !ev.outbound()) return "";
  if (!sealer_) {
    log_error("arc: [arc] seal = true but no valid RSA [[signing.keys]] entry for " +
              (rt.config.arc.seal_domain.empty() ? "authserv_id " + rt.config.authserv_id
                                                 : rt.config.arc.seal_domain));
    return "";
  }
  // RFC 8617 §5.1 step 2: a chain whose newest seal says cv=fail is not continued.
  if (ev.arc.latest_cv_fail) return "";
  ArcSealRequest req;
  req.instance = ev.arc.max_instance + 1;  // §5.1 step 3
  if (req.instance > kArcMaxInstance) return "";
  // The assessment to pass on (§4.1.1): the Authentication-Results our inbound pass
  // wrote, when the message is re-injected carrying it (its arc= is the cv= of the
  // chain as it arrived, before a list changed the message); else the one we add now.
  // (Our inbound pass removed every forged field claiming our authserv-id.)
  // Only from trusted_networks: an SMTP AUTH user could write a field claiming our
  // authserv-id and dmarc=pass for any domain, and we would seal that claim.
  std::string inbound_arc;
  for (const auto& h : ev.trusted ? ev.headers : HeaderList{}) {
    if (!iequals(h.name, "Authentication-Results") ||
        !claims_authserv_id(h.value, rt.config.authserv_id))
      continue;
    req.aar_payload = std::string(trim(h.value));
    if (auto p = parse_auth_results(h.value))
      for (const auto& r : p->results)
        if (r.method == "arc") inbound_arc = r.result;
    break;
  }
  if (req.aar_payload.empty())
    req.aar_payload = build_auth_results(ev, rt.config.authserv_id).format("\r\n");
  if (req.instance == 1) {
    req.cv = "none";
  } else if (inbound_arc == "pass" || inbound_arc == "fail") {
    req.cv = inbound_arc;
  } else {
    req.cv = ev.arc.status == Outcome::Pass ? "pass" : "fail";
  }
  HeaderList final_headers = outgoing_headers(ev.headers, out);
  std::string error;
  auto set = sealer_->finish(final_headers, req, error);
  if (!set && req.cv == "pass") {  // the chain is not intact after all: §5.1.2
    req.cv = "fail";
    set = sealer_->finish(final_headers, req, error);
  }
  if (!set) {
    log_error("arc: cannot seal with " + seal_key_->domain + "/" + seal_key_->selector + ": " +
              error);
    return "";
  }
  out.insert_top.insert(out.insert_top.begin(), set->begin(), set->end());
  return "i=" + std::to_string(req.instance) + " cv=" + req.cv + " d=" + seal_key_->domain;
}

}  // namespace alignd
