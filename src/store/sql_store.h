// The Store over a SqlConn (SQLite or PostgreSQL: same SQL, "?" placeholders).
// Connects lazily and reconnects after any error, so a database that was down
// or a lost connection costs failed calls, never a stuck process.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "store/sql_conn.h"
#include "store/store.h"

namespace alignd {

class SqlStore : public Store {
 public:
  using Connect = std::function<std::unique_ptr<SqlConn>()>;
  SqlStore(Connect connect, std::string description);

  void ping() override;
  void append(const std::vector<Evaluation>& rows) override;
  void append_messages(const std::vector<MessageRecord>& rows) override;
  std::vector<MessageRecord> messages(std::int64_t since, std::int64_t until,
                                      const std::string& from_domain) override;
  std::vector<Period> due_periods(ReportFormat f, std::int64_t now, std::int64_t since,
                                  std::int64_t grace) override;
  std::vector<Evaluation> evaluations(const Period& p, ReportFormat f) override;
  SendState send_state(const Period& p, const std::string& destination) override;
  bool claim(const Period& p, const std::string& destination, const std::string& owner,
             std::int64_t now, std::int64_t lease) override;
  bool mark_sent(const Period& p, const std::string& destination, const std::string& owner,
                 const std::string& report_id, std::int64_t now) override;
  bool mark_skipped(const Period& p, const std::string& destination, const std::string& owner,
                    SendState final, const std::string& why) override;
  void mark_failed(const Period& p, const std::string& destination, const std::string& owner,
                   const std::string& error) override;
  void mark_complete(const Period& p, std::int64_t now) override;
  PurgeCounts purge(std::int64_t before) override;
  std::string describe() const override { return description_; }

 private:
  SqlConn& conn();
  // Runs `f` on the connection; on error drops the connection and rethrows.
  template <class F>
  auto with_conn(F&& f) -> decltype(f(std::declval<SqlConn&>()));

  Connect connect_;
  std::string description_;
  std::unique_ptr<SqlConn> conn_;
};

}  // namespace alignd
