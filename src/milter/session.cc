// Session: per-connection state machine; see session.h. The whole judgement of
// one message is on_eom(), top to bottom.
#include "milter/session.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "auth/body_hashes.h"
#include "auth/dkim_signer.h"
#include "auth/dkim_verifier.h"
#include "auth/signing_plan.h"
#include "core/address.h"
#include "core/ar_builder.h"
#include "core/auth_results.h"
#include "core/dmarc/authors.h"
#include "core/fcrdns.h"
#include "core/log.h"
#include "core/report/evaluation.h"
#include "core/simulate/record.h"
#include "core/text.h"
#include "dns/budget_resolver.h"
#include "milter/arc_step.h"
#include "metrics/alignd_metrics.h"
#include "milter/recent_verdicts.h"
#include "milter/services.h"

namespace alignd {

struct MessageContext {
  std::shared_ptr<const Runtime> rt;  // snapshot for this message's whole life
  std::unique_ptr<BudgetResolver> dns;  // every lookup for this message, bounded
  Evidence ev;
  AuthorDomain author;                     // parsed at end of headers
  // Each body hash DKIM and ARC verification need, computed once (body_hashes.h).
  // Declared before its users; the Session feeds it after they registered.
  BodyHashes body_hashes;
  std::unique_ptr<DkimVerifier> verifier;  // inbound (or dkim.verify_outbound)
  std::unique_ptr<DkimSigner> signer;      // outbound with a key for the From domain
  std::vector<std::string> signer_domains;  // "domain/selector" being signed, for logs
  SigningPlan signing;                      // outbound: the keys, or why none signs
  size_t header_fields = 0, header_bytes = 0;  // as received, for [headers] caps
  std::string oversized;  // non-empty: over a cap; nothing more is kept, 552 at EOM
  ArcStep arc;                              // RFC 8617 validation and sealing (arc_step.h)
};

// RFC 9990 disposition actually applied: what the MTA will do with the message.
static std::string applied_disposition(const Verdict& v) {
  switch (v.action) {
    case Action::Reject: return "reject";
    case Action::Quarantine: return "quarantine";
    default: return "none";
  }
}

std::string envelope_address(std::string_view arg) {
  arg = trim(arg);
  if (!arg.empty() && arg.front() == '<') {
    auto end = arg.find('>');
    arg = arg.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
  }
  // RFC 5321 §4.1.2 source routes "@a,@b:user@host" are obsolete: keep the mailbox.
  if (!arg.empty() && arg.front() == '@') {
    auto colon = arg.find(':');
    if (colon != std::string_view::npos) arg = arg.substr(colon + 1);
  }
  return std::string(trim(arg));
}

Session::Session(const RuntimeHolder& runtimes) : runtimes_(runtimes) {}
Session::~Session() = default;

std::shared_ptr<const Runtime> Session::connection_runtime() const { return runtimes_.get(); }

StageReply Session::on_connect(std::string_view hostname, std::string_view ip) {
  conn_ = {};
  conn_.client_ip = std::string(ip);
  conn_.client_ptr = std::string(hostname);
  // A local submission (no client address, e.g. Postfix non_smtpd_milters) is ours.
  conn_.trusted = ip.empty() || connection_runtime()->is_trusted(ip);
  return StageReply::go();
}

StageReply Session::on_helo(std::string_view helo) {
  conn_.helo = std::string(trim(helo));
  helo_spf_.reset();
  return StageReply::go();
}

StageReply Session::on_mail_from(std::string_view addr, std::string_view auth_user,
                                 std::string_view queue_id) {
  msg_ = std::make_unique<MessageContext>();
  msg_->rt = runtimes_.get();
  Evidence& ev = msg_->ev;
  ev.client_ip = conn_.client_ip;
  ev.client_ptr = conn_.client_ptr;
  ev.helo = conn_.helo;
  // Re-classify under this message's configuration (a reload may have changed it).
  ev.trusted = conn_.client_ip.empty() || msg_->rt->is_trusted(conn_.client_ip);
  ev.authenticated = !auth_user.empty();
  ev.auth_user = std::string(auth_user);
  ev.queue_id = std::string(queue_id);
  ev.mail_from = envelope_address(addr);
  msg_->dns = std::make_unique<BudgetResolver>(
      *msg_->rt->dns, msg_->rt->config.dns.max_queries_per_message,
      std::chrono::milliseconds(msg_->rt->config.dns.message_deadline_ms));
  check_spf();
  verify_client_name();
  if (!ev.outbound() || msg_->rt->config.dkim.verify_outbound)
    msg_->verifier = std::make_unique<DkimVerifier>(
        *msg_->rt->dkim, *msg_->dns,
        DkimVerifyOptions{msg_->rt->config.dkim.max_signatures,
                          msg_->rt->config.dkim.partial_body == "pass"},
        &msg_->body_hashes);
  msg_->arc.start(*msg_->rt, ev.outbound(), *msg_->dns, &msg_->body_hashes);
  if (auto early = msg_->rt->policy.decide_mail_from(ev)) {
    if (early->action == Action::Reject || early->action == Action::TempFail) {
      StageReply r;
      r.kind = early->action == Action::Reject ? StageReply::Reject : StageReply::TempFail;
      r.reply = early->reply;
      log_info("stage=mail_from " + kv("client", ev.client_ip) + " " + kv("from", ev.mail_from) +
               " " + kv("rule", early->rule) + " " + kv("reply", early->reply.str()));
      count_mail_from_verdict(ev, *early);
      msg_.reset();
      return r;
    }
  }
  return StageReply::go();
}

// The client's forward-confirmed PTR names (core/fcrdns.h), only when a rule
// asks (`client_name`); once a connection, through this message's DNS budget.
void Session::verify_client_name() {
  Evidence& ev = msg_->ev;
  if (conn_.client_ip.empty() || !msg_->rt->policy.uses_condition("client_name")) return;
  if (!conn_.names || conn_.names->status == "temperror")
    conn_.names = forward_confirmed_names(conn_.client_ip, msg_->dns->as_lookup());
  ev.client_names = conn_.names->verified;
  ev.client_name = ev.client_names.empty() ? "" : ev.client_names.front();
  ev.client_name_status = conn_.names->status;
}

// RFC 7208 §2.3 (HELO) and §2.4 (MAIL FROM) checks, at MAIL FROM. The HELO
// result is kept for the connection: it cannot change until the next HELO.
void Session::check_spf() {
  const Runtime& rt = *msg_->rt;
  Evidence& ev = msg_->ev;
  if (ev.outbound() && rt.config.spf.skip_outbound) return;
  if (conn_.client_ip.empty()) return;
  if (!spf_) spf_ = std::make_unique<SpfChecker>(*msg_->dns, rt.config.authserv_id);
  spf_->set_resolver(*msg_->dns);
  if (rt.config.spf.check_helo && !conn_.helo.empty()) {
    if (!helo_spf_) helo_spf_ = spf_->check_helo(conn_.client_ip, conn_.helo);
    ev.spf_helo = *helo_spf_;
  }
  ev.spf_mailfrom = spf_->check_mail_from(conn_.client_ip, conn_.helo, ev.mail_from);
  // Only what DMARC builds on counts as a DNS failure that may explain a DMARC fail:
  // the HELO identity is not a DMARC input (RFC 9989 §4.4.2).
  if (ev.spf_mailfrom.result == Outcome::TempError) ev.dns_temperror = true;
}

StageReply Session::on_rcpt(std::string_view addr) {
  if (msg_) msg_->ev.rcpt_to.push_back(envelope_address(addr));
  return StageReply::go();
}

StageReply Session::on_header(std::string_view name, std::string_view value) {
  if (!msg_ || !msg_->oversized.empty()) return StageReply::go();
  // Hostile-input caps (docs/security.md): past them the message keeps no data and
  // is refused at end of message (replies to header events are not negotiated).
  const auto& cap = msg_->rt->config.headers;
  msg_->header_fields += 1;
  msg_->header_bytes += name.size() + 1 + value.size() + 2;
  if (msg_->header_fields > static_cast<size_t>(cap.max_fields) ||
      msg_->header_bytes > static_cast<size_t>(cap.max_bytes)) {
    msg_->oversized = msg_->header_fields > static_cast<size_t>(cap.max_fields)
                          ? "more than " + std::to_string(cap.max_fields) + " header fields"
                          : "more than " + std::to_string(cap.max_bytes) + " bytes of header";
    HeaderList().swap(msg_->ev.headers);
    msg_->verifier.reset();
    msg_->signer.reset();
    return StageReply::go();
  }
  // Keep the field verbatim with CRLF line breaks (header.h): MTAs hand folded
  // values to milters with bare LF.
  std::string v;
  v.reserve(value.size() + 8);
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\n' && (i == 0 || value[i - 1] != '\r')) v += '\r';
    v += value[i];
  }
  msg_->ev.headers.push_back({std::string(name), std::move(v)});
  if (msg_->verifier) msg_->verifier->header(msg_->ev.headers.back());
  msg_->arc.header(msg_->ev.headers.back());
  return StageReply::go();
}

