// milter_load: a load driver that speaks the milter protocol (version 6) to one
// milter, or to a chain of milters in order, the way Postfix does: per message
// CONNECT/HELO (once per connection), MAIL, RCPT, DATA to each milter, then at
// end of data each milter in turn gets the headers (with the edits of the milters
// before it applied), EOH, BODY chunks and EOM. It honours the SMFIP_NO*/NR_*
// flags each milter negotiated, counts the EOM outcomes and header edits, and
// reports messages/s and per-message latency percentiles. --actions offers fewer
// action flags at OPTNEG than Postfix's 0x1FF, so a test can make the milter's
// header edits fail (libmilter's smfi_*header return MI_FAILURE when not granted).
// Leaves out: SMTP itself, body replacement, recipient edits (counted, not applied),
// and any non-loopback address (inet sockets must be 127.0.0.0/8).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

// ---- protocol constants (libmilter/mfdef.h) ---------------------------------
constexpr uint32_t kVersion = 6;
constexpr uint32_t kAllActions = 0x1FF;      // SMFI_CURR_ACTS
constexpr uint32_t kAllProtocol = 0x1FFFFF;  // SMFI_CURR_PROT: everything we understand
constexpr uint32_t NOCONNECT = 0x1, NOHELO = 0x2, NOMAIL = 0x4, NORCPT = 0x8, NOBODY = 0x10,
                   NOHDRS = 0x20, NOEOH = 0x40, NR_HDR = 0x80, NODATA = 0x200, NR_CONN = 0x1000,
                   NR_HELO = 0x2000, NR_MAIL = 0x4000, NR_RCPT = 0x8000, NR_DATA = 0x10000,
                   NR_EOH = 0x40000, NR_BODY = 0x80000, HDR_LEADSPC = 0x100000;
constexpr size_t kChunk = 65535;  // MILTER_CHUNK_SIZE

using Clock = std::chrono::steady_clock;

struct Header {
  std::string name;
  std::string value;  // the raw text after the colon (leading space kept), folds as "\n"
};

struct Message {
  std::string file, client_ip, helo, mail_from, rcpt;
  std::vector<Header> headers;
  std::string body;  // CRLF line ends, as Postfix sends it
};

struct Options {
  std::vector<std::string> sockets;
  std::string manifest;
  int connections = 4;
  long messages = 1000;
  int per_conn = 5;
  double duration_s = 0;  // 0: no time bound
  int timeout_s = 60;
  std::vector<std::string> counts;  // substrings looked for in added/changed headers
  std::string label = "run";
  std::string log;  // one line per message: index, file, outcome, the fields added and removed
  uint32_t actions = kAllActions;  // SMFIF_* action flags offered at OPTNEG
};

// ---- corpus -----------------------------------------------------------------
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Splits a message file (LF or CRLF) into header fields and a CRLF body.
void parse_message(const std::string& raw, Message& m) {
  std::string s;
  s.reserve(raw.size() + raw.size() / 40);
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) s += '\r';
    s += raw[i];
  }
  size_t end = s.find("\r\n\r\n");
  std::string head = s.substr(0, end == std::string::npos ? s.size() : end + 2);
  m.body = end == std::string::npos ? "" : s.substr(end + 4);
  size_t pos = 0;
  while (pos < head.size()) {
    size_t eol = head.find("\r\n", pos);
    if (eol == std::string::npos) eol = head.size();
    std::string line = head.substr(pos, eol - pos);
    pos = eol + 2;
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !m.headers.empty()) {
      m.headers.back().value += "\n" + line;  // MTAs hand folded values over with bare LF
    } else if (size_t colon = line.find(':'); colon != std::string::npos) {
      m.headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
    }
  }
}

