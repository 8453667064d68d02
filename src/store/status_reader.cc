// StatusReader over a SqlConn (SQLite or PostgreSQL, same SQL); see status_reader.h.
// Connects lazily and reconnects after an error, like SqlStore.
#include "store/status_reader.h"

#include <functional>
#include <map>

#include "core/text.h"
#include "store/codec.h"
#include "store/sql_conn.h"

namespace alignd {
namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t num(const std::optional<std::string>& v) {
  return v ? std::stoll(*v) : 0;
}

class SqlStatusReader : public StatusReader {
 public:
  explicit SqlStatusReader(std::function<std::unique_ptr<SqlConn>()> connect)
      : connect_(std::move(connect)) {}

  std::vector<DomainDay> pass_rates(std::int64_t since) override {
    return with_conn([&](SqlConn& c) {
      std::vector<DomainDay> out;
      for (auto& r : c.query("SELECT header_from, time - time % 86400 AS d, COUNT(*), "
                             "SUM(CASE WHEN dmarc_result = 'pass' THEN 1 ELSE 0 END) "
                             "FROM evaluations WHERE time >= ? GROUP BY header_from, d "
                             "ORDER BY header_from, d",
                             {since}))
        out.push_back({r[0].value_or(""), num(r[1]), num(r[2]), num(r[3])});
      return out;
    });
  }

  std::vector<FailingSource> failing_sources(std::int64_t since, int per_domain) override {
    return with_conn([&](SqlConn& c) {
      std::vector<FailingSource> out;
      std::map<std::string, int> taken;
      for (auto& r : c.query("SELECT header_from, source_ip, COUNT(*) AS n, MAX(time) "
                             "FROM evaluations WHERE time >= ? AND dmarc_result <> 'pass' "
                             "GROUP BY header_from, source_ip ORDER BY header_from, n DESC, "
                             "source_ip",
                             {since})) {
        std::string d = r[0].value_or("");
        if (taken[d]++ >= per_domain) continue;
        out.push_back({d, r[1].value_or(""), num(r[2]), num(r[3])});
      }
      return out;
    });
  }

  std::vector<Evaluation> latest(int n) override {
    return with_conn([&](SqlConn& c) {
      std::vector<Evaluation> out;
      for (auto& r : c.query("SELECT time, source_ip, envelope_from, header_from, policy_domain, "
                             "spf_domain, spf_result, spf_human, dkim, spf_aligned, dkim_aligned, "
                             "dmarc_result, disposition, requested, overrides, p "
                             "FROM evaluations ORDER BY time DESC, id DESC LIMIT ?",
                             {std::int64_t{n}})) {
        Evaluation e;
        e.time = num(r[0]);
        e.source_ip = r[1].value_or("");
        e.envelope_from = r[2].value_or("");
        e.header_from = r[3].value_or("");
        e.policy_domain = r[4].value_or("");
        e.spf_domain = r[5].value_or("");
        e.spf_result = r[6].value_or("");
        e.spf_human = r[7].value_or("");
        e.dkim = decode_dkim(r[8].value_or(""));
        e.spf_aligned = num(r[9]) != 0;
        e.dkim_aligned = num(r[10]) != 0;
        e.dmarc_result = r[11].value_or("");
        e.disposition = r[12].value_or("");
        e.requested = r[13].value_or("");
        e.overrides = decode_overrides(r[14].value_or(""));
        e.policy.p = r[15].value_or("");
        out.push_back(std::move(e));
      }
      return out;
    });
  }

  // One statement (the page may show hundreds of periods): per period its
  // evaluations, its destinations by state and whether it is complete.
  std::vector<QueuedReport> report_queue(std::int64_t now, std::int64_t since) override {
    auto sends = [](const char* state) {
      return std::string("(SELECT COUNT(*) FROM report_sends s WHERE s.policy_domain = "
                         "e.policy_domain AND s.period_begin = e.b AND s.period_end = e.b + 86400 "
                         "AND s.state = '") +
             state + "')";
    };
    const std::string sql =
        "SELECT e.policy_domain, e.b, e.n, " + sends("sent") + ", " + sends("failed") + ", " +
        sends("refused") + ", " + sends("too_big") + ", " + sends("claimed") +
        ", CASE WHEN EXISTS (SELECT 1 FROM report_periods r WHERE r.policy_domain = "
        "e.policy_domain AND r.period_begin = e.b AND r.period_end = e.b + 86400) THEN 1 ELSE 0 "
        "END FROM (SELECT policy_domain, time - time % 86400 AS b, COUNT(*) AS n FROM evaluations "
        "WHERE time >= ? AND rua <> '' GROUP BY policy_domain, time - time % 86400) e "
        "ORDER BY e.b DESC, e.policy_domain LIMIT 1000";
    return with_conn([&](SqlConn& c) {
      std::vector<QueuedReport> out;
      for (auto& r : c.query(sql, {since})) {
        QueuedReport q;
        q.policy_domain = r[0].value_or("");
        q.begin = num(r[1]);
        q.end = q.begin + kDay;
        q.evaluations = num(r[2]);
        q.sent = num(r[3]);
        q.failed = num(r[4]);
        q.refused = num(r[5]);
        q.too_big = num(r[6]);
        q.claimed = num(r[7]);
        q.state = num(r[8]) ? "complete" : q.end > now ? "collecting" : "due";
        out.push_back(std::move(q));
      }
      return out;
    });
  }

  std::int64_t reports_due(std::int64_t now, std::int64_t since) override {
    return with_conn([&](SqlConn& c) {
      auto rows = c.query(
          "SELECT COUNT(*) FROM (SELECT policy_domain, time - time % 86400 AS b FROM evaluations "
          "WHERE time >= ? AND time < ? AND rua <> '' GROUP BY policy_domain, time - time % 86400) "
          "e WHERE NOT EXISTS (SELECT 1 FROM report_periods r WHERE r.policy_domain = "
          "e.policy_domain AND r.period_begin = e.b AND r.period_end = e.b + 86400)",
          {since, now - now % kDay});
      return rows.empty() ? 0 : num(rows[0][0]);
    });
  }

  ReportSendTotals report_sends() override {
    return with_conn([&](SqlConn& c) {
      ReportSendTotals t;
      for (auto& r :
           c.query("SELECT state, COUNT(*), SUM(failures) FROM report_sends GROUP BY state")) {
        const std::string st = r[0].value_or("");
        const std::int64_t n = num(r[1]);
        if (st == "sent")
          t.sent = n;
        else if (st == "failed")
          t.failed = n;
        else if (st == "refused")
          t.refused = n;
        else if (st == "too_big")
          t.too_big = n;
        else if (st == "claimed")
          t.claimed = n;
        t.failed_attempts += num(r[2]);
      }
      return t;
    });
  }

 private:
  template <class F>
  auto with_conn(F&& f) -> decltype(f(std::declval<SqlConn&>())) {
    try {
      if (!conn_) {
        conn_ = connect_();
        migrate(*conn_);
      }
      return f(*conn_);
    } catch (...) {
      conn_.reset();
      throw;
    }
  }

  std::function<std::unique_ptr<SqlConn>()> connect_;
  std::unique_ptr<SqlConn> conn_;
};

}  // namespace

std::unique_ptr<StatusReader> open_status_reader(const std::string& url) {
  auto t = sql_target(url);  // the same URLs as open_store()
  if (!t) return nullptr;
  return std::make_unique<SqlStatusReader>(std::move(t->connect));
}

}  // namespace alignd
