// Helpers for the DKIM unit tests: test data files, and running a whole message
// through a DkimVerifier or DkimSigner in chunks as the milter would.
#pragma once
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "auth/dkim_signer.h"
#include "auth/dkim_verifier.h"
#include "core/message.h"
#include "dns/zone_file.h"
#include "dns/zone_resolver.h"

namespace alignd::testing {

inline std::string data_path(const std::string& name) {
  return std::string(ALIGND_SOURCE_DIR) + "/tests/data/dkim/" + name;
}

inline std::string read_data(const std::string& name) {
  std::ifstream in(data_path(name), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<DkimResult> verify_message(DkimContext& lib, Resolver& dns,
                                              const std::string& raw, int max_sigs = 5,
                                              size_t chunk = 7) {
  ParsedMessage m = parse_message(raw);
  DkimVerifier v(lib, dns, max_sigs);
  for (const auto& h : m.headers) v.header(h);
  v.end_of_headers();
  for (size_t i = 0; i < m.body.size(); i += chunk)
    v.body(std::string_view(m.body).substr(i, chunk));
  return v.finish();
}

inline std::vector<std::string> sign_message(DkimContext& lib, std::vector<const SigningKey*> keys,
                                             const std::string& raw, const SignOptions& opts = {},
                                             std::vector<std::string>* errors = nullptr) {
  ParsedMessage m = parse_message(raw);
  DkimSigner s(lib, std::move(keys), opts);
  for (const auto& h : m.headers) s.header(h);
  s.end_of_headers();
  for (size_t i = 0; i < m.body.size(); i += 4096) s.body(std::string_view(m.body).substr(i, 4096));
  auto out = s.finish();
  if (errors) *errors = s.errors();
  return out;
}

// The message with each signature value prepended as a DKIM-Signature field.
inline std::string prepend_signatures(const std::vector<std::string>& sigs,
                                      const std::string& raw) {
  std::string out;
  for (const auto& s : sigs) out += "DKIM-Signature: " + s + "\r\n";
  return out + to_crlf(raw);
}

}  // namespace alignd::testing