// Manifest: one message a line, "FILE CLIENT_IP HELO MAIL_FROM RCPT"; "<>" = null sender.
std::vector<Message> load_corpus(const std::string& manifest) {
  std::vector<Message> out;
  std::ifstream in(manifest);
  if (!in) throw std::runtime_error("cannot read manifest " + manifest);
  std::string dir = manifest.substr(0, manifest.rfind('/') + 1);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    Message m;
    if (!(ls >> m.file >> m.client_ip >> m.helo >> m.mail_from >> m.rcpt))
      throw std::runtime_error("bad manifest line: " + line);
    if (m.mail_from == "<>") m.mail_from.clear();
    parse_message(read_file(m.file[0] == '/' ? m.file : dir + m.file), m);
    out.push_back(std::move(m));
  }
  if (out.empty()) throw std::runtime_error("empty manifest " + manifest);
  return out;
}

// ---- one milter connection --------------------------------------------------
struct Packet {
  char cmd = 0;
  std::string data;
};

uint32_t get32(const std::string& s, size_t at) {
  uint32_t v;
  std::memcpy(&v, s.data() + at, 4);
  return ntohl(v);
}
void put32(std::string& s, uint32_t v) {
  v = htonl(v);
  s.append(reinterpret_cast<const char*>(&v), 4);
}
std::string z(std::initializer_list<std::string> parts) {  // NUL-terminated strings
  std::string s;
  for (const auto& p : parts) s += p, s += '\0';
  return s;
}

class MilterConn {
 public:
  MilterConn(const std::string& spec, int timeout_s, uint32_t actions) {
    if (spec.rfind("inet:", 0) == 0) {
      size_t at = spec.find('@');
      sockaddr_in sa{};
      sa.sin_family = AF_INET;
      sa.sin_port = htons(static_cast<uint16_t>(std::stoi(spec.substr(5, at - 5))));
      std::string host = at == std::string::npos ? "127.0.0.1" : spec.substr(at + 1);
      if (inet_pton(AF_INET, host.c_str(), &sa.sin_addr) != 1 ||
          (ntohl(sa.sin_addr.s_addr) >> 24) != 127)
        throw std::runtime_error("inet sockets must be 127.0.0.0/8 addresses: " + spec);
      open(AF_INET, reinterpret_cast<sockaddr*>(&sa), sizeof sa, timeout_s);
    } else {
      std::string path = spec;
      for (const char* p : {"unix:", "local:"})
        if (path.rfind(p, 0) == 0) path = path.substr(std::strlen(p));
      sockaddr_un sa{};
      sa.sun_family = AF_UNIX;
      if (path.size() >= sizeof sa.sun_path) throw std::runtime_error("socket path too long");
      std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
      open(AF_UNIX, reinterpret_cast<sockaddr*>(&sa), sizeof sa, timeout_s);
    }
    std::string opt;
    put32(opt, kVersion), put32(opt, actions), put32(opt, kAllProtocol);
    send('O', opt);
    Packet p = recv();
    if (p.cmd != 'O' || p.data.size() < 12) throw std::runtime_error("bad OPTNEG reply");
    proto_ = get32(p.data, 8) & kAllProtocol;  // any macro lists after it are ignored
  }
  ~MilterConn() {
    if (fd_ >= 0) ::close(fd_);
  }
  MilterConn(const MilterConn&) = delete;
  MilterConn& operator=(const MilterConn&) = delete;

  bool has(uint32_t flag) const { return (proto_ & flag) != 0; }
  uint32_t proto() const { return proto_; }

