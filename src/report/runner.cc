// The report run: due periods -> AggregateReport -> XML -> gzip -> mail, with
// per-destination claims (exactly-once, docs/reports.md).
#include "report/runner.h"

#include <fstream>

#include "core/log.h"
#include "core/report/destination.h"
#include "core/report/xml.h"
#include "core/text.h"
#include "report/file_name.h"
#include "report/gzip.h"
#include "report/message.h"
#include "report/verify.h"

namespace alignd {

namespace {

bool write_file(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << data;
  return static_cast<bool>(f.flush());
}

std::string period_text(const Period& p) {
  return kv("domain", p.policy_domain) + " " + kv("begin", std::to_string(p.begin)) + " " +
         kv("end", std::to_string(p.end - 1));
}

enum class Delivery { Done, Pending };  // for one destination

struct PeriodRun {
  Store& store;
  Resolver& dns;
  Mailer& mailer;
  const ReportOptions& o;
  ReportRunStats& stats;
  const AggregateReport& report;
  const std::string& gz;

  // Delivers to one destination from the record; Done when it is now sent,
  // refused or too big for good, Pending when a later run must try again.
  Delivery deliver(const ReportDestination& dest) {
    const Period& p = report.period;
    const std::string key = to_lower(dest.address);
    SendState st = store.send_state(p, key);
    if (st == SendState::Sent || st == SendState::Refused || st == SendState::TooBig)
      return Delivery::Done;
    // Failed: retried now. Claimed: maybe by a crashed run; claim() below takes it
    // over once the lease ran out.

    std::vector<ReportDestination> targets{dest};
    std::string refusal;
    SendState skip = SendState::Refused;  // or TooBig: what `refusal` records
    if (o.verify_external && is_external_destination(p.policy_domain, report_org_domain, dest)) {
      Verification v = verify_external_destination(dns, p.policy_domain, dest);
      if (v.result == Verification::Result::TempFail) {
        log_warning("report deferred: external destination check " + period_text(p) + " " +
                    kv("rua", dest.uri) + " " + kv("reason", v.reason));
        stats.deferred++;
        return Delivery::Pending;
      }
      if (v.result == Verification::Result::Refused)
        refusal = "external destination not authorized (RFC 9990 §4): " + v.reason;
      else
        targets = capped(v.send_to, p, "override rua");
    }

    std::vector<std::pair<ReportDestination, ReportMail>> mails;
    if (refusal.empty()) {
      for (const auto& t : targets) {
        ReportMail m = build_report_mail(report, gz, t.address, o.now);
        if (t.max_size && m.attachment_b64.size() > t.max_size) {
          // RFC 7489 §7.2.1: a URI whose size limit the report exceeds MUST NOT be used.
          log_warning("report too big for destination " + period_text(p) + " " + kv("rua", t.uri) +
                      " " + kv("size", std::to_string(m.attachment_b64.size())) + " " +
                      kv("limit", std::to_string(t.max_size)));
          continue;
        }
        mails.emplace_back(t, std::move(m));
      }
      if (mails.empty()) {
        refusal = "report exceeds the destination's size limit";
        skip = SendState::TooBig;
      }
    }

    if (o.dry_run) {
      if (!refusal.empty()) {
        log_info("report dry run: would skip " + period_text(p) + " " + kv("rua", dest.uri) + " " +
                 kv("reason", refusal));
        return Delivery::Done;
      }
      // Names from DNS data (policy domain, rua= local part) stay one component of out_dir.
      std::string gz_path = o.out_dir + "/" + safe_file_name(report_filename(report));
      if (!write_file(gz_path, gz)) throw std::runtime_error("cannot write " + gz_path);
      for (const auto& [t, m] : mails) {
        std::string eml = o.out_dir + "/" +
                          safe_file_name(m.attachment_name.substr(0, m.attachment_name.size() - 7) +
                                         "!" + to_lower(t.address)) +
                          ".eml";
        if (!write_file(eml, m.text)) throw std::runtime_error("cannot write " + eml);
        stats.written++;
      }
      return Delivery::Done;
    }

    if (!store.claim(p, key, o.owner, o.now, o.lease)) {
      stats.deferred++;  // another run holds it (or just finished it)
      return store.send_state(p, key) == SendState::Claimed ? Delivery::Pending : Delivery::Done;
    }
    if (!refusal.empty()) {
      log_warning("report not sent " + period_text(p) + " " + kv("rua", dest.uri) + " " +
                  kv("reason", refusal));
      store.mark_skipped(p, key, o.owner, skip, refusal);
      (skip == SendState::TooBig ? stats.too_big : stats.refused)++;
      return Delivery::Done;
    }
    bool all_ok = true;
    std::string errors;
    for (const auto& [t, m] : mails) {
      std::string err;
      if (mailer.send(m.text, err)) {
        stats.sent++;
        log_info("report sent " + period_text(p) + " " + kv("to", t.address) + " " +
                 kv("report_id", report.report_id) + " " +
                 kv("messages", std::to_string(report.message_count)));
      } else {
        all_ok = false;
        errors = err;
        stats.failed++;
        log_error("report send failed " + period_text(p) + " " + kv("to", t.address) + " " +
                  kv("error", err));
      }
    }
    if (!all_ok) {
      store.mark_failed(p, key, o.owner, errors);
      return Delivery::Pending;
    }
    if (!store.mark_sent(p, key, o.owner, report.report_id, o.now))
      log_warning("report claim was taken over before it was marked sent " + period_text(p) + " " +
                  kv("to", dest.address));
    return Delivery::Done;
  }

