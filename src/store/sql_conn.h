// The little SQL the stores need, behind one interface over sqlite3 and libpq:
// statements with "?" placeholders and typed parameters, rows as optional text.
// Internal to src/store. Errors throw StoreError.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store/store.h"

namespace alignd {

enum class Dialect { Sqlite, Postgres };

using SqlValue = std::variant<std::nullptr_t, std::int64_t, std::string>;
using SqlRow = std::vector<std::optional<std::string>>;

class SqlConn {
 public:
  virtual ~SqlConn() = default;
  virtual Dialect dialect() const = 0;
  // Statements without parameters, several separated by ";" allowed.
  virtual void exec(const std::string& sql) = 0;
  // One statement; returns its rows (none for most DML).
  virtual std::vector<SqlRow> query(const std::string& sql,
                                    const std::vector<SqlValue>& params = {}) = 0;
  // Rows changed by the last query().
  virtual std::int64_t changes() = 0;
  // Starts a write transaction that serialises writers (SQLite: BEGIN IMMEDIATE).
  virtual void begin() = 0;
};

std::unique_ptr<SqlConn> connect_sqlite(const std::string& path);  // creates the directory
std::unique_ptr<SqlConn> connect_postgres(const std::string& conninfo);

// A [store] url read once (open_store.cc): how to connect, and the url to show in
// logs (password redacted). nullopt for "" / "none"; throws StoreError otherwise.
struct SqlTarget {
  std::function<std::unique_ptr<SqlConn>()> connect;
  std::string display;
};
std::optional<SqlTarget> sql_target(const std::string& url);

// The schema, versioned: brings the database to the newest version (idempotent,
// safe when several processes start at once).
void migrate(SqlConn& c);
int schema_version();  // newest version this build knows

}  // namespace alignd
