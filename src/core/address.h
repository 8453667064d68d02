// The DMARC Author Domain from the RFC5322.From field (RFC 9989 §3.2.2, §4.4,
// §5.3.1; RFC 5322 §3.4 address syntax with the §4.4 obsolete forms). Pure: no
// DNS; IDNA is only the RFC 3492 Punycode step, no Unicode normalization.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/header.h"

namespace alignd {

struct AuthorDomain {
  // Lowercase A-label. Non-empty exactly when DMARC can be evaluated for one
  // Author Domain: one From field whose addresses all carry this domain.
  std::string domain;
  // "" | "no-from" (no From field) | "multiple-from" (more than one From field,
  // RFC 9989 §4.4: repeated From, no alignment possible) | "multiple-addresses"
  // (one From field, more than one distinct domain: §5.3.1/§11.5) |
  // "unparseable" (From present but no usable address: syntax error, empty
  // group, address literal, invalid domain).
  std::string problem;
  std::string address;               // the first mailbox, "local@domain" (domain as A-label)
  std::vector<std::string> domains;  // every distinct domain found, in order (A-labels)
  size_t address_count = 0;          // mailboxes found in the From field(s)
  // Domains after an '@' in From fields that do not parse, not in `domains`.
  // Never an Author Domain: only evaluated so that their owners' aggregate
  // reports show the broken-From message (RFC 9989 §11.5: see the threat).
  std::vector<std::string> salvaged;
  std::string detail;                // human-readable explanation of `problem`
};

// RFC 9989 §5.3.1: extract the Author Domain from the message's header fields.
AuthorDomain author_domain(const HeaderList& headers);

// Parses one From field value (RFC 5322 §3.6.2 mailbox-list, groups tolerated)
// into its mailboxes "local@domain". nullopt when the value does not parse.
std::optional<std::vector<std::string>> parse_mailbox_list(std::string_view value);

// RFC 5890 §2.3 A-label form of a domain: ASCII lowercased, each non-ASCII
// (UTF-8) label Punycode-encoded with the "xn--" prefix (RFC 3492). nullopt for
// invalid UTF-8, empty labels, labels over 63 or names over 253 octets, or
// characters outside letters/digits/hyphen in ASCII labels. A trailing dot is dropped.
std::optional<std::string> domain_to_alabel(std::string_view domain);

// RFC 3492 §6.3 Punycode encoding of a sequence of code points (no "xn--").
std::optional<std::string> punycode_encode(const std::u32string& input);

}  // namespace alignd
