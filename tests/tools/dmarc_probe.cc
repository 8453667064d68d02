// dmarc_probe: our half of the differential test against Mail::DMARC
// (tests/integration/dmarc_diff.sh). Reads "record<TAB>TXT" and "org<TAB>DOMAIN"
// lines on stdin and prints "<kind><TAB><input><TAB><result>" in the shared
// normalized form that tests/tools/dmarc_probe.pl prints for Mail::DMARC.
// RFC 7489 mode only: PSL Organizational Domains, p=none fallback of §6.6.3.
#include <cstdio>
#include <iostream>
#include <string>

#include "auth/psl.h"
#include "core/dmarc/record.h"
#include "core/text.h"

using namespace alignd;

namespace {

// RFC 7489 §6.6.3 step 6 applied to one record, in the normalized form:
// "notdmarc" | "unusable" | "p=.. sp=.. adkim=.. aspf=.. pct=.. rua=uri!bytes,..".
std::string record_result(const std::string& txt) {
  DmarcParse parse = parse_dmarc_record(txt);
  if (!parse.ok()) return "notdmarc";
  const DmarcRecord& r = parse.record;
  if (!r.policy_valid() && r.rua.empty()) return "unusable";
  std::string p = r.policy_valid() ? std::string(to_string(*r.p)) : "none";
  std::string sp = r.policy_valid() && r.sp ? std::string(to_string(*r.sp)) : "-";
  std::string rua;
  for (const auto& u : r.rua)
    rua += (rua.empty() ? "" : ",") + u.uri + "!" + std::to_string(u.max_bytes);
  return "p=" + p + " sp=" + sp + " adkim=" + std::string(to_string(r.adkim)) +
         " aspf=" + std::string(to_string(r.aspf)) +
         " pct=" + (r.pct ? std::to_string(*r.pct) : "-") + " rua=" + (rua.empty() ? "-" : rua);
}

}  // namespace

int main(int argc, char** argv) {
  std::string psl_path = "/usr/share/publicsuffix/public_suffix_list.dat";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--psl" && i + 1 < argc) {
      psl_path = argv[++i];
    } else {
      std::fprintf(stderr, "usage: dmarc_probe [--psl FILE] < cases\n");
      return 2;
    }
  }
  PublicSuffixList psl = PublicSuffixList::load(psl_path);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      std::fprintf(stderr, "dmarc_probe: no TAB in line: %s\n", line.c_str());
      return 2;
    }
    std::string kind = line.substr(0, tab), input = line.substr(tab + 1);
    std::string result;
    if (kind == "record") {
      result = record_result(input);
    } else if (kind == "org") {
      result = psl.registrable_domain(input);
      if (result.empty()) result = normalize_domain(input);  // a public suffix: itself
    } else {
      std::fprintf(stderr, "dmarc_probe: unknown kind %s\n", kind.c_str());
      return 2;
    }
    std::cout << kind << '\t' << input << '\t' << result << '\n';
  }
  return 0;
}
