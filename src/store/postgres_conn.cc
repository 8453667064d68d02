// SqlConn over libpq: "?" placeholders rewritten to $n, int8/text parameters,
// notices silenced. One connection; the store reconnects after a failure.
#include <libpq-fe.h>

#include <map>

#include "store/sql_conn.h"

namespace alignd {

namespace {

constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;

struct PgResult {
  PGresult* r;
  explicit PgResult(PGresult* p) : r(p) {}
  ~PgResult() { PQclear(r); }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
};

std::string numbered(const std::string& sql) {
  std::string out;
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

class PgConn : public SqlConn {
 public:
  explicit PgConn(const std::string& conninfo) {
    conn_ = PQconnectdb(conninfo.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      throw StoreError("postgresql: " + msg);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~PgConn() override { PQfinish(conn_); }
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  Dialect dialect() const override { return Dialect::Postgres; }

  void exec(const std::string& sql) override {
    PgResult r(PQexec(conn_, sql.c_str()));
    check(r.r);
  }

  std::vector<SqlRow> query(const std::string& sql, const std::vector<SqlValue>& params) override {
    auto it = numbered_.find(sql);
    if (it == numbered_.end()) it = numbered_.emplace(sql, numbered(sql)).first;
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<Oid> types(params.size(), kTextOid);
    for (size_t i = 0; i < params.size(); ++i) {
      if (auto* n = std::get_if<std::int64_t>(&params[i])) {
        text[i] = std::to_string(*n);
        types[i] = kInt8Oid;
        values[i] = text[i].c_str();
      } else if (auto* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    PgResult r(PQexecParams(conn_, it->second.c_str(), static_cast<int>(params.size()),
                            types.data(), values.data(), nullptr, nullptr, 0));
    check(r.r);
    const char* tuples = PQcmdTuples(r.r);
    changes_ = tuples && *tuples ? std::stoll(tuples) : 0;
    std::vector<SqlRow> rows;
    int nr = PQntuples(r.r), nc = PQnfields(r.r);
    for (int i = 0; i < nr; ++i) {
      SqlRow row;
      for (int c = 0; c < nc; ++c) {
        if (PQgetisnull(r.r, i, c))
          row.emplace_back(std::nullopt);
        else
          row.emplace_back(
              std::string(PQgetvalue(r.r, i, c), static_cast<size_t>(PQgetlength(r.r, i, c))));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  std::int64_t changes() override { return changes_; }
  void begin() override { exec("BEGIN"); }

 private:
  void check(PGresult* r) {
    auto st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
    std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw StoreError("postgresql: " + msg);
  }

  PGconn* conn_ = nullptr;
  std::map<std::string, std::string> numbered_;
  std::int64_t changes_ = 0;
};

}  // namespace

std::unique_ptr<SqlConn> connect_postgres(const std::string& conninfo) {
  return std::make_unique<PgConn>(conninfo);
}

}  // namespace alignd
