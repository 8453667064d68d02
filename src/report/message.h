// The report mail (RFC 9990 §3.5.2): multipart/mixed with a short text/plain part
// and the application/gzip attachment named receiver!domain!begin!end!id.xml.gz;
// Subject "Report Domain: ... Submitter: ... Report-ID: <...>", the same Report-ID
// as Message-ID. LF line ends (for sendmail and .eml files). Leaves out signing:
// the MTA signs it through alignd.
#pragma once
#include <cstdint>
#include <string>

#include "core/report/aggregate.h"
#include "core/report/destination.h"

namespace alignd {

std::string base64_encode(std::string_view data, size_t line = 76);

struct ReportMail {
  std::string attachment_name;  // report_filename()
  std::string attachment_b64;   // the encoded attachment (what !size limits, RFC 7489 §7.2.1)
  std::string text;             // the whole message
};

ReportMail build_report_mail(const AggregateReport& r, const std::string& gz,
                             const std::string& to_address, std::int64_t now);

// RFC 5322 §3.3 date-time in UTC: "Sat, 21 Nov 2026 00:00:00 +0000".
std::string rfc5322_date(std::int64_t t);

}  // namespace alignd
