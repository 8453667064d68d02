// An AggregateReport as XML: RFC 9990 Appendix A (namespace
// urn:ietf:params:xml:ns:dmarc-2.0) or the legacy RFC 7489 Appendix C format
// (no namespace, as RFC 7489 reporters send it) for consumers that still need it.
// Pure text building; compression and mail live in src/report.
#pragma once
#include <string>
#include <string_view>

#include "core/report/aggregate.h"
#include "core/report/period.h"

namespace alignd {

std::string report_xml(const AggregateReport& r, ReportFormat format);

// XML character data / attribute escaping; control characters other than TAB,
// LF, CR are dropped (they are not allowed in XML 1.0).
std::string xml_escape(std::string_view s);

}  // namespace alignd
