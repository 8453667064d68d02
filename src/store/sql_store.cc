// Store operations in portable SQL (SQLite ≥ 3.35 and PostgreSQL ≥ 9.5 both
// support INSERT ... ON CONFLICT ... RETURNING). Exactly-once delivery rests on
// claim(): one atomic upsert decides which run owns a (period, destination).
#include "store/sql_store.h"

#include <set>
#include <stdexcept>
#include <tuple>

#include "core/text.h"
#include "store/codec.h"
#include "store/message_codec.h"

namespace alignd {

namespace {

const char* const kColumns =
    "time, policy_domain, ri_interval, source_ip, envelope_from, envelope_to, header_from, "
    "organizational_domain, record, p, sp, np, adkim, aspf, testing, psd, pct, fo, rua, ri, "
    "discovery, record_errors, spf_domain, spf_scope, spf_result, spf_human, dkim, spf_aligned, "
    "dkim_aligned, dmarc_result, disposition, requested, overrides, arc_result, arc_reason, "
    "arc_sets, arc_oldest_pass, arc_trusted_instance, arc_override";
constexpr int kColumnCount = 39;

std::vector<SqlValue> to_params(const Evaluation& e) {
  const PublishedPolicy& p = e.policy;
  return {e.time,
          e.policy_domain,
          ri_interval(p.ri),
          e.source_ip,
          e.envelope_from,
          e.envelope_to,
          e.header_from,
          e.organizational_domain,
          p.record,
          p.p,
          p.sp,
          p.np,
          p.adkim,
          p.aspf,
          p.testing,
          p.psd,
          p.pct,
          p.fo,
          p.rua,
          p.ri,
          p.discovery,
          p.errors,
          e.spf_domain,
          e.spf_scope,
          e.spf_result,
          e.spf_human,
          encode_dkim(e.dkim),
          std::int64_t{e.spf_aligned},
          std::int64_t{e.dkim_aligned},
          e.dmarc_result,
          e.disposition,
          e.requested,
          encode_overrides(e.overrides),
          e.arc.result,
          e.arc.reason,
          encode_arc_sealers(e.arc.sealers),
          std::int64_t{e.arc.oldest_pass},
          std::int64_t{e.arc.trusted_instance},
          std::int64_t{e.arc.override_used}};
}

Evaluation from_row(const SqlRow& r) {
  auto s = [&r](int i) { return r[static_cast<size_t>(i)].value_or(""); };
  auto n = [&](int i) { return static_cast<std::int64_t>(std::stoll(s(i).empty() ? "0" : s(i))); };
  Evaluation e;
  e.time = n(0);
  e.policy_domain = s(1);
  // 2: ri_interval (derived)
  e.source_ip = s(3);
  e.envelope_from = s(4);
  e.envelope_to = s(5);
  e.header_from = s(6);
  e.organizational_domain = s(7);
  PublishedPolicy& p = e.policy;
  p.record = s(8);
  p.p = s(9);
  p.sp = s(10);
  p.np = s(11);
  p.adkim = s(12);
  p.aspf = s(13);
  p.testing = s(14);
  p.psd = s(15);
  p.pct = s(16);
  p.fo = s(17);
  p.rua = s(18);
  p.ri = n(19);
  p.discovery = s(20);
  p.errors = s(21);
  e.spf_domain = s(22);
  e.spf_scope = s(23);
  e.spf_result = s(24);
  e.spf_human = s(25);
  e.dkim = decode_dkim(s(26));
  e.spf_aligned = n(27) != 0;
  e.dkim_aligned = n(28) != 0;
  e.dmarc_result = s(29);
  e.disposition = s(30);
  e.requested = s(31);
  e.overrides = decode_overrides(s(32));
  e.arc.result = s(33);
  e.arc.reason = s(34);
  e.arc.sealers = decode_arc_sealers(s(35));
  e.arc.oldest_pass = static_cast<int>(s(36).empty() ? -1 : n(36));
  e.arc.trusted_instance = static_cast<int>(n(37));
  e.arc.override_used = n(38) != 0;
  return e;
}

std::string insert_sql() {
  std::string q = "INSERT INTO evaluations (" + std::string(kColumns) + ") VALUES (";
  for (int i = 0; i < kColumnCount; ++i) q += i ? ",?" : "?";
  return q + ")";
}

// The period of an evaluation row, as SQL: its start and length.
std::string interval_expr(ReportFormat f) {
  return f == ReportFormat::Rfc7489 ? "ri_interval" : std::to_string(kDay);
}

std::vector<SqlValue> key(const Period& p, const std::string& dest) {
  return {p.policy_domain, p.begin, p.end, dest};
}

const char* const kKeyWhere =
    "policy_domain = ? AND period_begin = ? AND period_end = ? AND destination = ?";

}  // namespace

const char* send_state_name(SendState s) {
  switch (s) {
    case SendState::None: return "";
    case SendState::Claimed: return "claimed";
    case SendState::Sent: return "sent";
    case SendState::Failed: return "failed";
    case SendState::Refused: return "refused";
    case SendState::TooBig: return "too_big";
  }
  return "";
}

Store::~Store() = default;

void Store::append_messages(const std::vector<MessageRecord>& rows) {
  if (!rows.empty()) throw StoreError(describe() + ": this store keeps no messages");
}

std::vector<MessageRecord> Store::messages(std::int64_t, std::int64_t, const std::string&) {
  return {};
}

SqlStore::SqlStore(Connect connect, std::string description)
    : connect_(std::move(connect)), description_(std::move(description)) {}

SqlConn& SqlStore::conn() {
  if (!conn_) {
    auto c = connect_();
    migrate(*c);
    conn_ = std::move(c);
  }
  return *conn_;
}

template <class F>
auto SqlStore::with_conn(F&& f) -> decltype(f(std::declval<SqlConn&>())) {
  try {
    return f(conn());
  } catch (...) {
    conn_.reset();  // lost connection, full disk...: start afresh next time
    throw;
  }
}

void SqlStore::ping() {
  with_conn([](SqlConn& c) { c.query("SELECT 1"); });
}

void SqlStore::append(const std::vector<Evaluation>& rows) {
  if (rows.empty()) return;
  static const std::string sql = insert_sql();
  with_conn([&](SqlConn& c) {
    c.begin();
    try {
      for (const auto& e : rows) c.query(sql, to_params(e));
      c.exec("COMMIT");
    } catch (...) {
      try {
        c.exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  });
}

void SqlStore::append_messages(const std::vector<MessageRecord>& rows) {
  if (rows.empty()) return;
  static const std::string sql =
      "INSERT INTO messages (time, queue_id, from_domain, source, action, rule, evidence) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)";
  with_conn([&](SqlConn& c) {
    c.begin();
    try {
      for (const auto& m : rows)
        c.query(sql, {m.time, m.ev.queue_id, m.ev.dmarc.author_domain, message_source(m.ev),
                      m.action, m.rule, encode_evidence(m.ev)});
      c.exec("COMMIT");
    } catch (...) {
      try {
        c.exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  });
}

std::vector<MessageRecord> SqlStore::messages(std::int64_t since, std::int64_t until,
                                              const std::string& from_domain) {
  std::string sql =
      "SELECT time, action, rule, evidence FROM messages WHERE time >= ? AND time < ?";
  std::vector<SqlValue> params = {since, until};
  if (!from_domain.empty()) {
    sql += " AND (from_domain = ? OR from_domain LIKE ?)";
    params.emplace_back(from_domain);
    params.emplace_back("%." + from_domain);
  }
  sql += " ORDER BY time, id";
  return with_conn([&](SqlConn& c) {
    std::vector<MessageRecord> out;
    for (auto& r : c.query(sql, params)) {
      MessageRecord m;
      m.time = std::stoll(r[0].value_or("0"));
      m.action = r[1].value_or("");
      m.rule = r[2].value_or("");
      m.ev = decode_evidence(r[3].value_or(""));
      // LIKE's '_' matches any character: check the domain exactly.
      if (!from_domain.empty() && !domain_at_or_below(m.ev.dmarc.author_domain, from_domain))
        continue;
      out.push_back(std::move(m));
    }
    return out;
  });
}

std::vector<Period> SqlStore::due_periods(ReportFormat f, std::int64_t now, std::int64_t since,
                                          std::int64_t grace) {
  const std::string len = interval_expr(f);
  const std::string begin = "(time - time % " + len + ")";
  std::string sql = "SELECT policy_domain, " + begin + " AS b, " + begin + " + " + len +
                    " AS e FROM evaluations WHERE time >= ? AND " + begin + " + " + len +
                    " <= ? GROUP BY policy_domain, b, e ORDER BY b, policy_domain";
  return with_conn([&](SqlConn& c) {
    std::int64_t cutoff = now - grace;
    auto rows = c.query(sql, {since, cutoff});
    std::set<std::tuple<std::string, std::int64_t, std::int64_t>> done;
    for (auto& r : c.query("SELECT policy_domain, period_begin, period_end FROM report_periods "
                           "WHERE period_end >= ?",
                           {since}))
      done.emplace(*r[0], std::stoll(*r[1]), std::stoll(*r[2]));
    std::vector<Period> out;
    for (auto& r : rows) {
      Period p{*r[0], std::stoll(*r[1]), std::stoll(*r[2])};
      if (!done.count({p.policy_domain, p.begin, p.end})) out.push_back(std::move(p));
    }
    return out;
  });
}

std::vector<Evaluation> SqlStore::evaluations(const Period& p, ReportFormat f) {
  std::string sql = "SELECT " + std::string(kColumns) +
                    " FROM evaluations WHERE policy_domain = ? AND time >= ? AND time < ?";
  if (f == ReportFormat::Rfc7489) sql += " AND ri_interval = ?";
  sql += " ORDER BY time, id";
  std::vector<SqlValue> params = {p.policy_domain, p.begin, p.end};
  if (f == ReportFormat::Rfc7489) params.emplace_back(p.end - p.begin);
  return with_conn([&](SqlConn& c) {
    std::vector<Evaluation> out;
    for (auto& r : c.query(sql, params)) out.push_back(from_row(r));
    return out;
  });
}

SendState SqlStore::send_state(const Period& p, const std::string& destination) {
  return with_conn([&](SqlConn& c) {
    auto rows = c.query("SELECT state FROM report_sends WHERE " + std::string(kKeyWhere),
                        key(p, destination));
    if (rows.empty()) return SendState::None;
    const std::string& s = rows[0][0].value_or("");
    for (SendState st : {SendState::Sent, SendState::Failed, SendState::Refused, SendState::TooBig})
      if (s == send_state_name(st)) return st;
    return SendState::Claimed;
  });
}

bool SqlStore::claim(const Period& p, const std::string& destination, const std::string& owner,
                     std::int64_t now, std::int64_t lease) {
  // One statement, atomic in both engines: insert a claim, or take over a failed
  // send or a claim whose lease ran out; sent, refused and too_big rows are never touched.
  static const std::string sql =
      "INSERT INTO report_sends (policy_domain, period_begin, period_end, destination, state, "
      "owner, claimed_at, sent_at, report_id, detail) VALUES (?, ?, ?, ?, 'claimed', ?, ?, 0, '', "
      "'') ON CONFLICT (policy_domain, period_begin, period_end, destination) DO UPDATE SET "
      "state = 'claimed', owner = excluded.owner, claimed_at = excluded.claimed_at WHERE "
      "report_sends.state = 'failed' OR (report_sends.state = 'claimed' AND "
      "report_sends.claimed_at < ?) RETURNING owner";
  return with_conn([&](SqlConn& c) {
    auto params = key(p, destination);
    params.emplace_back(owner);
    params.emplace_back(now);
    params.emplace_back(now - lease);
    auto rows = c.query(sql, params);
    return !rows.empty() && rows[0][0] == owner;
  });
}

bool SqlStore::mark_sent(const Period& p, const std::string& destination, const std::string& owner,
                         const std::string& report_id, std::int64_t now) {
  return with_conn([&](SqlConn& c) {
    std::vector<SqlValue> params = {now, report_id};
    for (auto& v : key(p, destination)) params.push_back(v);
    params.emplace_back(owner);
    c.query("UPDATE report_sends SET state = 'sent', sent_at = ?, report_id = ? WHERE " +
                std::string(kKeyWhere) + " AND owner = ? AND state = 'claimed'",
            params);
    return c.changes() == 1;
  });
}

bool SqlStore::mark_skipped(const Period& p, const std::string& destination,
                            const std::string& owner, SendState final, const std::string& why) {
  if (final != SendState::Refused && final != SendState::TooBig)
    throw std::logic_error("mark_skipped: not a final skip state");
  return with_conn([&](SqlConn& c) {
    std::vector<SqlValue> params = {std::string(send_state_name(final)), why};
    for (auto& v : key(p, destination)) params.push_back(v);
    params.emplace_back(owner);
    c.query("UPDATE report_sends SET state = ?, detail = ? WHERE " + std::string(kKeyWhere) +
                " AND owner = ? AND state = 'claimed'",
            params);
    return c.changes() == 1;
  });
}

void SqlStore::mark_failed(const Period& p, const std::string& destination,
                           const std::string& owner, const std::string& error) {
  with_conn([&](SqlConn& c) {
    std::vector<SqlValue> params = {error};
    for (auto& v : key(p, destination)) params.push_back(v);
    params.emplace_back(owner);
    c.query(
        "UPDATE report_sends SET state = 'failed', failures = failures + 1, detail = ? "
        "WHERE " +
            std::string(kKeyWhere) + " AND owner = ? AND state = 'claimed'",
        params);
  });
}

void SqlStore::mark_complete(const Period& p, std::int64_t now) {
  with_conn([&](SqlConn& c) {
    c.query(
        "INSERT INTO report_periods (policy_domain, period_begin, period_end, completed_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (policy_domain, period_begin, period_end) DO NOTHING",
        {p.policy_domain, p.begin, p.end, now});
  });
}

PurgeCounts SqlStore::purge(std::int64_t before) {
  return with_conn([&](SqlConn& c) {
    PurgeCounts n;
    c.query("DELETE FROM evaluations WHERE time < ?", {before});
    n.evaluations = c.changes();
    c.query("DELETE FROM messages WHERE time < ?", {before});
    c.query("DELETE FROM report_sends WHERE period_end < ?", {before});
    n.sends = c.changes();
    c.query("DELETE FROM report_periods WHERE period_end < ?", {before});
    return n;
  });
}

}  // namespace alignd
