// libspf2's DNS layer backed by our Resolver: a custom SPF_dns_server_t whose lookup
// asks the Resolver (cache, timeouts, zone data) and builds SPF_dns_rr_t answers.
// It also enforces the RFC 7208 §4.6.4 limits libspf2 gets wrong (10 DNS-querying
// terms across includes, 2 void lookups, >10 MX, PTR beyond 10 ignored) and the
// §6.2 rule for exp= (several TXT records = no explanation). Not thread-safe: one
// per SpfChecker. Leaves out the evaluation itself (libspf2) and result mapping.
#pragma once
#include <deque>
#include <optional>
#include <string>

#include "auth/spf_libspf2.h"
#include "dns/resolver.h"

namespace alignd {

struct SpfLimits {
  int max_terms = 10;  // "include", "a", "mx", "ptr", "exists", "redirect" (§4.6.4)
  int max_void = 2;    // lookups answering NXDOMAIN or no records (§4.6.4)
  int max_mx = 10;     // MX records for one "mx" term: more is a permerror
  int max_ptr = 10;    // PTR names examined for "ptr" / %{p}: the rest ignored
};

class SpfDnsAdapter {
 public:
  explicit SpfDnsAdapter(Resolver& dns, SpfLimits limits = {});
  SpfDnsAdapter(const SpfDnsAdapter&) = delete;
  SpfDnsAdapter& operator=(const SpfDnsAdapter&) = delete;

  void set_resolver(Resolver& dns) { dns_ = &dns; }
  Resolver& resolver() { return *dns_; }

  // The libspf2 DNS layer. `destroy` is NULL: SPF_server_free leaves it to us.
  SPF_dns_server_t* server() { return &server_; }

  // Starts a new check_host() evaluation: counters and the limit error cleared.
  void begin_check();
  // Set once a §4.6.4 limit was exceeded; from then on every lookup answers
  // TRY_AGAIN so libspf2 stops, and the caller turns its result into permerror.
  const std::optional<std::string>& limit_error() const { return limit_error_; }
  int terms() const { return terms_; }
  int void_lookups() const { return void_lookups_; }
  // The last exp= text used an upper-case macro letter (URL-escaped, §7.3).
  bool exp_upper_macro() const { return exp_upper_macro_; }
  // A record of this check held an a/mx zero prefix evaluated as exact (spf_syntax.h).
  bool inexact() const { return inexact_; }
  void note_inexact(bool v) { inexact_ |= v; }

 private:
  static SPF_dns_rr_t* lookup_cb(SPF_dns_server_t* s, const char* domain, ns_type type,
                                 int should_cache);
  static SPF_errcode_t get_spf_cb(SPF_server_t* server, SPF_request_t* request,
                                  SPF_response_t* response, SPF_record_t** record);
  SPF_dns_rr_t* lookup(const char* domain, ns_type type, bool should_cache);
  SPF_errcode_t get_spf(SPF_server_t* server, SPF_request_t* request, SPF_response_t* response,
                        SPF_record_t** record);
  // Counts one DNS-querying term; false (and limit_error_ set) past the limit.
  bool count_term(const std::string& what);
  void exceed(std::string why);

  Resolver* dns_;
  SpfLimits limits_;
  SPF_dns_server_t server_{};
  int terms_ = 0;
  int void_lookups_ = 0;
  // Names whose address lookups continue the current "mx"/"ptr" term or %{p}
  // expansion (in the order libspf2 asks for them), so they are not new terms.
  std::deque<std::string> followups_;
  bool followups_from_p_ = false;    // %{p} lookups are not void lookups of a term
  bool followups_from_ptr_ = false;  // names from a PTR answer ("ptr" or %{p}), not MX
  bool exp_upper_macro_ = false;
  bool inexact_ = false;
  std::optional<std::string> limit_error_;
};

}  // namespace alignd