  void send(char cmd, const std::string& data) {
    std::string buf;
    put32(buf, static_cast<uint32_t>(data.size() + 1));
    buf += cmd;
    buf += data;
    for (size_t off = 0; off < buf.size();) {
      ssize_t n = ::send(fd_, buf.data() + off, buf.size() - off, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error(std::string("send: ") + std::strerror(errno));
      off += static_cast<size_t>(n);
    }
  }

  Packet recv() {
    std::string len(4, '\0');
    read_exact(len.data(), 4);
    uint32_t n = get32(len, 0);
    if (n == 0 || n > (1u << 24)) throw std::runtime_error("bad packet length");
    Packet p;
    p.data.resize(n);
    read_exact(p.data.data(), n);
    p.cmd = p.data[0];
    p.data.erase(0, 1);
    return p;
  }

  // One stage: skipped when the milter asked not to get it (no_flag), no reply
  // awaited when it negotiated no reply (nr_flag). Returns the reply ('c' if none).
  char stage(char cmd, const std::string& data, uint32_t no_flag, uint32_t nr_flag) {
    if (no_flag && has(no_flag)) return 'c';
    send(cmd, data);
    if (nr_flag && has(nr_flag)) return 'c';
    for (;;) {
      Packet p = recv();
      if (p.cmd == 'p') continue;  // progress: keep waiting
      return reply_code(p);
    }
  }

  // SMFIR_REPLYCODE carries its own code: 4xx is a tempfail, 5xx a reject.
  static char reply_code(const Packet& p) {
    if (p.cmd != 'y') return p.cmd;
    return !p.data.empty() && p.data[0] == '4' ? 't' : 'r';
  }

 private:
  void open(int family, const sockaddr* sa, socklen_t len, int timeout_s) {
    fd_ = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    timeval tv{timeout_s, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::connect(fd_, sa, len) != 0)
      throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
  }
  void read_exact(char* p, size_t n) {
    while (n > 0) {
      ssize_t r = ::recv(fd_, p, n, 0);
      if (r <= 0)
        throw std::runtime_error(r == 0 ? "milter closed the connection"
                                        : std::string("recv: ") + std::strerror(errno));
      p += r, n -= static_cast<size_t>(r);
    }
  }
  int fd_ = -1;
  uint32_t proto_ = 0;
};

// ---- statistics -------------------------------------------------------------
struct Stats {
  long messages = 0, accept = 0, reject = 0, tempfail = 0, discard = 0, quarantine = 0;
  long addheader = 0, insheader = 0, chgheader = 0, errors = 0;
  std::vector<long> count_hits;
  std::vector<double> latency_ms;
  std::vector<double> eom_ms;  // end of message: from EOM sent to the final reply (whole chain)
  std::vector<uint32_t> proto;  // flags each milter of the chain negotiated
  void add(const Stats& o) {
    messages += o.messages, accept += o.accept, reject += o.reject, tempfail += o.tempfail;
    discard += o.discard, quarantine += o.quarantine, addheader += o.addheader;
    insheader += o.insheader, chgheader += o.chgheader, errors += o.errors;
    if (count_hits.size() < o.count_hits.size()) count_hits.resize(o.count_hits.size());
    for (size_t i = 0; i < o.count_hits.size(); ++i) count_hits[i] += o.count_hits[i];
    latency_ms.insert(latency_ms.end(), o.latency_ms.begin(), o.latency_ms.end());
    eom_ms.insert(eom_ms.end(), o.eom_ms.begin(), o.eom_ms.end());
    if (proto.empty()) proto = o.proto;
  }
};

// Final reply of one milter at one stage: 'c'/'a' go on, anything else ends the message.
bool is_final(char r) {
  return r == 'r' || r == 't' || r == 'd';
}

// The value as the milter wants it: without SMFIP_HDR_LEADSPC the MTA strips the
// leading blanks; with it, the milter gets (and gives) the text after the colon.
std::string value_for(const MilterConn& m, const std::string& raw) {
  if (m.has(HDR_LEADSPC)) return raw;
  size_t i = raw.find_first_not_of(" \t");
  return i == std::string::npos ? "" : raw.substr(i);
}
std::string value_from(const MilterConn& m, const std::string& v) {
  return m.has(HDR_LEADSPC) ? v : " " + v;
}

// ---- one worker: a chain of connections, several messages on each ------------
class Worker {
 public:
  Worker(const Options& o, const std::vector<Message>& corpus, std::atomic<long>& next,
         Clock::time_point deadline, FILE* log, std::mutex* log_mu)
      : o_(o), corpus_(corpus), next_(next), deadline_(deadline), log_(log), log_mu_(log_mu) {
    stats_.count_hits.resize(o.counts.size());
  }

