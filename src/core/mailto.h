// A DMARC report destination as one mailbox: RFC 6068 mailto URI, its
// percent-decoded address checked as an RFC 5321 §4.1.2 Mailbox, stricter
// where MTAs still route on syntax (issue 10 item 6). Pure. Leaves out the
// "!size" suffix (core/dmarc/record.h strips it) and other URI schemes.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace alignd {

struct Mailbox {
  std::string local;    // dot-atom, or quoted-string with its quotes when it needs them
  std::string domain;   // lowercase LDH, at least two labels, no trailing dot
  std::string address;  // local "@" domain: the only form that goes into a To: field
};

struct MailtoParse {
  std::optional<Mailbox> mailbox;
  std::string error;  // why not, when mailbox is empty
};

// `uri` is "mailto:" (any case) then exactly one addr-spec, optionally "?hfields",
// which are ignored (RFC 6068 §2: they add nothing a report needs; a "to=" there
// is not followed). Refused: controls, whitespace, non-ASCII, "%" not followed by
// two hex digits; more than one address (",", "%2C"); comments and angle brackets;
// several "@"; address literals; a quoted-string holding anything but atext, "."
// and SP; "%" and "!" in the local part (the percent hack and bang paths that
// some MTAs still route on); a domain without a dot or with a numeric last label.
MailtoParse parse_mailto(std::string_view uri);

// RFC 5321 §4.1.2 Mailbox in the strict form above, for an already decoded address.
MailtoParse parse_mailbox(std::string_view address);

}  // namespace alignd
