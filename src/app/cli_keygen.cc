// alignd keygen: writes a DKIM private key (never over an existing file) readable
// by the daemon — group alignd, mode 0640, when that group exists, else 0600 —
// and prints its DNS TXT record in zone-file syntax. `keygen --record KEYFILE`
// prints that record again for an existing key. Key material: auth/keygen.h.
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>

#include "app/args.h"
#include "app/cli.h"
#include "app/runtime_loader.h"
#include "auth/keygen.h"
#include "auth/keys.h"
#include "core/text.h"

namespace alignd {

namespace {

const char* kHelp =
    "usage: alignd keygen --domain D --selector S [--type rsa|ed25519] [--bits N] [--out DIR]\n"
    "                     [--group G]\n"
    "       alignd keygen --record KEYFILE [--domain D] [--selector S] [-c CONFIG]\n"
    "\n"
    "Writes the private key to DIR/D.S.key (DIR defaults to the current directory; an\n"
    "existing file is never overwritten) and prints the DNS TXT record to publish at\n"
    "S._domainkey.D, split into strings of at most 255 bytes. The key is readable by\n"
    "the daemon: group alignd and mode 0640 when that group exists (`make install`\n"
    "creates it), else mode 0600.\n"
    "\n"
    "  --type rsa|ed25519   key type (default rsa; ed25519 is RFC 8463)\n"
    "  --bits N             RSA modulus size, 1024..4096 (default 2048)\n"
    "  --out DIR            where the key file goes (created if missing: mode 0750 and\n"
    "                       the key's group, or 0700 without one)\n"
    "  --group G            the key's group (default alignd if it exists; - for none)\n"
    "  --record KEYFILE     write nothing: print the TXT record (RFC 6376 §3.6.1) of an\n"
    "                       existing private key, RSA or Ed25519, as keygen printed it;\n"
    "                       the name comes from --domain/--selector, else from the\n"
    "                       [[signing.keys]] entry of the configuration (-c, default\n"
    "                       /etc/alignd/alignd.toml) naming KEYFILE, else from a file\n"
    "                       named D.S.key, else only the quoted value is printed\n"
    "\n"
    "Then add to the configuration:\n"
    "  [[signing.keys]]\n"
    "  domain = \"D\"\n"
    "  selector = \"S\"\n"
    "  key_file = \"DIR/D.S.key\"\n";

// Creates `path` (O_EXCL) with mode 0600, or 0640 and group gid, and writes
// `text`; "" on success, else why.
std::string write_private(const std::string& path, const std::string& text, gid_t gid) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return std::strerror(errno);
  bool group = gid != static_cast<gid_t>(-1);
  if ((group && ::fchown(fd, static_cast<uid_t>(-1), gid) != 0) ||
      ::fchmod(fd, group ? 0640 : 0600) != 0) {  // whatever the umask
    std::string err = std::strerror(errno);
    ::close(fd);
    ::unlink(path.c_str());
    return err;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string err = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return err;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return std::strerror(errno);
  return {};
}

// Selector and domain from keygen's file name D.S.key ("example.com.s1.key"):
// the domain must have a dot; {"", ""} when the name does not fit.
std::pair<std::string, std::string> name_from_file(const std::string& path) {
  std::string base = std::filesystem::path(path).filename().string();
  const std::string ext = ".key";
  if (base.size() <= ext.size() || base.compare(base.size() - ext.size(), ext.size(), ext) != 0)
    return {};
  base.resize(base.size() - ext.size());
  auto dot = base.rfind('.');
  if (dot == std::string::npos) return {};
  std::string domain = base.substr(0, dot), selector = base.substr(dot + 1);
  if (domain.find('.') == std::string::npos || !valid_dns_name(domain) || !valid_dns_name(selector))
    return {};
  return {normalize_domain(domain), selector};
}

// Domain and selector of the [[signing.keys]] entry whose key_file is `path`, in
// the configuration `serve` would read; {"", ""} without one.
std::pair<std::string, std::string> name_from_config(const Args& args, const std::string& path) {
  ConfigRead read = read_config_or_default(args.get_or("-c", args.get_or("--config", "")));
  std::error_code ec;
  auto want = std::filesystem::weakly_canonical(path, ec);
  for (const auto& k : read.config.signing.keys) {
    std::error_code ec2;
    if (!ec && std::filesystem::weakly_canonical(k.key_file, ec2) == want && !ec2)
      return {normalize_domain(k.domain), k.selector};
  }
  return {};
}

// keygen --record KEYFILE: the TXT record of an existing key, printed as at generation.
int print_record(const Args& args, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "alignd keygen: %s: %s\n", file.c_str(), std::strerror(errno));
    return 1;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto pk = public_key_of(ss.str());
  if (!pk) {
    std::fprintf(stderr,
                 "alignd keygen: %s: not an RSA or Ed25519 private key (expected PEM, or a base64 "
                 "Ed25519 seed)\n",
                 file.c_str());
    return 1;
  }
  auto [domain, selector] = name_from_config(args, file);
  if (domain.empty()) std::tie(domain, selector) = name_from_file(file);
  if (auto d = args.get("--domain")) domain = normalize_domain(*d);
  if (auto s = args.get("--selector")) selector = *s;
  if (!domain.empty() && !valid_dns_name(domain)) throw UsageError("--domain needs a domain name");
  if (!selector.empty() && !valid_dns_name(selector))
    throw UsageError("--selector needs a selector (letters, digits, '-')");
  std::string record = dkim_key_record(pk->type, pk->public_b64);
  if (!domain.empty() && !selector.empty()) {
    std::printf("%s\n", txt_record_line(domain, selector, record).c_str());
  } else {
    std::string line;
    for (const auto& part : split_txt(record)) line += (line.empty() ? "\"" : " \"") + part + "\"";
    std::printf("%s\n", line.c_str());
    std::fprintf(stderr,
                 "alignd keygen: publish this TXT record at SELECTOR._domainkey.DOMAIN "
                 "(--domain and --selector print the whole zone-file line)\n");
  }
  std::fprintf(stderr, "alignd keygen: %s: %s, %d bits\n", file.c_str(),
               pk->type == KeyType::Rsa ? "rsa" : "ed25519", pk->bits);
  return 0;
}

}  // namespace

