// fork/exec of /bin/sh -c send_command, message on a pipe, exit status checked.
// SIGPIPE is ignored around the write so a command that exits early is a failed
// send, not a dead process.
#include "report/mailer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace alignd {

namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  void reset() {
    if (fd >= 0) close(fd);
    fd = -1;
  }
};

}  // namespace

CommandMailer::CommandMailer(std::string command, int timeout_s)
    : command_(std::move(command)), timeout_s_(timeout_s) {}

bool CommandMailer::send(const std::string& message, std::string& error) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  Fd rd{p[0]}, wr{p[1]};
  pid_t pid = fork();
  if (pid < 0) {
    error = std::string("fork: ") + std::strerror(errno);
    return false;
  }
  if (pid == 0) {
    setpgid(0, 0);  // its own process group: a timeout kills the whole pipeline
    dup2(rd.fd, 0);
    signal(SIGPIPE, SIG_DFL);
    execl("/bin/sh", "sh", "-c", command_.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, whichever runs first
  rd.reset();
  struct sigaction ign {
  }, old{};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s_);
  bool timed_out = false;
  size_t off = 0;
  while (off < message.size()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    pollfd pfd{wr.fd, POLLOUT, 0};
    if (left <= 0 || poll(&pfd, 1, static_cast<int>(left)) == 0) {
      timed_out = true;
      break;
    }
    ssize_t n = write(wr.fd, message.data() + off, message.size() - off);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      break;  // EPIPE: the command stopped reading; its status tells why
    }
    off += static_cast<size_t>(n);
  }
  wr.reset();
  sigaction(SIGPIPE, &old, nullptr);

  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      error = std::string("waitpid: ") + std::strerror(errno);
      return false;
    }
    if (timed_out || std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    usleep(10000);
  }
  if (timed_out) {
    error = "send_command timed out after " + std::to_string(timeout_s_) + " s";
    return false;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    if (off < message.size()) {
      error = "send_command exited before reading the whole message";
      return false;
    }
    return true;
  }
  error = WIFEXITED(status)
              ? "send_command exited with status " + std::to_string(WEXITSTATUS(status))
              : "send_command killed by signal " + std::to_string(WTERMSIG(status));
  return false;
}

}  // namespace alignd
