// Message file -> header fields + body; see message.h.
#include "core/message.h"

namespace alignd {

std::string to_crlf(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + raw.size() / 40);
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\n' && (i == 0 || raw[i - 1] != '\r')) out += '\r';
    out += c;
  }
  return out;
}

namespace {
bool field_name_char(char c) { return c > 32 && c < 127 && c != ':'; }
}  // namespace

ParsedMessage parse_message(std::string_view raw_in) {
  ParsedMessage m;
  std::string raw = to_crlf(raw_in);
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t eol = raw.find("\r\n", pos);
    if (eol == std::string::npos) eol = raw.size();
    std::string_view line(raw.data() + pos, eol - pos);
    size_t next = std::min(raw.size(), eol + 2);
    if (line.empty()) {  // end of headers
      pos = next;
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !m.headers.empty()) {
      m.headers.back().value += "\r\n";
      m.headers.back().value += line;
      pos = next;
      continue;
    }
    // RFC 5322 §4.5.8 obs-optional: WSP may stand between the name and the
    // colon ("From : x"); Postfix accepts it and hands the milter the name
    // without it, so the milter judges the field: so does eval.
    size_t colon = line.find(':');
    size_t name_end = colon == std::string_view::npos ? 0 : colon;
    while (name_end > 0 && (line[name_end - 1] == ' ' || line[name_end - 1] == '\t')) --name_end;
    bool ok = name_end > 0;
    for (size_t i = 0; ok && i < name_end; ++i) ok = field_name_char(line[i]);
    if (!ok) break;  // not a header: the body starts here
    m.headers.push_back(
        {std::string(line.substr(0, name_end)), std::string(line.substr(colon + 1))});
    pos = next;
  }
  m.body = raw.substr(std::min(pos, raw.size()));
  return m;
}

void end_body_as_smtp_data(ParsedMessage& msg) {
  if (!msg.body.empty() && !msg.body.ends_with("\r\n")) msg.body += "\r\n";
}

}  // namespace alignd
