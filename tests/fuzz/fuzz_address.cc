// Fuzzes the From parsing and IDNA of core/address.h: parse_mailbox_list,
// author_domain and domain_to_alabel on the input as a From value, as a whole
// header block and as a domain. Checks that every domain handed to DMARC is
// already its own A-label (lowercase LDH labels, RFC 5890 §2.3 lengths).
#include <cstdint>
#include <string>

#include "core/address.h"
#include "core/message.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;

namespace {

void check_alabel(const std::string& d) {
  FUZZ_CHECK(!d.empty() && d.size() <= 253);
  FUZZ_CHECK(d.front() != '.' && d.back() != '.');
  size_t label = 0;
  for (char c : d) {
    if (c == '.') {
      FUZZ_CHECK(label > 0);
      label = 0;
      continue;
    }
    FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
    FUZZ_CHECK(++label <= 63);
  }
  auto again = domain_to_alabel(d);  // idempotent on its own output
  FUZZ_CHECK(again && *again == d);
}

void check_author(const AuthorDomain& a) {
  FUZZ_CHECK(a.domain.empty() != a.problem.empty());
  if (!a.domain.empty()) {
    check_alabel(a.domain);
    FUZZ_CHECK(a.domains.size() == 1 && a.domains[0] == a.domain);
  }
  for (const auto& d : a.domains) check_alabel(d);
  if (a.address_count > 0) FUZZ_CHECK(!a.address.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);

  if (auto list = parse_mailbox_list(in)) {
    for (const auto& a : *list) {
      auto at = a.rfind('@');
      FUZZ_CHECK(at != std::string::npos);
      check_alabel(a.substr(at + 1));
    }
  }
  check_author(author_domain({{"From", in}}));
  check_author(author_domain(parse_message(in).headers));

  if (auto d = domain_to_alabel(in)) check_alabel(*d);
  return 0;
}