  std::string report_org_domain;

  // RFC 9990 §3.5 "up to the Receiver's limits on supported URIs": the first
  // max_destinations of a list, the rest logged and dropped.
  std::vector<ReportDestination> capped(std::vector<ReportDestination> list, const Period& p,
                                        const char* what) const {
    if (list.size() <= o.max_destinations) return list;
    log_warning("report destinations over the limit " + period_text(p) + " " + kv("source", what) +
                " " + kv("count", std::to_string(list.size())) + " " +
                kv("max_destinations", std::to_string(o.max_destinations)) + " " +
                kv("dropped_from", list[o.max_destinations].uri));
    list.resize(o.max_destinations);
    return list;
  }
};

}  // namespace

ReportRunStats run_reports(Store& store, Resolver& dns, Mailer& mailer, const ReportOptions& o) {
  ReportRunStats stats;
  for (const Period& p : store.due_periods(o.format, o.now, o.since, o.grace)) {
    stats.periods++;
    std::vector<Evaluation> evs = store.evaluations(p, o.format);
    bool done = true;
    if (!evs.empty()) {
      AggregateReport report = aggregate(o.meta, p, evs);
      std::string xml = report_xml(report, o.format);
      std::string gz = gzip_compress(xml);
      // The last configuration seen decides where reports go (RFC 9990 §3.1).
      Destinations dests = mailto_destinations(report.policy.record);
      for (const auto& e : dests.errors)
        log_warning("report destination ignored " + period_text(p) + " " + kv("reason", e));
      PeriodRun run{store, dns, mailer, o, stats, report, gz, evs.back().organizational_domain};
      for (const auto& d : run.capped(dests.mailto, p, "rua")) {
        try {
          if (run.deliver(d) == Delivery::Pending) done = false;
        } catch (const StoreError&) {
          throw;
        } catch (const std::exception& e) {
          log_error("report failed " + period_text(p) + " " + kv("rua", d.uri) + " " +
                    kv("error", e.what()));
          stats.failed++;
          done = false;
        }
      }
    }
    if (done && !o.dry_run) {
      store.mark_complete(p, o.now);
      stats.completed++;
    }
  }
  return stats;
}

}  // namespace alignd
