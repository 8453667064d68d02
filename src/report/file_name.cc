// safe_file_name; see file_name.h (issue 10 item 6: a rua= local part may hold "/").
#include "report/file_name.h"

namespace alignd {

namespace {

bool keep(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '.':
    case '-':
    case '_':
    case '+':
    case '=':
    case '@':
    case '!': return true;
    default: return false;
  }
}

}  // namespace

std::string safe_file_name(std::string_view name) {
  std::string out;
  for (char c : name.substr(0, 200)) {
    if (!keep(c)) c = '_';
    if (c == '.' && (out.empty() || out.back() == '.')) c = '_';
    out.push_back(c);
  }
  return out.empty() ? "_" : out;
}

}  // namespace alignd
