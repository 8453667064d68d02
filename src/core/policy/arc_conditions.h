// Policy conditions on ARC (RFC 8617; docs/arc.md): the chain status, whether the
// newest seal is by a trusted sealer, whether a trusted sealer recorded DMARC pass
// for the author domain, and what the trusted sealers' ARC-Authentication-Results
// recorded for dmarc/spf/dkim. Compiled by conditions.cc's table; the trust itself
// is decided in core/arc/trust.h and carried in Evidence::arc.
#pragma once
#include <string>

#include <toml++/toml.h>

#include "core/policy/reader.h"
#include "core/policy/rule.h"

namespace alignd::policy {

Condition arc_result(const Reader& r, const std::string& key, const toml::node& n);
Condition arc_trusted_sealer(const Reader& r, const std::string& key, const toml::node& n);
Condition arc_trusted_pass(const Reader& r, const std::string& key, const toml::node& n);
// arc_trusted_dmarc / arc_trusted_spf / arc_trusted_dkim: the method is the key's suffix.
Condition arc_trusted_recorded(const Reader& r, const std::string& key, const toml::node& n);

}  // namespace alignd::policy
