// Session: one SMTP connection's state machine. It takes MTA events (connect,
// HELO, MAIL FROM, ..., end of message) and returns actions; it never calls
// libmilter, so the milter (callbacks.cc), `alignd eval`, the tests and the
// benchmark all drive exactly this code. One message's path reads top to
// bottom in on_eom().
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/spf_checker.h"
#include "core/evidence.h"
#include "core/fcrdns.h"
#include "milter/actions.h"
#include "milter/runtime.h"

namespace alignd {

struct ConnectionContext {
  std::string client_ip;   // "" when the MTA gave none (local submission)
  std::string client_ptr;  // MTA's name for the client
  std::string helo;
  bool trusted = false;
  std::optional<ClientNames> names;  // FCrDNS of client_ip, when a rule needed it
};

struct MessageContext;  // per message; defined in session.cc

class Session {
 public:
  explicit Session(const RuntimeHolder& runtimes);
  ~Session();

  StageReply on_connect(std::string_view hostname, std::string_view ip);
  StageReply on_helo(std::string_view helo);
  // auth_user: the {auth_authen} macro ("" = not authenticated); queue_id: {i} if known.
  StageReply on_mail_from(std::string_view addr, std::string_view auth_user,
                          std::string_view queue_id);
  StageReply on_rcpt(std::string_view addr);
  StageReply on_header(std::string_view name, std::string_view value);
  StageReply on_eoh();
  StageReply on_body(std::string_view chunk);
  EomActions on_eom(std::string_view queue_id);
  void on_abort();  // RSET or aborted transaction: forget the message, keep the connection

  const ConnectionContext& connection() const { return conn_; }
  // The evidence of the last finished message (for eval --json and tests).
  const Evidence& last_evidence() const { return last_evidence_; }

 private:
  std::shared_ptr<const Runtime> connection_runtime() const;
  void check_spf();
  void verify_client_name();
  void evaluate_dmarc_for_message();

  const RuntimeHolder& runtimes_;
  ConnectionContext conn_;
  std::unique_ptr<MessageContext> msg_;
  std::unique_ptr<SpfChecker> spf_;       // per connection, resolver set per message
  std::optional<SpfResult> helo_spf_;     // HELO check, valid until the next HELO
  Evidence last_evidence_;
};

// Strips angle brackets and ESMTP decorations from a MAIL FROM / RCPT TO argument.
std::string envelope_address(std::string_view arg);

}  // namespace alignd
