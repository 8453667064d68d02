// Fixed evaluations and helpers shared by the report tests (core, store, report).
#pragma once
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/report/evaluation.h"
#include "core/report/published_policy.h"

namespace alignd::testing {

inline Evaluation sample_evaluation(std::int64_t time, const std::string& ip = "192.0.2.10",
                                    const std::string& domain = "example.com") {
  Evaluation e;
  e.time = time;
  e.source_ip = ip;
  e.envelope_from = domain;
  e.envelope_to = "receiver.example";
  e.header_from = domain;
  e.policy_domain = domain;
  e.organizational_domain = domain;
  e.policy = read_published_policy("v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@" + domain,
                                   "tree-walk");
  e.spf_domain = domain;
  e.spf_scope = "mfrom";
  e.spf_result = "pass";
  e.dkim = {{domain, "s1", "pass", ""}};
  e.spf_aligned = true;
  e.dkim_aligned = true;
  e.dmarc_result = "pass";
  e.disposition = "none";
  e.requested = "reject";
  return e;
}

inline Evaluation failing_evaluation(std::int64_t time, const std::string& ip = "198.51.100.7",
                                     const std::string& domain = "example.com") {
  Evaluation e = sample_evaluation(time, ip, domain);
  e.envelope_from = "spoofer.example";
  e.spf_domain = "spoofer.example";
  e.spf_result = "softfail";
  e.spf_human = "~all matched";
  e.dkim = {{"spoofer.example", "x", "fail", "signature did not verify"}};
  e.spf_aligned = false;
  e.dkim_aligned = false;
  e.dmarc_result = "fail";
  e.disposition = "reject";
  return e;
}

// Writes `text` to a fresh temporary file; returns its path.
inline std::string write_temp(const std::string& text, const std::string& suffix = ".xml") {
  char tmpl[] = "/tmp/alignd-report-test-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) return "";
  close(fd);
  std::string path = std::string(tmpl) + suffix;
  std::rename(tmpl, path.c_str());
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Runs a shell command, returns its exit status (-1 if it could not run).
inline int run(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return rc == -1 ? -1 : WEXITSTATUS(rc);
}

inline std::string capture(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

inline const char* kRfc9990Xsd = ALIGND_TEST_DATA_DIR "/report/dmarc-2.0.xsd";
inline const char* kRfc7489Xsd = "/usr/share/perl5/auto/share/dist/Mail-DMARC/rua-schema.xsd";

}  // namespace alignd::testing