int cmd_keygen(int argc, char** argv) {
  try {
    Args args(argc, argv,
              {"--domain", "--selector", "--type", "--bits", "--out", "--group", "--record", "-c",
               "--config"},
              {"-h", "--help"});
    if (args.has("-h") || args.has("--help")) {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (!args.positional().empty()) throw UsageError("unexpected argument " + args.positional()[0]);
    if (auto file = args.get("--record")) {
      for (const char* o : {"--type", "--bits", "--out", "--group"})
        if (args.get(o)) throw UsageError(std::string(o) + " does not apply to --record");
      return print_record(args, *file);
    }
    std::string domain = normalize_domain(args.get_or("--domain", ""));
    std::string selector = args.get_or("--selector", "");
    if (!valid_dns_name(domain)) throw UsageError("--domain needs a domain name");
    if (!valid_dns_name(selector))
      throw UsageError("--selector needs a selector (letters, digits, '-')");
    std::string type = to_lower(args.get_or("--type", "rsa"));
    KeyType kt;
    if (type == "rsa")
      kt = KeyType::Rsa;
    else if (type == "ed25519")
      kt = KeyType::Ed25519;
    else
      throw UsageError("--type must be rsa or ed25519");
    int bits = 2048;
    if (auto b = args.get("--bits")) {
      if (kt == KeyType::Ed25519) throw UsageError("--bits applies to RSA keys only");
      try {
        size_t used = 0;
        bits = std::stoi(*b, &used);
        if (used != b->size()) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        throw UsageError("--bits needs a number");
      }
      if (bits < 1024 || bits > 4096) throw UsageError("--bits must be 1024..4096 (RFC 8301)");
    }
    std::string dir = ".";
    if (auto out = args.get("--out"); out && !out->empty()) dir = *out;

    // The key's group: the daemon's (alignd) when it exists, so that the daemon,
    // which runs as user alignd, can read a key made by root (issue 10 item 9).
    gid_t gid = static_cast<gid_t>(-1);
    std::string group_name = args.get_or("--group", "");
    if (group_name.empty() && ::getgrnam("alignd")) group_name = "alignd";
    if (!group_name.empty() && group_name != "-") {
      struct group* gr = ::getgrnam(group_name.c_str());
      if (!gr) throw UsageError("--group: no such group '" + group_name + "'");
      gid = gr->gr_gid;
    }
    // Create DIR (mode 0750 with the group, else 0700: it holds private keys).
    if (std::error_code ec; !std::filesystem::exists(dir, ec)) {
      std::filesystem::create_directories(dir, ec);
      if (ec) {
        std::fprintf(stderr, "alignd keygen: cannot create directory %s: %s\n", dir.c_str(),
                     ec.message().c_str());
        return 1;
      }
      if (gid != static_cast<gid_t>(-1) && ::chown(dir.c_str(), static_cast<uid_t>(-1), gid) == 0)
        ::chmod(dir.c_str(), 0750);
      else
        ::chmod(dir.c_str(), 0700);
    } else if (struct stat st{}; gid != static_cast<gid_t>(-1) && ::stat(dir.c_str(), &st) == 0 &&
                                 !(st.st_gid == gid && (st.st_mode & 010)) && !(st.st_mode & 001)) {
      std::fprintf(stderr,
                   "alignd keygen: warning: group %s cannot enter %s; run: chgrp %s %s && "
                   "chmod 0750 %s\n",
                   group_name.c_str(), dir.c_str(), group_name.c_str(), dir.c_str(), dir.c_str());
    }
    GeneratedKey key = generate_key(kt, bits);
    std::string path = dir;
    if (path.back() != '/') path.push_back('/');
    path.append(domain).append(".").append(selector).append(".key");
    if (std::string err = write_private(path, key.private_pem, gid); !err.empty()) {
      std::fprintf(stderr, "alignd keygen: %s: %s\n", path.c_str(), err.c_str());
      return 1;
    }
    std::printf("%s\n",
                txt_record_line(domain, selector, dkim_key_record(kt, key.public_b64)).c_str());
    std::fprintf(
        stderr,
        "alignd keygen: wrote %s (%s, %d bits, %s)\n"
        "Publish the TXT record above, then add to the configuration:\n"
        "  [[signing.keys]]\n  domain = \"%s\"\n  selector = \"%s\"\n  key_file = \"%s\"\n",
        path.c_str(), type.c_str(), key.bits,
        gid == static_cast<gid_t>(-1) ? "mode 0600"
                                      : ("group " + group_name + ", mode 0640").c_str(),
        domain.c_str(), selector.c_str(), path.c_str());
    return 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "alignd keygen: %s\n%s", e.what(), kHelp);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "alignd keygen: %s\n", e.what());
    return 1;
  }
}

}  // namespace alignd
