// Test-only command that signs or verifies a message file with alignd's DKIM code,
// for the interoperability tests (tests/integration/dkim_interop.sh).
//   dkim_tool sign [-c CANON] [-T FIXED_TIME] [-x TTL] -k DOMAIN:SELECTOR:KEYFILE... MESSAGE
//     prints the message (CRLF) with one DKIM-Signature per key prepended
//   dkim_tool verify -z ZONEFILE [-m MAX] MESSAGE
//     prints one line per signature: "RESULT d=… s=… a=… bits=… l=0|1 unsigned=0|1 b=… reason=…"
// MESSAGE "-" is stdin. Exit 0 on success, 2 on usage or input errors.
#include <grp.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "auth/dkim_signer.h"
#include "auth/dkim_verifier.h"
#include "auth/keys.h"
#include "core/message.h"
#include "dns/zone_file.h"
#include "dns/zone_resolver.h"

using namespace alignd;

namespace {

int usage() {
  std::fputs(
      "usage: dkim_tool sign [-c CANON] [-T TIME] [-x TTL] -k DOMAIN:SELECTOR:KEYFILE... MESSAGE\n"
      "       dkim_tool verify -z ZONEFILE [-m MAX] MESSAGE\n",
      stderr);
  return 2;
}

std::string read_all(const std::string& path) {
  std::stringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot open");
    ss << in.rdbuf();
  }
  return ss.str();
}

int sign(const std::vector<std::string>& args) {
  SignOptions opts;
  DkimContext::Options lo;
  std::vector<SigningKeyConfig> cfgs;
  std::string file;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool more = i + 1 < args.size();
    if (a == "-c" && more)
      opts.canonicalization = args[++i];
    else if (a == "-T" && more)
      lo.fixed_time = std::stoll(args[++i]);
    else if (a == "-x" && more)
      lo.signature_ttl_s = std::stoi(args[++i]);
    else if (a == "-k" && more) {
      std::string spec = args[++i];
      auto c1 = spec.find(':'), c2 = spec.find(':', c1 == std::string::npos ? 0 : c1 + 1);
      if (c1 == std::string::npos || c2 == std::string::npos) return usage();
      SigningKeyConfig c;
      c.domain = spec.substr(0, c1);
      c.selector = spec.substr(c1 + 1, c2 - c1 - 1);
      c.key_file = spec.substr(c2 + 1);
      cfgs.push_back(c);
    } else if (file.empty())
      file = a;
    else
      return usage();
  }
  if (file.empty() || cfgs.empty()) return usage();
  // The daemon's key rule (runtime_loader.cc): group read by our group or alignd.
  std::vector<gid_t> groups{getegid()};
  if (group* g = getgrnam("alignd")) groups.push_back(g->gr_gid);
  std::vector<SigningKey> keys = load_signing_keys(cfgs, false, groups);
  std::vector<const SigningKey*> ptrs;
  for (const auto& k : keys) ptrs.push_back(&k);

  std::string raw = read_all(file);
  ParsedMessage m = parse_message(raw);
  DkimContext lib(lo);
  DkimSigner s(lib, ptrs, opts);
  for (const auto& h : m.headers) s.header(h);
  s.end_of_headers();
  for (size_t i = 0; i < m.body.size(); i += 65536)
    s.body(std::string_view(m.body).substr(i, 65536));
  auto sigs = s.finish();
  for (const auto& e : s.errors()) std::fprintf(stderr, "dkim_tool: %s\n", e.c_str());
  if (sigs.size() != keys.size()) return 1;
  std::string out;
  for (const auto& v : sigs) out += "DKIM-Signature: " + v + "\r\n";
  out += to_crlf(raw);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int verify(const std::vector<std::string>& args) {
  std::string zone, file;
  int max = 5;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool more = i + 1 < args.size();
    if (a == "-z" && more)
      zone = args[++i];
    else if (a == "-m" && more)
      max = std::stoi(args[++i]);
    else if (file.empty())
      file = a;
    else
      return usage();
  }
  if (file.empty() || zone.empty()) return usage();
  ZoneResolver dns(load_zone_file(zone));
  std::string raw = read_all(file);
  ParsedMessage m = parse_message(raw);
  DkimContext lib;
  DkimVerifier v(lib, dns, max);
  for (const auto& h : m.headers) v.header(h);
  v.end_of_headers();
  for (size_t i = 0; i < m.body.size(); i += 65536)
    v.body(std::string_view(m.body).substr(i, 65536));
  for (const auto& r : v.finish())
    std::printf("%s d=%s s=%s a=%s bits=%d l=%d unsigned=%d b=%s reason=%s\n",
                std::string(to_string(r.result)).c_str(), r.domain.c_str(), r.selector.c_str(),
                r.algorithm.c_str(), r.key_bits, r.has_body_length ? 1 : 0,
                r.unsigned_body_content ? 1 : 0, r.b_prefix.c_str(), r.reason.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (std::strcmp(argv[1], "sign") == 0) return sign(args);
    if (std::strcmp(argv[1], "verify") == 0) return verify(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dkim_tool: %s\n", e.what());
    return 2;
  }
  return usage();
}
