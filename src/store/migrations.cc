// Versioned schema (docs/reports.md lists the tables). Each migration runs once,
// in order, inside a transaction that also bumps schema_version; concurrent
// starters serialise on BEGIN IMMEDIATE (SQLite) or an advisory lock (PostgreSQL).
#include <string>
#include <vector>

#include "store/sql_conn.h"

namespace alignd {

namespace {

struct Migration {
  int version;
  std::string (*sql)(Dialect);
};

// The surrogate key of a table, in each dialect.
std::string id_column(Dialect d) {
  return d == Dialect::Sqlite ? "id INTEGER PRIMARY KEY AUTOINCREMENT" : "id BIGSERIAL PRIMARY KEY";
}

std::string v1(Dialect d) {
  const std::string id = id_column(d);
  return R"(
CREATE TABLE evaluations (
  )" + id +
         R"(,
  time BIGINT NOT NULL,
  policy_domain TEXT NOT NULL,
  ri_interval BIGINT NOT NULL,
  source_ip TEXT NOT NULL,
  envelope_from TEXT NOT NULL,
  envelope_to TEXT NOT NULL,
  header_from TEXT NOT NULL,
  organizational_domain TEXT NOT NULL,
  record TEXT NOT NULL,
  p TEXT NOT NULL, sp TEXT NOT NULL, np TEXT NOT NULL,
  adkim TEXT NOT NULL, aspf TEXT NOT NULL, testing TEXT NOT NULL, psd TEXT NOT NULL,
  pct TEXT NOT NULL, fo TEXT NOT NULL, rua TEXT NOT NULL, ri BIGINT NOT NULL,
  discovery TEXT NOT NULL, record_errors TEXT NOT NULL,
  spf_domain TEXT NOT NULL, spf_scope TEXT NOT NULL, spf_result TEXT NOT NULL,
  spf_human TEXT NOT NULL,
  dkim TEXT NOT NULL,
  spf_aligned INTEGER NOT NULL, dkim_aligned INTEGER NOT NULL,
  dmarc_result TEXT NOT NULL, disposition TEXT NOT NULL, requested TEXT NOT NULL,
  overrides TEXT NOT NULL
);
CREATE INDEX evaluations_domain_time ON evaluations (policy_domain, time);
CREATE INDEX evaluations_time ON evaluations (time);
CREATE TABLE report_sends (
  policy_domain TEXT NOT NULL,
  period_begin BIGINT NOT NULL,
  period_end BIGINT NOT NULL,
  destination TEXT NOT NULL,
  state TEXT NOT NULL,
  owner TEXT NOT NULL,
  claimed_at BIGINT NOT NULL,
  sent_at BIGINT NOT NULL,
  report_id TEXT NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (policy_domain, period_begin, period_end, destination)
);
CREATE TABLE report_periods (
  policy_domain TEXT NOT NULL,
  period_begin BIGINT NOT NULL,
  period_end BIGINT NOT NULL,
  completed_at BIGINT NOT NULL,
  PRIMARY KEY (policy_domain, period_begin, period_end)
);
)";
}

// Version 2: every decided message for `alignd simulate` (core/simulate/record.h),
// one row each, apart from the report rows so the report queries stay as they were.
std::string v2(Dialect d) {
  const std::string id = id_column(d);
  return R"(
CREATE TABLE messages (
  )" + id +
         R"(,
  time BIGINT NOT NULL,
  queue_id TEXT NOT NULL,
  from_domain TEXT NOT NULL,
  source TEXT NOT NULL,
  action TEXT NOT NULL,
  rule TEXT NOT NULL,
  evidence TEXT NOT NULL
);
CREATE INDEX messages_time ON messages (time);
)";
}

// Version 3: the ARC chain of each evaluation (core/report/evaluation_arc.h, RFC 8617):
// status, failure reason, sealers (i, d=, s= per instance, the list encoding of
// codec.h), oldest-pass, the trusted instance, and whether the override rested on
// it. Rows written before keep the defaults: "" = not recorded.
std::string v3(Dialect) {
  return R"(
ALTER TABLE evaluations ADD COLUMN arc_result TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluations ADD COLUMN arc_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluations ADD COLUMN arc_sets TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluations ADD COLUMN arc_oldest_pass BIGINT NOT NULL DEFAULT -1;
ALTER TABLE evaluations ADD COLUMN arc_trusted_instance BIGINT NOT NULL DEFAULT 0;
ALTER TABLE evaluations ADD COLUMN arc_override INTEGER NOT NULL DEFAULT 0;
)";
}

// Version 4: each delivery outcome apart (metrics, status page). "skipped" splits
// into "refused" (RFC 9990 §4 external destination check) and "too_big" (RFC 7489
// §7.2.1 size limit), told apart by the detail the runner wrote; a failed send now
// leaves state 'failed' (retried by the next run) instead of deleting the claim, and
// `failures` counts the failed attempts of the row.
std::string v4(Dialect) {
  return R"(
ALTER TABLE report_sends ADD COLUMN failures BIGINT NOT NULL DEFAULT 0;
UPDATE report_sends SET state = 'refused'
  WHERE state = 'skipped' AND detail LIKE 'external destination not authorized%';
UPDATE report_sends SET state = 'too_big' WHERE state = 'skipped';
)";
}

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> m = {{1, v1}, {2, v2}, {3, v3}, {4, v4}};
  return m;
}

}  // namespace

int schema_version() {
  return migrations().back().version;
}

void migrate(SqlConn& c) {
  const bool pg = c.dialect() == Dialect::Postgres;
  // PostgreSQL: a session lock around everything, so nodes starting together do
  // not race on CREATE TABLE. SQLite: BEGIN IMMEDIATE below serialises them.
  if (pg) c.exec("SELECT pg_advisory_lock(7489990)");
  try {
    c.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    c.begin();
    try {
      auto rows = c.query("SELECT MAX(version) FROM schema_version");
      int have = rows.empty() || !rows[0][0] ? 0 : std::stoi(*rows[0][0]);
      if (have > schema_version())
        throw StoreError("database schema version " + std::to_string(have) +
                         " is newer than this alignd (" + std::to_string(schema_version()) + ")");
      for (const auto& m : migrations()) {
        if (m.version <= have) continue;
        c.exec(m.sql(c.dialect()));
        c.query("INSERT INTO schema_version (version) VALUES (?)", {std::int64_t{m.version}});
      }
      c.exec("COMMIT");
    } catch (...) {
      try {
        c.exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  } catch (...) {
    if (pg) {
      try {
        c.exec("SELECT pg_advisory_unlock(7489990)");
      } catch (...) {
      }
    }
    throw;
  }
  if (pg) c.exec("SELECT pg_advisory_unlock(7489990)");
}

}  // namespace alignd
