// libpsl adapter: psl_ctx_t held in RAII, queried with lowercase names.
#include "auth/psl.h"

#include <libpsl.h>

#include <stdexcept>

#include "core/text.h"

namespace alignd {

struct PublicSuffixList::Ctx {
  psl_ctx_t* psl = nullptr;
  ~Ctx() { psl_free(psl); }
};

PublicSuffixList PublicSuffixList::load(const std::string& path) {
  auto ctx = std::make_shared<Ctx>();
  ctx->psl = path.empty() ? psl_latest(nullptr) : psl_load_file(path.c_str());
  if (!ctx->psl)
    throw std::runtime_error("cannot load the public suffix list" +
                             (path.empty() ? std::string() : " from " + path));
  PublicSuffixList l;
  l.ctx_ = std::move(ctx);
  l.source_ = path.empty() ? "libpsl latest (" + std::string(psl_dist_filename()) + ")" : path;
  return l;
}

std::string PublicSuffixList::registrable_domain(std::string_view domain) const {
  std::string d = normalize_domain(domain);
  if (d.empty() || d.find('\0') != std::string::npos) return "";
  const char* r = psl_registrable_domain(ctx_->psl, d.c_str());
  return r ? std::string(r) : std::string();
}

bool PublicSuffixList::is_public_suffix(std::string_view domain) const {
  std::string d = normalize_domain(domain);
  if (d.empty() || d.find('\0') != std::string::npos) return false;
  return psl_is_public_suffix(ctx_->psl, d.c_str()) != 0;
}

std::function<std::string(std::string_view)> PublicSuffixList::org_domain_function() const {
  auto self = *this;
  return [self](std::string_view d) { return self.registrable_domain(d); };
}

}  // namespace alignd
