// How report mail leaves: a Mailer; the real one pipes the message into
// `send_command` (sendmail -t -oi by default, so the MTA queues, retries and
// signs it) and trusts only a zero exit status.
#pragma once
#include <string>

namespace alignd {

class Mailer {
 public:
  virtual ~Mailer() = default;
  // True when the message was accepted; else `error` says why.
  virtual bool send(const std::string& message, std::string& error) = 0;
};

class CommandMailer : public Mailer {
 public:
  // `command` runs under /bin/sh -c; the message arrives on its stdin.
  // A command still running after `timeout_s` is killed and counts as failed.
  explicit CommandMailer(std::string command, int timeout_s = 300);
  bool send(const std::string& message, std::string& error) override;

 private:
  std::string command_;
  int timeout_s_;
};

}  // namespace alignd
