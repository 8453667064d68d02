// Signing decision with its explanation; see signing_plan.h.
#include "auth/signing_plan.h"

#include "auth/dkim_signer.h"
#include "core/text.h"

namespace alignd {

std::string_view to_string(NotSigned r) {
  switch (r) {
    case NotSigned::Signed: return "signed";
    case NotSigned::NotOutbound: return "not-outbound";
    case NotSigned::NoFromDomain: return "no-from-domain";
    case NotSigned::NoKey: return "no-key";
    case NotSigned::NotYetValid: return "key-not-yet-valid";
    case NotSigned::Expired: return "key-expired";
    case NotSigned::AlreadySigned: return "already-signed";
    case NotSigned::LoginNotAllowed: return "login-not-allowed";
  }
  return "not-signed";
}

namespace {

std::string date(std::time_t t) {
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool covers(const SigningKey& k, const std::string& from) {
  return k.domain == from || (k.include_subdomains && domain_at_or_below(from, k.domain));
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

SigningPlan plan_signing(const std::vector<SigningKey>& keys, bool outbound,
                         std::string_view from_domain, const HeaderList& headers, std::time_t now) {
  SigningPlan p;
  if (!outbound) {
    p.detail = "inbound mail is not signed (only trusted networks and SMTP AUTH clients)";
    return p;
  }
  const std::string from = normalize_domain(from_domain);
  if (from.empty()) {
    p.status = NotSigned::NoFromDomain;
    p.detail = "the From field names no single domain to sign for";
    return p;
  }
  for (const SigningKey* k : select_signing_keys(keys, from, now)) {
    // RFC 6376 §5: a message re-injected after a content filter already carries
    // our signature for that domain and selector: do not sign it twice.
    if (already_signed(headers, k->domain, k->selector)) {
      p.skipped.push_back(k->domain + "/" + k->selector);
      continue;
    }
    p.keys.push_back(k);
  }
  if (!p.keys.empty()) {
    p.status = NotSigned::Signed;
    return p;
  }
  if (!p.skipped.empty()) {
    p.status = NotSigned::AlreadySigned;
    p.detail = "the message already carries our signature " + joined(p.skipped);
    return p;
  }
  // No usable key: none at all for the domain, or only keys outside their dates.
  const SigningKey* later = nullptr;
  const SigningKey* earlier = nullptr;
  for (const auto& k : keys) {
    if (!covers(k, from)) continue;
    if (k.not_before && *k.not_before > now) later = &k;
    if (k.not_after && *k.not_after <= now) earlier = &k;
  }
  if (later) {
    p.status = NotSigned::NotYetValid;
    p.detail = "key " + later->domain + "/" + later->selector + " is not valid before " +
               date(*later->not_before);
  } else if (earlier) {
    p.status = NotSigned::Expired;
    p.detail = "key " + earlier->domain + "/" + earlier->selector + " expired at " +
               date(*earlier->not_after);
  } else {
    p.status = NotSigned::NoKey;
    p.detail = "no key for " + from + " in [[signing.keys]]";
  }
  return p;
}

}  // namespace alignd
