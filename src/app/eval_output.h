// Renders one evaluated message for `alignd eval`: the human-readable form and
// the --json object (INTERFACE.md: keys verdict, spf, dkim, dmarc, headers,
// signatures — stable once shipped).
#pragma once
#include <string>

#include "core/evidence.h"
#include "milter/actions.h"

namespace alignd {

std::string eval_json(const Evidence& ev, const EomActions& a);
std::string eval_text(const Evidence& ev, const EomActions& a);

}  // namespace alignd
