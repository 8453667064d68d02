// Test oracle: the libopendkim handle and its callbacks; see opendkim_library.h.
#include "oracle/opendkim_library.h"

#include <cstring>
#include <string>

#include "auth/dkim_key_lookup.h"
#include "oracle/opendkim_context.h"
#include "oracle/opendkim_h.h"

namespace alignd::oracle {

namespace {

using detail::LookupNote;
using detail::MessageContext;

// RFC 6376 §3.6.2.1: the key is the TXT record at <s>._domainkey.<d>.
DKIM_CBSTAT key_lookup(DKIM* dkim, DKIM_SIGINFO* sig, u_char* buf, size_t buflen) {
  auto* ctx = static_cast<MessageContext*>(dkim_get_user_context(dkim));
  if (ctx == nullptr || ctx->dns == nullptr || buflen == 0) return DKIM_CBSTAT_ERROR;
  auto note = [&](Outcome o, std::string reason) {
    ctx->notes[sig] = LookupNote{o, std::move(reason)};
    return DKIM_CBSTAT_NOTFOUND;  // libopendkim records "no key"; finish() applies the note
  };
  const char* sel = reinterpret_cast<const char*>(dkim_sig_getselector(sig));
  const char* dom = reinterpret_cast<const char*>(dkim_sig_getdomain(sig));
  // The one key lookup's DNS half (auth/dkim_key_lookup.h): same names, same
  // reasons; libopendkim decodes the record itself.
  DkimKeyAnswer a = fetch_dkim_key_record(*ctx->dns, sel ? sel : "", dom ? dom : "");
  if (a.outcome != Outcome::None) return note(a.outcome, a.reason);
  const std::string& rec = a.record;
  if (rec.size() + 1 > buflen)
    return note(Outcome::PermError, "key record at " + a.name + " is unusable (too long)");
  std::memcpy(buf, rec.data(), rec.size());
  buf[rec.size()] = '\0';
  return DKIM_CBSTAT_CONTINUE;
}

// Runs once the signatures are parsed, before any key lookup: enforces the
// per-message limit, and skips the key lookup for rsa-sha1 (RFC 8301 §3.1: never
// valid), which finish() reports as fail.
DKIM_CBSTAT prescreen(DKIM* dkim, DKIM_SIGINFO** sigs, int nsigs) {
  auto* ctx = static_cast<MessageContext*>(dkim_get_user_context(dkim));
  int limit = ctx ? ctx->max_signatures : 0;
  for (int i = 0; i < nsigs; ++i) {
    if (i >= limit) {
      dkim_sig_ignore(sigs[i]);
      continue;
    }
    dkim_alg_t alg = DKIM_SIGN_UNKNOWN;
    if (dkim_sig_getsignalg(sigs[i], &alg) == DKIM_STAT_OK && alg == DKIM_SIGN_RSASHA1 &&
        dkim_sig_geterror(sigs[i]) == DKIM_SIGERROR_UNKNOWN)
      dkim_sig_seterror(sigs[i], DKIM_SIGERROR_INVALID_A);
  }
  return DKIM_CBSTAT_CONTINUE;
}

template <typename T>
void set_option(DKIM_LIB* lib, int opt, T* value, size_t size, const char* what) {
  if (dkim_options(lib, DKIM_OP_SETOPT, opt, value, size) != DKIM_STAT_OK)
    throw std::runtime_error(std::string("libopendkim: cannot set option ") + what);
}

}  // namespace

OpenDkimLibrary::OpenDkimLibrary() {
  lib_ = dkim_init(nullptr, nullptr);
  if (lib_ == nullptr) throw std::runtime_error("libopendkim: dkim_init failed");
  try {
    if (!dkim_libfeature(lib_, DKIM_FEATURE_ED25519))
      throw std::runtime_error("libopendkim was built without ed25519-sha256 (RFC 8463)");
    // Malformed signatures still get a handle, so each is reported as permerror.
    u_int flags = DKIM_LIBFLAGS_BADSIGHANDLES;
    set_option(lib_, DKIM_OPTS_FLAGS, &flags, sizeof flags, "flags");
    u_int minbits = 1024;  // RFC 8301 §3.2, for the keys of signatures we verify
    set_option(lib_, DKIM_OPTS_MINKEYBITS, &minbits, sizeof minbits, "minkeybits");
    dkim_set_key_lookup(lib_, key_lookup);
    dkim_set_prescreen(lib_, prescreen);
  } catch (...) {
    dkim_close(lib_);
    throw;
  }
}

OpenDkimLibrary::~OpenDkimLibrary() {
  if (lib_ != nullptr) dkim_close(lib_);
}

}  // namespace alignd::oracle
