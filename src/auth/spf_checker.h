// SPF checks at their SMTP stages (RFC 7208): the HELO identity (§2.3) and the MAIL
// FROM identity (§2.4, null sender -> postmaster@HELO), IPv4 and IPv6 clients,
// evaluated by libspf2 over our Resolver. Leaves out policy (what to do with the
// result) and the trusted/authenticated skip (the Session decides whether to call).
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "core/results.h"
#include "dns/resolver.h"

namespace alignd {

// One per connection/thread; not shared across threads. Each check is an
// independent check_host() with its own limits (RFC 7208 §4.6.4).
class SpfChecker {
 public:
  // `receiver` is the authserv-id, used for the %{r} macro (§7.3).
  SpfChecker(Resolver& dns, std::string receiver);
  ~SpfChecker();
  SpfChecker(const SpfChecker&) = delete;
  SpfChecker& operator=(const SpfChecker&) = delete;

  // The resolver can change between messages (e.g. a per-message budget decorator);
  // it must outlive every check made after this call.
  void set_resolver(Resolver& dns);

  // RFC 7208 §2.3: `none` (checked) when the HELO is an address literal or not a FQDN.
  SpfResult check_helo(std::string_view client_ip, std::string_view helo);
  // RFC 7208 §2.4: `mail_from` without angle brackets; "" = null sender, checked as
  // postmaster@<helo>.
  SpfResult check_mail_from(std::string_view client_ip, std::string_view helo,
                            std::string_view mail_from);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// RFC 7208 §4.3: a domain SPF can check (multi-label, labels of 1..63 octets, at
// most 253 octets, not an address literal or a dotted quad).
bool spf_checkable_domain(std::string_view domain);

// RFC 7208 §9.1 Received-SPF field value, without the "Received-SPF: " name, e.g.
// pass (mx.example.net: domain of a@example.com designates 192.0.2.1 as permitted
// sender) client-ip=192.0.2.1; envelope-from="a@example.com"; helo=mail.example.com;
// receiver=mx.example.net; identity=mailfrom
// The identity is "helo" when r.identity has no '@' (a check_helo result).
std::string received_spf_value(const SpfResult& r, std::string_view client_ip,
                               std::string_view helo, std::string_view receiver);

}  // namespace alignd