  // Claims blocks of --per-conn messages; one connection (chain) carries the
  // messages of a block that share a client, as an MTA session would.
  void run() {
    std::vector<long> block;
    while (claim(block)) {
      for (size_t i = 0; i < block.size();) {
        try {
          auto t_conn = Clock::now();  // the first message's latency includes connecting
          std::vector<std::unique_ptr<MilterConn>> chain;
          for (const auto& s : o_.sockets)
            chain.push_back(std::make_unique<MilterConn>(s, o_.timeout_s, o_.actions));
          std::vector<bool> conn_done(chain.size(), false);  // accepted the whole connection
          if (stats_.proto.empty())
            for (const auto& m : chain) stats_.proto.push_back(m->proto());
          const Message& opener = message(block[i]);
          for (bool first = true; i < block.size(); ++i, first = false) {
            const Message& msg = message(block[i]);
            if (msg.client_ip != opener.client_ip || msg.helo != opener.helo) break;
            one_message(chain, conn_done, msg, first ? t_conn : Clock::now(), first, block[i]);
          }
          for (auto& m : chain) m->send('Q', "");
        } catch (const std::exception& e) {
          ++i;  // the message that failed
          if (++stats_.errors <= 3) std::fprintf(stderr, "milter_load: %s\n", e.what());
        }
      }
    }
  }
  const Stats& stats() const { return stats_; }

 private:
  const Message& message(long idx) const {
    return corpus_[static_cast<size_t>(idx) % corpus_.size()];
  }
  bool claim(std::vector<long>& block) {
    block.clear();
    if (o_.duration_s > 0 && Clock::now() >= deadline_) return false;
    long first = next_.fetch_add(o_.per_conn);
    for (long i = first; i < first + o_.per_conn && i < o_.messages; ++i) block.push_back(i);
    return !block.empty();
  }

