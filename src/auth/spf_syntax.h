// RFC 7208 §4.6.1, §5, §6, §7.1 record syntax, checked before libspf2 sees a record:
// libspf2 accepts records the RFC makes a permerror (bad domain-spec, bad macros,
// modifiers twice, leading-zero CIDRs, non-ASCII...) and rejects some valid ones
// (unknown modifiers, /0 prefixes). The check also rewrites the record into a form
// libspf2 evaluates as RFC 7208 says (see SpfSyntax::rewritten). No DNS here.
#pragma once
#include <string>
#include <string_view>

namespace alignd {

struct SpfSyntax {
  bool ok = false;
  std::string error;  // why not ok
  // The record for libspf2: unknown modifiers dropped, redirect= moved last (it
  // applies only when no mechanism matched, §6.1), the CIDR length of the other
  // address family dropped from a/mx, "ip4:X/0" as two /1 networks, and "a/0" for
  // an IPv4 client as "exists:" (the same single A query).
  std::string rewritten;
  // An a/mx term with a zero prefix libspf2 cannot express (mx/0; a//0 for IPv6):
  // it is evaluated as an exact match. Documented in docs/spf.md.
  bool inexact = false;
};

// `record` is one TXT record selected by is_spf1_record(); `client_ipv6` selects
// which CIDR length of a dual-cidr-length applies (§5.3).
SpfSyntax check_spf_record(std::string_view record, bool client_ipv6);

// RFC 7208 §7.1 macro-string; `explanation` allows the c, r and t letters (§7.3)
// and spaces (exp= text, §6.2).
bool valid_macro_string(std::string_view s, bool explanation);

// RFC 7208 §7.1 domain-spec = macro-string domain-end.
bool valid_domain_spec(std::string_view s);

}  // namespace alignd
