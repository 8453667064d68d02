// The one DKIM key lookup; see dkim_key_lookup.h.
#include "auth/dkim_key_lookup.h"

#include <cstring>

namespace alignd {

namespace {

DkimKeyAnswer fail(DkimKeyAnswer a, Outcome o, std::string why) {
  a.outcome = o;
  a.reason = std::move(why);
  return a;
}

}  // namespace

DkimKeyAnswer fetch_dkim_key_record(Resolver& dns, std::string_view selector,
                                    std::string_view domain) {
  DkimKeyAnswer a;
  if (!valid_key_name_part(selector) || !valid_key_name_part(domain))
    return fail(std::move(a), Outcome::PermError, "invalid selector or domain for a key lookup");
  a.name = std::string(selector) + "._domainkey." + std::string(domain);
  if (a.name.back() == '.') a.name.pop_back();
  DnsAnswer d = dns.query(a.name, RrType::TXT);
  const std::string detail = d.error.empty() ? "" : ": " + d.error;
  switch (d.status) {
    case DnsStatus::Ok: break;
    case DnsStatus::NxDomain:
    case DnsStatus::NoData:
      return fail(std::move(a), Outcome::PermError,
                  "no key for signature (" + a.name + " " + std::string(to_string(d.status)) + ")");
    case DnsStatus::TempFail:
      return fail(std::move(a), Outcome::TempError,
                  "key lookup " + a.name + " failed temporarily" + detail);
    case DnsStatus::PermFail:
      return fail(std::move(a), Outcome::PermError, "key lookup " + a.name + " failed" + detail);
  }
  if (d.records.empty())
    return fail(std::move(a), Outcome::PermError, "no key for signature (" + a.name + ")");
  a.record = std::move(d.records.front());
  if (std::memchr(a.record.data(), '\0', a.record.size()) != nullptr)
    return fail(std::move(a), Outcome::PermError,
                "key record at " + a.name + " is unusable (NUL byte)");
  return a;
}

DkimKeyAnswer lookup_dkim_key(Resolver& dns, DkimKeyCache* keys, std::string_view selector,
                              std::string_view domain) {
  DkimKeyAnswer a = fetch_dkim_key_record(dns, selector, domain);
  if (a.outcome != Outcome::None) return a;
  a.key = keys ? keys->get(a.record)
               : std::make_shared<const DkimPublicKey>(
                     parse_dkim_key_record(a.record, /*accept_bare_rsa=*/true));
  if (!a.key->pkey) {
    std::string why = a.key->error;
    return fail(std::move(a), Outcome::PermError, std::move(why));
  }
  return a;
}

}  // namespace alignd