  void one_message(std::vector<std::unique_ptr<MilterConn>>& chain, std::vector<bool>& conn_done,
                   const Message& msg, Clock::time_point t0, bool first, long idx) {
    char qid[32];
    std::snprintf(qid, sizeof qid, "B%09lX", idx);
    // Per milter: 0 = in the transaction, 1 = done (accepted or not yet started).
    std::vector<int> done(chain.size(), 0);
    std::vector<bool> started(chain.size(), false);  // got MAIL: an abort may be due
    for (size_t i = 0; i < chain.size(); ++i) done[i] = conn_done[i] ? 1 : 0;
    char outcome = 'a';
    double eom = 0;  // ms from EOM sent to each milter's final reply, summed over the chain
    // A stage for each milter in turn, as smtpd calls them. SMFIR_ACCEPT ends that
    // milter's part (for the connection at CONNECT/HELO); reject/tempfail/discard ends
    // the message.
    auto each = [&](bool conn_level, auto&& fn) {
      for (size_t i = 0; i < chain.size() && outcome == 'a'; ++i) {
        if (done[i]) continue;
        char r = fn(*chain[i], i);
        if (r == 'a') {
          done[i] = 1;
          if (conn_level) conn_done[i] = true;
        } else if (is_final(r)) {
          done[i] = 1;
          outcome = r;
        }
      }
    };
    if (first) {
      std::string fam = msg.client_ip.find(':') == std::string::npos ? "4" : "6";
      std::string port("\x61\xa8", 2);  // 25000
      each(true, [&](MilterConn& m, size_t) {
        m.send('D',
               "C" + z({"j", "mx.bench.example", "{daemon_name}", "smtpd", "v", "Postfix 3.7", "_",
                        msg.helo + " [" + msg.client_ip + "]", "{client_addr}", msg.client_ip}));
        return m.stage('C', z({msg.helo}) + fam + port + z({msg.client_ip}), NOCONNECT, NR_CONN);
      });
      each(true,
           [&](MilterConn& m, size_t) { return m.stage('H', z({msg.helo}), NOHELO, NR_HELO); });
    }
    each(false, [&](MilterConn& m, size_t i) {
      started[i] = true;
      m.send('D', "M" + z({"i", qid, "{mail_addr}", msg.mail_from}));
      return m.stage('M', z({"<" + msg.mail_from + ">", "SIZE=" + std::to_string(msg.body.size())}),
                     NOMAIL, NR_MAIL);
    });
    each(false, [&](MilterConn& m, size_t) {
      m.send('D', "R" + z({"i", qid, "{rcpt_addr}", msg.rcpt}));
      return m.stage('R', z({"<" + msg.rcpt + ">"}), NORCPT, NR_RCPT);
    });
    each(false, [&](MilterConn& m, size_t) { return m.stage('T', "", NODATA, NR_DATA); });
    // End of data: each milter in turn sees the message with the earlier edits applied.
    std::vector<Header> headers = msg.headers;
    std::vector<Header> added;    // fields the chain added or changed, for --count
    std::vector<Header> removed;  // fields the chain removed (SMFIR_CHGHEADER, empty value)
    for (size_t i = 0; i < chain.size() && outcome == 'a'; ++i) {
      if (done[i]) continue;
      MilterConn& m = *chain[i];
      char r = 'c';
      for (size_t h = 0; h < headers.size() && r == 'c'; ++h)
        r = m.stage('L', z({headers[h].name, value_for(m, headers[h].value)}), NOHDRS, NR_HDR);
      if (r == 'c') r = m.stage('N', "", NOEOH, NR_EOH);
      for (size_t off = 0; r == 'c' && off < msg.body.size() && !m.has(NOBODY); off += kChunk)
        r = m.stage('B', msg.body.substr(off, kChunk), 0, NR_BODY);
      if (r == 's') r = 'c';  // SMFIR_SKIP: no more body for this milter
      if (r != 'c') {
        done[i] = 1;
        if (is_final(r)) outcome = r;
        continue;
      }
      m.send('D', "E" + z({"i", qid}));
      auto t_eom = Clock::now();
      m.send('E', "");
      for (;;) {
        Packet p = m.recv();
        char c = MilterConn::reply_code(p);
        if (c == 'h' || c == 'i' || c == 'm') {
          edit(m, p, headers, added, removed);
        } else if (c == 'q') {
          ++stats_.quarantine;
        } else if (c == 'a' || c == 'c' || is_final(c)) {
          done[i] = 1;
          if (is_final(c)) outcome = c;
          eom += std::chrono::duration<double, std::milli>(Clock::now() - t_eom).count();
          break;
        } else if (c != 'p' && c != '+' && c != '-' && c != '2' && c != 'e' && c != 'b') {
          throw std::runtime_error(std::string("unexpected EOM reply '") + c + "'");
        }  // recipient/sender/body edits are not applied: the benchmark delivers nothing
      }
    }
    for (size_t i = 0; i < chain.size(); ++i)  // abort the transactions a refusal cut short
      if (started[i] && !done[i]) chain[i]->send('A', "");
    auto t1 = Clock::now();
    double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
    stats_.latency_ms.push_back(ms);
    stats_.eom_ms.push_back(eom);
    ++stats_.messages;
    (outcome == 'a'   ? stats_.accept
     : outcome == 'r' ? stats_.reject
     : outcome == 't' ? stats_.tempfail
                      : stats_.discard)++;
    if (log_) {
      std::string line =
          std::to_string(idx) + " " + msg.file + " " + outcome + " " + std::to_string(ms) + "ms";
      for (const Header& h : added) line += " | " + h.name + ":" + h.value;
      for (const Header& h : removed) line += " | removed " + h.name + ":" + h.value;
      std::replace(line.begin(), line.end(), '\n', ' ');
      std::lock_guard<std::mutex> lock(*log_mu_);
      std::fprintf(log_, "%s\n", line.c_str());
    }
    for (size_t c = 0; c < o_.counts.size(); ++c)
      for (const Header& h : added)
        if ((h.name + ":" + h.value).find(o_.counts[c]) != std::string::npos) {
          ++stats_.count_hits[c];
          break;
        }
  }

