// Fuzzes core/auth_results.h both ways. Parsing: parse_auth_results and
// claims_authserv_id on a received field value (RFC 8601 §5: forged fields are
// found with it). Formatting: AuthResults::format with fuzzed authserv-id,
// comments, reasons and property values (they come from the message: addresses,
// HELO, DKIM d=); the output must carry no header injection (every CR/LF is the
// fold newline + TAB, no other control), keep to 78 columns unless one word is
// longer, and parse back to the same values.
#include <cstdint>
#include <string>
#include <vector>

#include "core/auth_results.h"
#include "core/text.h"
#include "fuzz/fuzz_support.h"

using namespace alignd;
using alignd::fuzz::FuzzInput;

namespace {

// Method, result, ptype and property are our own constants, never message text.
const char* const kMethods[] = {"spf", "dkim", "dmarc", "arc", "auth", "iprev"};
const char* const kResults[] = {"pass", "fail",      "softfail",  "neutral",
                                "none", "temperror", "permerror", "policy"};
const char* const kPtypes[] = {"smtp", "header", "policy", "body"};
const char* const kProps[] = {"mailfrom", "helo", "d", "i", "s", "b", "from", "dmarc", "auth"};

std::string without_controls(std::string_view v) {
  std::string out;
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) out += c;
  }
  return out;
}

// RFC 5322 §2.2.3 folding only: CR LF then a TAB, nothing else below 0x20.
void check_no_injection(const std::string& out, std::string_view newline) {
  for (size_t i = 0; i < out.size(); ++i) {
    auto u = static_cast<unsigned char>(out[i]);
    if (out.compare(i, newline.size(), newline) == 0) {
      FUZZ_CHECK(i + newline.size() < out.size() && out[i + newline.size()] == '\t');
      i += newline.size();  // the TAB
      continue;
    }
    FUZZ_CHECK(u >= 0x20 && u != 0x7f);
  }
}

// Lines of "Authentication-Results: " + value: at most 78 columns (a TAB counts as
// 8) unless the line holds a single word (a quoted string or comment can be long).
void check_width(const std::string& out, std::string_view newline) {
  std::string_view rest = out;
  size_t col0 = std::string_view("Authentication-Results: ").size();
  bool first = true;
  while (true) {
    size_t nl = rest.find(newline);
    std::string_view line = rest.substr(0, nl);
    if (!first) {
      FUZZ_CHECK(!line.empty() && line[0] == '\t');
      line.remove_prefix(1);
    }
    size_t width = (first ? col0 : 8) + line.size();
    // The first line is the authserv-id (configuration, not message data) and
    // ";" or "; none": format() does not fold there, by design.
    if (width > 78 && !first) {
      // Only one word may overflow: no space outside quotes and comments.
      bool quoted = false;
      int depth = 0;
      bool split = false;
      for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '\\' && (quoted || depth > 0)) {
          ++i;
        } else if (c == '"' && depth == 0) {
          quoted = !quoted;
        } else if (!quoted && c == '(') {
          ++depth;
        } else if (!quoted && c == ')' && depth > 0) {
          --depth;
        } else if (c == ' ' && !quoted && depth == 0) {
          split = true;
        }
      }
      FUZZ_CHECK(!split);
    }
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + newline.size());
    first = false;
  }
}

void fuzz_parse(std::string_view value) {
  auto p = parse_auth_results(value);
  if (p) FUZZ_CHECK(!p->authserv_id.empty());
  const char* ours = "mx.example.org";
  FUZZ_CHECK(claims_authserv_id(value, ours) == (p && iequals(p->authserv_id, ours)));
}

void fuzz_format(FuzzInput& in) {
  AuthResults ar;
  ar.authserv_id = in.take_string();
  size_t n = in.take_index(5);
  for (size_t k = 0; k < n; ++k) {
    AuthMethodResult r;
    r.method = kMethods[in.take_index(std::size(kMethods))];
    r.result = kResults[in.take_index(std::size(kResults))];
    r.comment = in.take_string();
    r.reason = in.take_string();
    size_t props = in.take_index(4);
    for (size_t j = 0; j < props; ++j) {
      AuthProperty p;
      p.ptype = kPtypes[in.take_index(std::size(kPtypes))];
      p.property = kProps[in.take_index(std::size(kProps))];
      p.value = in.take_string();
      r.props.push_back(std::move(p));
    }
    ar.results.push_back(std::move(r));
  }
  std::string_view newline = in.take_byte() & 1 ? "\r\n" : "\n";
  std::string out = ar.format(newline);
  if (std::getenv("FUZZ_DEBUG")) std::fprintf(stderr, "formatted: [%s]\n", out.c_str());
  check_no_injection(out, newline);
  check_width(out, newline);

  // Round trip. An authserv-id of nothing but controls formats as "" which names
  // no one: only a real id must come back.
  std::string id = without_controls(ar.authserv_id);
  auto back = parse_auth_results(out);
  if (id.empty()) return;
  FUZZ_CHECK(back.has_value());
  FUZZ_CHECK(back->authserv_id == id);
  if (ar.results.empty()) {
    FUZZ_CHECK(back->results.empty());  // "; none"
    return;
  }
  FUZZ_CHECK(back->results.size() == ar.results.size());
  for (size_t k = 0; k < ar.results.size(); ++k) {
    const auto& want = ar.results[k];
    const auto& got = back->results[k];
    FUZZ_CHECK(got.method == want.method);
    FUZZ_CHECK(got.result == want.result);
    FUZZ_CHECK(got.reason == without_controls(want.reason));
    FUZZ_CHECK(got.props.size() == want.props.size());
    for (size_t j = 0; j < want.props.size(); ++j) {
      FUZZ_CHECK(got.props[j].ptype == want.props[j].ptype);
      FUZZ_CHECK(got.props[j].property == want.props[j].property);
      FUZZ_CHECK(got.props[j].value == without_controls(want.props[j].value));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz_parse(std::string_view(reinterpret_cast<const char*>(data), size));
  FuzzInput in(data, size);
  fuzz_format(in);
  // ar_value / ar_comment on their own: no control survives.
  std::string_view v(reinterpret_cast<const char*>(data), size);
  for (char c : ar_value(v) + ar_comment(v)) {
    auto u = static_cast<unsigned char>(c);
    FUZZ_CHECK(u >= 0x20 && u != 0x7f);
  }
  return 0;
}