// End of headers: the author domain is known, so DKIM signing can start.
StageReply Session::on_eoh() {
  if (!msg_ || !msg_->oversized.empty()) return StageReply::go();
  MessageContext& m = *msg_;
  m.author = author_domain(m.ev.headers);
  m.ev.from_problem = m.author.problem;
  if (m.verifier) m.verifier->end_of_headers();
  m.arc.end_of_headers();
  // Which keys sign, or why none does (auth/signing_plan.h).
  m.signing = plan_signing(m.rt->signing_keys, m.ev.outbound(), m.author.domain, m.ev.headers,
                           std::time(nullptr));
  // Issue 10 item 10: an authenticated login signs only From addresses it owns.
  if (!m.signing.keys.empty() && m.ev.authenticated && m.rt->sender_logins) {
    m.ev.signing_refused =
        sender_login_refusal(*m.rt->sender_logins, m.ev.auth_user, from_addresses(m.ev.headers));
    if (!m.ev.signing_refused.empty()) {
      m.signing.keys.clear();
      m.signing.status = NotSigned::LoginNotAllowed;
      m.signing.detail = m.ev.signing_refused;
    }
  }
  if (!m.signing.keys.empty()) {
    for (const SigningKey* k : m.signing.keys)
      m.signer_domains.push_back(k->domain + "/" + k->selector);
    SignOptions so;
    so.canonicalization = m.rt->config.signing.canonicalization;
    so.id = m.ev.queue_id;
    m.signer = std::make_unique<DkimSigner>(*m.rt->dkim, m.signing.keys, so);
    for (const auto& h : m.ev.headers) m.signer->header(h);
    m.signer->end_of_headers();
  }
  return StageReply::go();
}

