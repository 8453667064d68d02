// Evidence -> AuthResults. Which properties each method reports follows RFC 8601
// §2.7 and the IANA "Email Authentication Parameters" registry.
#include "core/ar_builder.h"

namespace alignd {
namespace {

void add_spf(AuthResults& ar, const SpfResult& r, const char* property) {
  if (!r.checked) return;
  AuthMethodResult m{"spf", std::string(to_string(r.result)), "", "", {}};
  // RFC 8601 §2.7.2: smtp.mailfrom is the domain (or address); smtp.helo the HELO name.
  m.props.push_back({"smtp", property, r.domain.empty() ? r.identity : r.domain});
  ar.results.push_back(std::move(m));
}

}  // namespace

AuthResults build_auth_results(const Evidence& ev, std::string_view authserv_id) {
  AuthResults ar;
  ar.authserv_id = std::string(authserv_id);
  if (ev.authenticated) {
    ar.results.push_back({"auth", "pass", "", "", {{"smtp", "auth", ev.auth_user}}});
  }
  // Report the HELO check only when it decided something the MAIL FROM check did not
  // use: for the null sender the MAIL FROM identity is postmaster@HELO (RFC 7208 §2.4).
  add_spf(ar, ev.spf_mailfrom, "mailfrom");
  if (ev.spf_helo.checked && !ev.spf_mailfrom.checked) add_spf(ar, ev.spf_helo, "helo");
  for (const auto& d : ev.dkim) {
    AuthMethodResult m{"dkim", std::string(to_string(d.result)), "", "", {}};
    if (d.result != Outcome::Pass && !d.reason.empty()) m.reason = d.reason;
    if (!d.domain.empty()) m.props.push_back({"header", "d", d.domain});
    if (!d.selector.empty()) m.props.push_back({"header", "s", d.selector});
    if (!d.algorithm.empty()) m.props.push_back({"header", "a", d.algorithm});
    if (!d.b_prefix.empty()) m.props.push_back({"header", "b", d.b_prefix});
    ar.results.push_back(std::move(m));
  }
  if (ev.dkim_ignored > 0 && !ev.dkim.empty()) {
    // Say that the limit cut the list (RFC 8601 §2.1: a comment, which parsers drop).
    AuthMethodResult& last = ar.results.back();
    std::string note = std::to_string(ev.dkim_ignored) + " more DKIM-Signature fields not examined";
    last.comment = last.comment.empty() ? note : last.comment + "; " + note;
  }
  if (!ev.dmarc.evaluated && !ev.outbound() && !ev.from_problem.empty()) {
    // No single Author Domain (RFC 9989 §4.4): DMARC cannot be applied; say why.
    ar.results.push_back({"dmarc", "permerror", ev.from_problem, "", {}});
  }
  if (ev.dmarc.evaluated) {
    const DmarcResult& r = ev.dmarc;
    AuthMethodResult m{"dmarc", std::string(to_string(r.result)), "", "", {}};
    if (!r.policy_domain.empty()) {
      std::string comment = "p=" + std::string(to_string(r.requested_policy));
      comment += " dis=";
      comment += r.applied_disposition.empty() ? "none" : r.applied_disposition;
      if (r.testing) comment += " t=y";
      m.comment = comment;
    }
    m.props.push_back({"header", "from", r.author_domain});
    if (!r.policy_domain.empty()) {
      m.props.push_back({"policy", "dmarc", std::string(to_string(r.requested_policy))});
      if (r.policy_domain != r.author_domain)
        m.props.push_back({"policy", "policy-domain", r.policy_domain});
    }
    ar.results.push_back(std::move(m));
  }
  // RFC 8617 §6: arc= with smtp.remote-ip and header.oldest-pass; the sealers of a
  // chain with ARC fields, by instance, in the comment. No ARC fields: nothing.
  if (ev.arc.checked && ev.arc.status != Outcome::None) {
    AuthMethodResult m{"arc", std::string(to_string(ev.arc.status)), "", "", {}};
    std::string sealers;
    for (const auto& s : ev.arc.sets)
      sealers +=
          (sealers.empty() ? "" : ", ") + ("i=" + std::to_string(s.instance) + " " + s.seal_domain);
    m.comment = sealers;
    if (ev.arc.status != Outcome::Pass && !ev.arc.reason.empty()) m.reason = ev.arc.reason;
    if (!ev.client_ip.empty()) m.props.push_back({"smtp", "remote-ip", ev.client_ip});
    if (ev.arc.status == Outcome::Pass && ev.arc.oldest_pass >= 0)
      m.props.push_back({"header", "oldest-pass", std::to_string(ev.arc.oldest_pass)});
    ar.results.push_back(std::move(m));
  }
  return ar;
}

}  // namespace alignd