  // SMFIR_ADDHEADER / INSHEADER / CHGHEADER applied to the header list the next milter sees.
  void edit(const MilterConn& m, const Packet& p, std::vector<Header>& headers,
            std::vector<Header>& added, std::vector<Header>& removed) {
    size_t at = p.cmd == 'h' ? 0 : 4;
    if (p.data.size() < at) throw std::runtime_error("short header edit");
    uint32_t index = at ? get32(p.data, 0) : 0;
    std::string name = p.data.c_str() + at;
    size_t vpos = at + name.size() + 1;
    std::string value = vpos < p.data.size() ? std::string(p.data.c_str() + vpos) : "";
    Header h{name, value_from(m, value)};
    if (p.cmd == 'h') {
      ++stats_.addheader;
      headers.push_back(h);
    } else if (p.cmd == 'i') {
      ++stats_.insheader;
      headers.insert(headers.begin() + std::min<size_t>(index, headers.size()), h);
    } else {
      ++stats_.chgheader;
      uint32_t seen = 0;
      auto it = std::find_if(headers.begin(), headers.end(), [&](const Header& x) {
        return strcasecmp(x.name.c_str(), name.c_str()) == 0 && ++seen == index;
      });
      if (it != headers.end() && value.empty()) {
        removed.push_back(*it);
        headers.erase(it);
      } else if (it != headers.end())
        *it = h;
      else if (!value.empty())
        headers.push_back(h);
      if (value.empty()) return;
    }
    added.push_back(h);
  }