StageReply Session::on_body(std::string_view chunk) {
  if (!msg_ || !msg_->oversized.empty()) return StageReply::go();
  if (msg_->verifier) msg_->verifier->body(chunk);
  if (msg_->signer) msg_->signer->body(chunk);
  msg_->arc.body(chunk);
  msg_->body_hashes.feed(chunk);  // after the verifiers: DKIM may register at its first chunk
  return StageReply::go();
}

// RFC 9989 §4.4/§5.3: DMARC for inbound mail, from the SPF and DKIM results.
void Session::evaluate_dmarc_for_message() {
  MessageContext& m = *msg_;
  Evidence& ev = m.ev;
  if (ev.outbound()) return;
  DmarcInput in;
  in.author_domain = m.author.domain;
  in.from_problem = m.author.problem;
  in.spf_mailfrom = ev.spf_mailfrom;
  in.dkim = ev.dkim;
  DmarcOptions opts;
  opts.mode = m.rt->dmarc_mode;
  opts.psl_org_domain = m.rt->psl_org_domain;
  if (opts.mode == DmarcMode::Rfc7489) {
    thread_local std::mt19937 rng{std::random_device{}()};
    opts.sample = static_cast<uint32_t>(rng() % 100);  // RFC 7489 §6.6.4 pct sampling
  }
  // RFC 9989 §5.3.1/§11.5: every author domain, however broken the From is.
  AuthorsDmarc d = evaluate_dmarc_authors(
      m.author, in, m.dns->as_lookup(), opts,
      static_cast<size_t>(std::max(1, m.rt->config.dmarc.max_author_domains)));
  ev.dmarc = std::move(d.combined);
  ev.dmarc_each = std::move(d.each);
  ev.from_problem = d.from_problem;
  // Only a temperror that could change the DMARC outcome holds up the verdict:
  // evaluate_dmarc says temperror exactly then (RFC 9989 §5.3.6). A failed key
  // lookup of a signature that cannot align, or SPF for an unaligned MAIL FROM
  // domain, could not have made DMARC pass.
  ev.dns_temperror = ev.dmarc.result == Outcome::TempError;
}

