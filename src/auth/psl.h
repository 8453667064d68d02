// The public suffix list through libpsl: the RFC 7489 §3.2 Organizational
// Domain (registrable domain) for DMARC compatibility mode. Loads Debian's
// publicsuffix data; knows nothing of DMARC itself.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace alignd {

class PublicSuffixList {
 public:
  // `path` = "" picks the newest of libpsl's built-in list and the system file
  // (psl_latest); otherwise the .dat (or .dafsa) file is loaded. Throws
  // std::runtime_error when it cannot be loaded (start-up misconfiguration).
  static PublicSuffixList load(const std::string& path = "");

  // Registrable domain ("example.co.uk" for "a.b.example.co.uk"), lowercase,
  // for A-label or UTF-8 input; "" when the name is itself a public suffix or
  // is not a valid name.
  std::string registrable_domain(std::string_view domain) const;
  bool is_public_suffix(std::string_view domain) const;
  // registrable_domain as a function for DmarcOptions::psl_org_domain; the
  // list stays alive as long as the function does.
  std::function<std::string(std::string_view)> org_domain_function() const;
  const std::string& source() const { return source_; }

 private:
  struct Ctx;
  std::shared_ptr<const Ctx> ctx_;
  std::string source_;
};

}  // namespace alignd
