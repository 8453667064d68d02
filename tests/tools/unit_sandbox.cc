// unit_sandbox: runs a command the way systemd would run a unit's ExecStart=,
// as far as the syscall sandbox and credentials go, for tests on machines
// without systemd as PID 1 (tests/e2e/systemd_unit.sh).
//
//   unit_sandbox --unit FILE --syscall-sets FILE [--kill] -- COMMAND ARGS...
//
// From the unit's [Service] section it applies, in systemd's order: UMask=,
// User= (its supplementary groups) and Group=, NoNewPrivileges=, then
// SystemCallFilter= with SystemCallErrorNumber= as the last step before
// execve. The syscall groups come from `systemd-analyze syscall-filter`
// output (--syscall-sets), so they are the installed systemd's, never a copy.
// Filter semantics follow systemd.exec(5): the first assignment decides allow-
// or deny-list; an allow list implicitly contains @default; later "~" items
// remove from an allow list (plain items add); an empty assignment resets.
// A blocked call fails with SystemCallErrorNumber= when set, else kills the
// process (SIGSYS); --kill ignores SystemCallErrorNumber= to prove that the
// command makes no blocked call at all. Not emulated: namespaces, Protect*=,
// RestrictAddressFamilies=, MemoryDenyWriteExecute= and the other sandboxing.
#include <grp.h>
#include <pwd.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "unit_sandbox: %s\n", msg.c_str());
  std::exit(125);
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// [Service] assignments in order (a key may repeat).
std::vector<std::pair<std::string, std::string>> read_service(const std::string& path) {
  std::ifstream in(path);
  if (!in) die("cannot read " + path);
  std::vector<std::pair<std::string, std::string>> out;
  bool service = false;
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      service = line == "[Service]";
      continue;
    }
    auto eq = line.find('=');
    if (service && eq != std::string::npos)
      out.emplace_back(trim(line.substr(0, eq)), trim(line.substr(eq + 1)));
  }
  return out;
}

// `systemd-analyze syscall-filter` output: "@group" at column 0, then indented
// "# description", "@nested" or "syscall" lines.
using Groups = std::map<std::string, std::vector<std::string>>;
Groups read_groups(const std::string& path) {
  std::ifstream in(path);
  if (!in) die("cannot read " + path);
  Groups g;
  std::string current;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') {
      if (line.empty()) current.clear();
      continue;
    }
    if (line[0] == '@') {
      current = trim(line);
      g[current];
      continue;
    }
    std::string item = trim(line);
    if (current.empty() || item.empty() || item[0] == '#') continue;
    g[current].push_back(item);
  }
  if (!g.count("@default") || !g.count("@system-service"))
    die(path + " does not look like `systemd-analyze syscall-filter` output");
  return g;
}

void expand(const Groups& g, const std::string& item, std::set<std::string>& out, int depth = 0) {
  if (depth > 16) die("syscall groups nest too deeply at " + item);
  if (item[0] != '@') {
    out.insert(item);
    return;
  }
  auto it = g.find(item);
  if (it == g.end()) die("unknown syscall group " + item);
  for (const auto& s : it->second) expand(g, s, out, depth + 1);
}

bool yes(const std::string& v) {
  return v == "yes" || v == "true" || v == "1" || v == "on";
}

}  // namespace

int main(int argc, char** argv) {
  std::string unit, sets;
  bool force_kill = false;
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--unit" && i + 1 < argc) {
      unit = argv[++i];
    } else if (a == "--syscall-sets" && i + 1 < argc) {
      sets = argv[++i];
    } else if (a == "--kill") {
      force_kill = true;
    } else if (a == "--") {
      ++i;
      break;
    } else {
      die("usage: unit_sandbox --unit FILE --syscall-sets FILE [--kill] -- COMMAND ARGS...");
    }
  }
  if (unit.empty() || sets.empty() || i >= argc) die("need --unit, --syscall-sets and a command");

  Groups groups = read_groups(sets);
  std::string user, group, umask_s, errno_name;
  bool nnp = false, have_filter = false, allow_list = false;
  std::set<std::string> filter;
  for (const auto& [k, v] : read_service(unit)) {
    if (k == "User") user = v;
    if (k == "Group") group = v;
    if (k == "UMask") umask_s = v;
    if (k == "NoNewPrivileges") nnp = yes(v);
    if (k == "SystemCallErrorNumber") errno_name = v;
    if (k != "SystemCallFilter") continue;
    if (v.empty()) {  // reset
      have_filter = false;
      filter.clear();
      continue;
    }
    bool invert = v[0] == '~';
    std::vector<std::string> items = words(invert ? v.substr(1) : v);
    if (!have_filter) {
      have_filter = true;
      allow_list = !invert;
      if (allow_list) expand(groups, "@default", filter);
    }
    std::set<std::string> these;
    for (const auto& it : items) expand(groups, it, these);
    for (const auto& s : these) {
      if (invert == allow_list)
        filter.erase(s);
      else
        filter.insert(s);
    }
  }

  // Blocked calls: kill the process (systemd's default) or fail with errno.
  uint32_t blocked = SCMP_ACT_KILL_PROCESS;
  if (!errno_name.empty() && !force_kill) {
    static const std::map<std::string, int> kErrno = {
        {"EPERM", EPERM}, {"EACCES", EACCES}, {"ENOSYS", ENOSYS}, {"EINVAL", EINVAL}};
    auto e = kErrno.find(errno_name);
    if (e == kErrno.end()) die("SystemCallErrorNumber=" + errno_name + " not supported here");
    blocked = SCMP_ACT_ERRNO(static_cast<uint32_t>(e->second));
  }

  // Credentials, as systemd does before the filter: umask, groups, gid, uid.
  if (!umask_s.empty()) ::umask(static_cast<mode_t>(std::stoul(umask_s, nullptr, 8)));
  if (!user.empty()) {
    passwd* pw = getpwnam(user.c_str());
    if (!pw) die("User=" + user + ": no such user");
    gid_t gid = pw->pw_gid;
    if (!group.empty()) {
      struct group* gr = getgrnam(group.c_str());
      if (!gr) die("Group=" + group + ": no such group");
      gid = gr->gr_gid;
    }
    if (initgroups(pw->pw_name, gid) != 0 || setresgid(gid, gid, gid) != 0 ||
        setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) != 0)
      die(std::string("cannot become ") + user + ": " + std::strerror(errno));
  }
  if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("PR_SET_NO_NEW_PRIVS failed");

  if (have_filter) {
    scmp_filter_ctx ctx = seccomp_init(allow_list ? blocked : SCMP_ACT_ALLOW);
    if (!ctx) die("seccomp_init failed");
    size_t rules = 0;
    for (const auto& name : filter) {
      int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR) continue;  // not a call on this architecture
      if (seccomp_rule_add(ctx, allow_list ? SCMP_ACT_ALLOW : blocked, nr, 0) == 0) ++rules;
    }
    if (int rc = seccomp_load(ctx); rc != 0)
      die(std::string("seccomp_load: ") + std::strerror(-rc));
    seccomp_release(ctx);
    std::fprintf(stderr, "unit_sandbox: %s-list of %zu syscalls, blocked calls %s\n",
                 allow_list ? "allow" : "deny", rules,
                 blocked == SCMP_ACT_KILL_PROCESS ? "kill the process"
                                                  : ("fail with " + errno_name).c_str());
  }
  execvp(argv[i], argv + i);
  // Only reached when execve is refused or the command is missing.
  std::fprintf(stderr, "unit_sandbox: cannot run %s: %s\n", argv[i], std::strerror(errno));
  return 127;
}