EomActions Session::on_eom(std::string_view queue_id) {
  EomActions out;
  if (!msg_) return out;
  const auto started = std::chrono::steady_clock::now();
  const Runtime& rt = *msg_->rt;
  Evidence& ev = msg_->ev;
  if (!queue_id.empty()) ev.queue_id = std::string(queue_id);

  // 0. Over a header cap: refuse, RFC 3463 5.3.4 "message too big for system".
  if (!msg_->oversized.empty()) {
    out.verdict.action = Action::Reject;
    out.verdict.reply = {"552", "5.3.4", "Message header too large (" + msg_->oversized + ")"};
    out.verdict.trace.push_back("[headers] cap: " + msg_->oversized + "; refused, nothing checked");
    log_warning(kv("queue", ev.queue_id) + " " + kv("client", ev.client_ip) + " " +
                kv("from", ev.mail_from) + " " +
                kv("header_fields", std::to_string(msg_->header_fields)) + " " +
                kv("header_bytes", std::to_string(msg_->header_bytes)) + " verdict=reject " +
                kv("reply", out.verdict.reply.str()));
    last_evidence_ = std::move(ev);
    msg_.reset();
    return out;
  }

  // 1. DKIM results, then DMARC from SPF + DKIM.
  if (msg_->verifier) {
    ev.dkim = msg_->verifier->finish();
    ev.dkim_ignored = msg_->verifier->ignored_signatures();
  }
  evaluate_dmarc_for_message();
  msg_->arc.verify(rt, ev);  // RFC 8617 §5.2 + trusted sealers (needs the author domain)

  // 2. Decide (pure): first matching rule, else accept.
  Verdict v = rt.policy.decide(ev);
  if (ev.dmarc.evaluated) ev.dmarc.applied_disposition = applied_disposition(v);

  // 3. Authentication-Results: drop every field that claims our authserv-id
  //    (RFC 8601 §5), then put ours on top.
  int index_by_name = 0;
  for (const auto& h : ev.headers) {
    if (!iequals(h.name, "Authentication-Results")) continue;
    ++index_by_name;
    if (claims_authserv_id(h.value, rt.config.authserv_id))
      out.remove.push_back({h.name, index_by_name, h.value});
  }
  if (!ev.outbound() || rt.config.outbound_auth_results) {
    AuthResults ar = build_auth_results(ev, rt.config.authserv_id);
    out.insert_top.push_back({"Authentication-Results", " " + ar.format("\r\n")});
  }
  if (rt.config.spf.received_spf && ev.spf_mailfrom.checked)  // RFC 7208 §9.1
    out.insert_top.push_back(
        {"Received-SPF",
         fold_header_value("Received-SPF", " " + received_spf_value(ev.spf_mailfrom, ev.client_ip,
                                                                    ev.helo, rt.config.authserv_id))});

  // 4. Outbound: DKIM signatures on top, above everything we add.
  if (msg_->signer) {
    auto sigs = msg_->signer->finish();
    for (const auto& e : msg_->signer->errors()) log_error("dkim signing: " + e);
    for (auto it = sigs.rbegin(); it != sigs.rend(); ++it)
      out.insert_top.insert(out.insert_top.begin(), {"DKIM-Signature", " " + *it});
  }

  if (ev.outbound() && msg_->signing.status != NotSigned::Signed) {
    out.not_signed = std::string(to_string(msg_->signing.status));
    out.not_signed_detail = msg_->signing.detail;
  }

  // 5. Carry out the verdict.
  switch (v.action) {
    case Action::Accept: break;
    case Action::Tag: {
      // Values we hand the MTA start with the space after the colon (header.h).
      for (const auto& h : v.add_headers)
        out.append.push_back({h.name, (!h.value.empty() && h.value[0] == ' ') ? h.value : " " + h.value});
      if (!v.subject_prefix.empty()) {
        int subj = 0;
        for (const auto& h : ev.headers) {
          if (!iequals(h.name, "Subject")) continue;
          ++subj;
          // subject_prefix carries its own trailing space ("[SPF FAIL] ").
          out.change.push_back({h.name, subj, " " + v.subject_prefix + std::string(trim(h.value))});
          break;
        }
        if (subj == 0) out.append.push_back({"Subject", " " + v.subject_prefix});
      }
      break;
    }
    case Action::Quarantine: out.quarantine_reason = v.quarantine_reason; break;
    case Action::Reject:
    case Action::TempFail: break;
  }

  // 5b. ARC: seal outbound mail last, over the header fields as they leave (RFC 8617 §5.1).
  std::string sealed = msg_->arc.seal(rt, ev, out);

  // 6. Record it for the aggregate reports (queued; never waits on the disk).
  //    One row per author domain whose record asks for reports: with several
  //    (a multi-domain From, RFC 9989 §11.5) each owner sees the message.
  bool recorded = false;
  if (rt.services && rt.services->writer()) {
    const std::int64_t now = std::time(nullptr);
    for (auto& d : ev.dmarc_each) {
      d.applied_disposition = applied_disposition(v);
      if (should_record(ev, d))
        recorded = rt.services->writer()->submit(make_evaluation(ev, d, v, now)) || recorded;
    }
    // Every decided message, for `alignd simulate` (core/simulate/record.h).
    if (rt.config.store.record_messages)
      rt.services->writer()->submit(
          make_message_record(ev, v, now, rt.config.store.message_headers));
  }

  // 7. One summary line a message.
  std::string line = kv("queue", ev.queue_id) + " " + kv("client", ev.client_ip) + " " +
                     kv("from", ev.mail_from) + " " +
                     kv("direction", ev.outbound() ? "outbound" : "inbound");
  if (ev.authenticated) line += " " + kv("auth", ev.auth_user);
  if (ev.spf_mailfrom.checked) line += " " + kv("spf", to_string(ev.spf_mailfrom.result));
  for (const auto& d : ev.dkim)
    line += " " + kv("dkim", std::string(to_string(d.result)) + ":" + d.domain +
                                 (d.selector.empty() ? "" : "/" + d.selector));
  if (ev.dkim_ignored > 0) line += " " + kv("dkim_ignored", std::to_string(ev.dkim_ignored));
  if (!msg_->author.domain.empty()) line += " " + kv("header_from", msg_->author.domain);
  if (!ev.from_problem.empty()) line += " " + kv("from_problem", ev.from_problem);
  if (ev.dmarc.evaluated || (!ev.outbound() && !ev.from_problem.empty()))
    line += " " + kv("dmarc", to_string(ev.dmarc.result));
  for (const auto& d : msg_->signer_domains) line += " " + kv("signed", d);
  if (!ev.signing_refused.empty())
    line += " " + kv("not_signed", ev.signing_refused);
  else if (!out.not_signed.empty())
    line += " " + kv("not_signed", out.not_signed);
  if (ev.arc.status != Outcome::None) line += " " + kv("arc", to_string(ev.arc.status));
  if (!sealed.empty()) line += " " + kv("arc_sealed", sealed);
  // The message's DNS budget (docs/dns.md) cut lookups short: say which and how far,
  // so a temperror from a silent server is told apart from one the upstream answered.
  if (msg_->dns) {
    const auto& b = *msg_->dns;
    const long long waited = b.waited().count();
    const bool out_of_time = rt.config.dns.message_deadline_ms > 0 &&
                             waited >= rt.config.dns.message_deadline_ms;
    if (out_of_time || b.refused() > 0)
      line += " " + kv("dns_budget", out_of_time ? "time" : "queries") + " " +
              kv("dns_ms", std::to_string(waited)) + " " +
              kv("dns_queries", std::to_string(b.used())) + " " +
              kv("dns_refused", std::to_string(b.refused()));
  }
  line += " " + kv("verdict", to_string(v.action));
  if (!v.rule.empty()) line += " " + kv("rule", v.rule);
  if (!v.reply.empty()) line += " " + kv("reply", v.reply.str());
  if (v.action == Action::Quarantine) line += " " + kv("reason", v.quarantine_reason);
  if (recorded) line += " recorded=yes";
  log_info(line);

  // 8. Metrics (atomics only; docs/operations.md).
  if (msg_->signer) metrics().dkim_signed.inc();
  count_message(ev, v,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (rt.services) recent_verdicts().record(ev, v, std::time(nullptr));  // the daemon only

  out.verdict = std::move(v);
  last_evidence_ = std::move(ev);
  msg_.reset();
  return out;
}

void Session::on_abort() { msg_.reset(); }

}  // namespace alignd