  const Options& o_;
  const std::vector<Message>& corpus_;
  std::atomic<long>& next_;
  Clock::time_point deadline_;
  FILE* log_;
  std::mutex* log_mu_;
  Stats stats_;
};

double percentile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  size_t k = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  k = std::clamp<size_t>(k, 1, v.size()) - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

void usage() {
  std::fprintf(
      stderr,
      "usage: milter_load --socket SPEC [--socket SPEC2 ...] --manifest FILE\n"
      "  [--connections N=4] [--messages M=1000] [--per-conn K=5] [--duration S]\n"
      "  [--timeout S=60] [--count SUBSTRING]... [--label NAME] [--log FILE]\n"
      "  [--actions MASK=0x1FF]\n"
      "SPEC: unix:/path | local:/path | /path | inet:PORT@127.0.0.1. Several --socket\n"
      "options form a chain, called in order per message as Postfix does. A connection\n"
      "carries up to K consecutive messages that share a client.\n"
      "Manifest lines: FILE CLIENT_IP HELO MAIL_FROM RCPT (MAIL_FROM <> = null sender).\n"
      "--log FILE: a line a message: INDEX FILE OUTCOME(a|r|t|d) MSms, then\n"
      "  ' | Name: value' for each field added or changed, ' | removed Name: value' for\n"
      "  each field removed.\n"
      "--actions MASK: the SMFIF_* action flags offered at option negotiation (decimal\n"
      "  or 0x hex; Postfix offers 0x1FF): 0x01 ADDHDRS, 0x02 CHGBODY, 0x04 ADDRCPT,\n"
      "  0x08 DELRCPT, 0x10 CHGHDRS, 0x20 QUARANTINE, 0x40 CHGFROM, 0x80 ADDRCPT_PAR,\n"
      "  0x100 SETSYMLIST. A milter's edit outside the mask fails in the milter.\n");
}

Options parse(int argc, char** argv) {
  Options o;
  using Set = std::function<void(const std::string&)>;
  const std::map<std::string, Set> opts = {
      {"--socket", [&](const std::string& v) { o.sockets.push_back(v); }},
      {"--manifest", [&](const std::string& v) { o.manifest = v; }},
      {"--connections", [&](const std::string& v) { o.connections = std::stoi(v); }},
      {"--messages", [&](const std::string& v) { o.messages = std::stol(v); }},
      {"--per-conn", [&](const std::string& v) { o.per_conn = std::stoi(v); }},
      {"--duration", [&](const std::string& v) { o.duration_s = std::stod(v); }},
      {"--timeout", [&](const std::string& v) { o.timeout_s = std::stoi(v); }},
      {"--count", [&](const std::string& v) { o.counts.push_back(v); }},
      {"--label", [&](const std::string& v) { o.label = v; }},
      {"--log", [&](const std::string& v) { o.log = v; }},
      {"--actions", [&](const std::string& v) {
         size_t used = 0;
         unsigned long a = std::stoul(v, &used, 0);
         if (used != v.size() || a > kAllActions)
           throw std::runtime_error("--actions: a mask within 0x1FF, not " + v);
         o.actions = static_cast<uint32_t>(a);
       }}};
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") usage(), std::exit(0);
    auto it = opts.find(a);
    if (it == opts.end()) throw std::runtime_error("unknown option " + a);
    if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
    it->second(argv[++i]);
  }
  if (o.sockets.empty() || o.manifest.empty())
    throw std::runtime_error("--socket and --manifest are required");
  if (o.connections < 1 || o.per_conn < 1 || o.messages < 1)
    throw std::runtime_error("counts must be >= 1");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::vector<Message> corpus;
  try {
    o = parse(argc, argv);
    corpus = load_corpus(o.manifest);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "milter_load: %s\n", e.what());
    usage();
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  std::atomic<long> next{0};
  auto start = Clock::now();
  auto deadline = start + std::chrono::milliseconds(static_cast<long>(o.duration_s * 1000));
  std::mutex log_mu;
  FILE* log = o.log.empty() ? nullptr : std::fopen(o.log.c_str(), "w");
  if (!o.log.empty() && !log) {
    std::fprintf(stderr, "milter_load: cannot write %s\n", o.log.c_str());
    return 2;
  }
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> threads;
  for (int i = 0; i < o.connections; ++i)
    workers.push_back(std::make_unique<Worker>(o, corpus, next, deadline, log, &log_mu));
  for (auto& w : workers) threads.emplace_back([&w] { w->run(); });
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  if (log) std::fclose(log);
  Stats all;
  all.count_hits.resize(o.counts.size());
  for (auto& w : workers) all.add(w->stats());
  double p50 = percentile(all.latency_ms, 0.50), p99 = percentile(all.latency_ms, 0.99);
  double max = percentile(all.latency_ms, 1.0);
  double eom50 = percentile(all.eom_ms, 0.50), eom99 = percentile(all.eom_ms, 0.99);
  std::printf(
      "%s: %ld messages in %.2f s over %d connections (up to %d per connection): %.1f msg/s\n",
      o.label.c_str(), all.messages, secs, o.connections, o.per_conn, all.messages / secs);
  std::printf(
      "  latency p50 %.2f ms, p99 %.2f ms, max %.2f ms (end of message p50 %.2f, p99 %.2f); accept %ld reject %ld tempfail %ld "
      "discard %ld quarantine %ld; addheader %ld insheader %ld chgheader %ld; errors %ld\n",
      p50, p99, max, eom50, eom99, all.accept, all.reject, all.tempfail, all.discard, all.quarantine,
      all.addheader, all.insheader, all.chgheader, all.errors);
  for (size_t i = 0; i < all.proto.size(); ++i)
    std::printf("  %s negotiated protocol flags 0x%06x\n", o.sockets[i].c_str(), all.proto[i]);
  for (size_t c = 0; c < o.counts.size(); ++c)
    std::printf("  messages with an added header containing \"%s\": %ld\n", o.counts[c].c_str(),
                all.count_hits[c]);
  // One machine-readable line for bench/run.sh.
  std::printf(
      "RESULT label=%s messages=%ld secs=%.3f msgs_per_s=%.2f p50_ms=%.3f p99_ms=%.3f "
      "max_ms=%.3f eom_p50_ms=%.3f eom_p99_ms=%.3f accept=%ld reject=%ld tempfail=%ld errors=%ld",
      o.label.c_str(), all.messages, secs, all.messages / secs, p50, p99, max, eom50, eom99,
      all.accept, all.reject, all.tempfail, all.errors);
  for (size_t c = 0; c < o.counts.size(); ++c) std::printf(" count%zu=%ld", c, all.count_hits[c]);
  std::printf("\n");
  return all.errors > 0 || all.messages == 0 ? 1 : 0;
}
