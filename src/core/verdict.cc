// Verdict helpers.
#include "core/verdict.h"

namespace alignd {

std::string_view to_string(Action a) {
  switch (a) {
    case Action::Accept: return "accept";
    case Action::Tag: return "tag";
    case Action::Quarantine: return "quarantine";
    case Action::Reject: return "reject";
    case Action::TempFail: return "tempfail";
  }
  return "accept";
}

std::string SmtpReply::str() const {
  if (code.empty()) return "";
  std::string s = code;
  if (!xcode.empty()) s += " " + xcode;
  if (!text.empty()) s += " " + text;
  return s;
}

}  // namespace alignd
