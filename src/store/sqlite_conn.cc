// SqlConn over sqlite3: WAL journal, busy timeout, a statement cache. Creates the
// database's directory (mode 0750) when missing. Leaves out connection pooling.
#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "store/sql_conn.h"

namespace alignd {

namespace {

void make_dirs(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return;
  std::string dir = path.substr(0, slash);
  struct stat st {};
  if (stat(dir.c_str(), &st) == 0) return;
  make_dirs(dir);
  if (mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST)
    throw StoreError("cannot create " + dir + ": " + std::strerror(errno));
}

class SqliteConn : public SqlConn {
 public:
  explicit SqliteConn(const std::string& path) : path_(path) {
    make_dirs(path);
    int rc =
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError("sqlite " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    // WAL: readers (report send) never block the writer (the milter's queue).
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL");
  }
  ~SqliteConn() override {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
    sqlite3_close(db_);
  }
  SqliteConn(const SqliteConn&) = delete;
  SqliteConn& operator=(const SqliteConn&) = delete;

  Dialect dialect() const override { return Dialect::Sqlite; }

  void exec(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "error";
      sqlite3_free(err);
      throw StoreError("sqlite " + path_ + ": " + msg);
    }
  }

  std::vector<SqlRow> query(const std::string& sql, const std::vector<SqlValue>& params) override {
    sqlite3_stmt* st = prepare(sql);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      if (auto* n = std::get_if<std::int64_t>(&params[i])) {
        sqlite3_bind_int64(st, idx, *n);
      } else if (auto* s = std::get_if<std::string>(&params[i])) {
        sqlite3_bind_text(st, idx, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(st, idx);
      }
    }
    std::vector<SqlRow> rows;
    for (;;) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        std::string msg = sqlite3_errmsg(db_);
        sqlite3_reset(st);
        throw StoreError("sqlite " + path_ + ": " + msg);
      }
      SqlRow row;
      int n = sqlite3_column_count(st);
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else {
          const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
          row.emplace_back(std::string(t, static_cast<size_t>(sqlite3_column_bytes(st, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    sqlite3_reset(st);
    return rows;
  }

  std::int64_t changes() override { return sqlite3_changes(db_); }
  void begin() override { exec("BEGIN IMMEDIATE"); }

 private:
  sqlite3_stmt* prepare(const std::string& sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw StoreError("sqlite " + path_ + ": " + sqlite3_errmsg(db_));
    cache_.emplace(sql, st);
    return st;
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

std::unique_ptr<SqlConn> connect_sqlite(const std::string& path) {
  return std::make_unique<SqliteConn>(path);
}

}  // namespace alignd
