// Which SASL logins may use which From addresses, for DKIM signing (issue 10
// item 10): a table in the format of Postfix's smtpd_sender_login_maps, so the
// same file serves both. Text as postmap(1) reads it (texthash); lookups in the
// postconf(5) smtpd_sender_login_maps order. Pure: the caller reads the file.
// Leaves out the envelope sender (Postfix's own reject_sender_login_mismatch
// does that) and non-file table types (LDAP, SQL, regexp).
#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/header.h"

namespace alignd {

struct SenderLoginMapError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class SenderLoginMap {
 public:
  struct Options {
    // Postfix's $myorigin/$mydestination: only here does a bare "user" key apply.
    std::vector<std::string> local_domains;
    // Postfix's recipient_delimiter: "alice+news@x" is also looked up as "alice@x".
    std::string delimiter;
  };

  // postmap(1) input format: "key whitespace value"; blank lines and lines whose
  // first non-blank character is "#" are ignored; a line starting with whitespace
  // continues the previous one. A key is "user@domain", "@domain" or "user"
  // (a quoted local part may hold spaces); the value lists logins separated by
  // commas and/or whitespace. Keys fold to lowercase, as Postfix folds them.
  // Throws SenderLoginMapError "source:line: message".
  static SenderLoginMap parse(std::string_view text, const std::string& source, Options opts = {});

  // postconf(5) smtpd_sender_login_maps, for user@domain: 1) user@domain,
  // 2) user (only when domain is local), 3) @domain; with a delimiter, each user
  // form is tried with the extension before without it (Postfix mail_addr_find).
  // The first key found decides. nullopt: no key matches (no owner at all).
  std::optional<std::vector<std::string>> owners(std::string_view address) const;

  size_t size() const { return entries_.size(); }
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  Options opts_;
  std::map<std::string, std::vector<std::string>> entries_;  // lowercase key -> logins
};

// "" when `login` owns every address (the From field's mailboxes); else why not,
// naming the first address it may not use. No address at all is a refusal.
std::string sender_login_refusal(const SenderLoginMap& map, std::string_view login,
                                 const std::vector<std::string>& addresses);

// Every mailbox of every From field (RFC 5322 §3.6.2), "local@domain"; a field
// that does not parse contributes "" (which no login owns).
std::vector<std::string> from_addresses(const HeaderList& headers);

// `[signing] sender_login_map`: a path, or Postfix "type:path" for the types whose
// source is this text file (texthash, hash, btree, lmdb, cdb, dbm: postmap's input
// file, without the ".db"). Throws SenderLoginMapError for other types.
std::string sender_login_map_path(std::string_view spec);

}  // namespace alignd
