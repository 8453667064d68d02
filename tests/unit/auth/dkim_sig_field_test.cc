// Our DKIM-Signature fields: which header fields h= lists (oversigning), tag order,
// b= last and empty before signing, folding with CRLF + TAB within 78 columns.
#include <catch2/catch.hpp>

#include "auth/dkim_sig_field.h"
#include "auth/dkim_tags.h"
#include "core/text.h"

using namespace alignd;

namespace {

const char* const kOversigned =
    "from:to:cc:subject:date:reply-to:message-id:mime-version:content-type:"
    "content-transfer-encoding";

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ":") + s;
  return out;
}

// Every line of "DKIM-Signature: " + value, in display columns (TAB = 8).
std::vector<size_t> line_widths(const std::string& value) {
  std::vector<size_t> widths;
  std::string field = std::string(kSigFieldName) + value;
  size_t start = 0;
  while (true) {
    size_t end = field.find("\r\n", start);
    std::string_view line(field.data() + start,
                          (end == std::string::npos ? field.size() : end) - start);
    size_t col = 0;
    for (char c : line) col = c == '\t' ? (col / 8 + 1) * 8 : col + 1;
    widths.push_back(col);
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return widths;
}

void check_folding(const std::string& value) {
  for (size_t w : line_widths(value)) CHECK(w <= kSigFieldWidth);
  for (size_t p = value.find('\n'); p != std::string::npos; p = value.find('\n', p + 1)) {
    REQUIRE(p > 0);
    CHECK(value[p - 1] == '\r');
    REQUIRE(p + 1 < value.size());
    CHECK(value[p + 1] == '\t');
  }
  CHECK(value.find('\r') == value.find("\r\n"));  // no bare CR
}

SigFieldTags sample() {
  SigFieldTags t;
  t.algorithm = "ed25519-sha256";
  t.canonicalization = "relaxed/relaxed";
  t.domain = "football.example.com";
  t.selector = "brisbane";
  t.timestamp = 1528637909;
  t.body_hash = "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=";
  t.headers = {"From", "To", "Subject"};
  return t;
}

}  // namespace

TEST_CASE("h=: signed fields in header order as written, then the oversigned names") {
  struct Case {
    const char* what;
    HeaderList headers;
    std::string expected;
  } cases[] = {
      {"no fields", {}, kOversigned},
      {"unsigned fields left out",
       {{"Received", " x"}, {"X-Mailer", " y"}, {"DKIM-Signature", " v=1"}, {"From", " a"}},
       std::string("From:") + kOversigned},
      {"order and spelling kept",
       {{"To", " a"}, {"from", " b"}, {"List-Id", " one"}, {"TO", " c"}, {"List-Id", " two"}},
       std::string("To:from:List-Id:TO:List-Id:") + kOversigned},
      {"WSP before the colon (obsolete syntax) is not part of the name",
       {{"From \t", " a"}, {"X-Other ", " b"}},
       std::string("From:") + kOversigned},
      {"Resent-*, List-*, Content-*",
       {{"Resent-Date", " d"},
        {"Resent-From", " f"},
        {"List-Unsubscribe-Post", " u"},
        {"Content-ID", " i"},
        {"Content-Description", " d"},
        {"In-Reply-To", " r"},
        {"References", " r"},
        {"Sender", " s"}},
       std::string("Resent-Date:Resent-From:List-Unsubscribe-Post:Content-ID:Content-Description:"
                   "In-Reply-To:References:Sender:") +
           kOversigned},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK(join(choose_signed_headers(c.headers)) == c.expected);
  }
  CHECK(is_signed_header_name("MESSAGE-ID"));
  CHECK_FALSE(is_signed_header_name("Received"));
  CHECK_FALSE(is_signed_header_name("DKIM-Signature"));
}

TEST_CASE("the field prefix: tags in order, x= only when set, b= last and empty") {
  SigFieldTags t = sample();
  std::string p = signature_field_prefix(t);
  CHECK(istarts_with(p, "v=1; a=ed25519-sha256; c=relaxed/relaxed;"));
  CHECK(iends_with(p, "b="));
  check_folding(p);
  auto tags = parse_dkim_tags(p);
  std::vector<std::string> names;
  for (const auto& [n, v] : tags) names.push_back(n);
  CHECK(join(names) == "v:a:c:d:s:t:bh:h:b");
  CHECK(dkim_tag(p, "h") == "From:To:Subject");
  CHECK(dkim_tag(p, "t") == "1528637909");
  CHECK(dkim_tag(p, "bh") == t.body_hash);
  CHECK(dkim_tag(p, "b") == "");

  t.expiration = 1528637909 + 86400;
  p = signature_field_prefix(t);
  names.clear();
  for (const auto& [n, v] : parse_dkim_tags(p)) names.push_back(n);
  CHECK(join(names) == "v:a:c:d:s:t:x:bh:h:b");
  CHECK(dkim_tag(p, "x") == "1528724309");
}

TEST_CASE("folding stays within 78 columns; the signature is appended after b=") {
  // A long h= (every list field), a long domain, RSA-2048-sized and Ed25519-sized b=.
  HeaderList many;
  for (const char* n : {"From", "Sender", "Reply-To", "Subject", "Date", "Message-ID", "To", "Cc",
                        "MIME-Version", "Content-Type", "List-Id", "List-Help", "List-Unsubscribe",
                        "List-Subscribe", "List-Post", "List-Owner", "List-Archive"})
    many.push_back({n, " x"});
  const std::string b344(344, 'A'), b88(86, 'B');
  for (std::string domain : {"example.com", "a-rather-long-subdomain.of.a-long-domain.example"}) {
    for (bool long_h : {false, true}) {
      for (const std::string* b : {&b344, &b88}) {
        SigFieldTags t = sample();
        t.domain = domain;
        if (long_h) t.headers = choose_signed_headers(many);
        INFO(domain << " long h=" << long_h << " b " << b->size());
        std::string prefix = signature_field_prefix(t);
        std::string field = append_signature(prefix, *b);
        check_folding(field);
        CHECK(field.compare(0, prefix.size(), prefix) == 0);  // what was hashed stays put
        CHECK(dkim_tag(field, "b") == *b);  // FWS inside b= is not part of the value
        CHECK(dkim_tag(field, "h") == join(t.headers));
        CHECK(dkim_tag(field, "d") == domain);
      }
    }
  }
}

TEST_CASE("b= moves to a new line when nothing of its value would fit") {
  // Grow the one h= name until the line ending in b= would be full: b= then starts a
  // line. (Up to 67: "\th=" + name + ";" still fits a line.)
  bool saw_own_line = false, saw_shared_line = false;
  for (size_t n = 1; n <= 67; ++n) {
    SigFieldTags t = sample();
    t.headers = {std::string(n, 'h')};
    std::string p = signature_field_prefix(t);
    check_folding(p);
    size_t last = p.rfind("\r\n\t");
    REQUIRE(last != std::string::npos);
    if (p.compare(last, 5, "\r\n\tb=") == 0)
      saw_own_line = true;
    else
      saw_shared_line = true;
    // Room for at least a few characters of the signature after b=.
    CHECK(line_widths(p).back() + 8 <= kSigFieldWidth);
  }
  CHECK(saw_own_line);
  CHECK(saw_shared_line);
}
