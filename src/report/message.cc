// MIME assembly for report mail (RFC 2045/2046, RFC 2047 for a non-ASCII name).
#include "report/message.h"

#include <ctime>

namespace alignd {

namespace {

bool plain_ascii(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return false;
  }
  return true;
}

// A display name as a quoted-string, or an RFC 2047 encoded-word if not ASCII.
std::string display_name(std::string_view name) {
  if (name.empty()) return "";
  if (!plain_ascii(name)) return "=?utf-8?b?" + base64_encode(name, 0) + "?=";
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string utc(std::int64_t t, const char* fmt) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

}  // namespace

std::string base64_encode(std::string_view data, size_t line) {
  static const char* const k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t col = 0;
  for (size_t i = 0; i < data.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
    if (i + 2 < data.size()) n |= static_cast<unsigned char>(data[i + 2]);
    out += k[(n >> 18) & 63];
    out += k[(n >> 12) & 63];
    out += i + 1 < data.size() ? k[(n >> 6) & 63] : '=';
    out += i + 2 < data.size() ? k[n & 63] : '=';
    col += 4;
    if (line && col >= line && i + 3 < data.size()) {
      out += '\n';
      col = 0;
    }
  }
  return out;
}

std::string rfc5322_date(std::int64_t t) {
  return utc(t, "%a, %d %b %Y %H:%M:%S +0000");
}

ReportMail build_report_mail(const AggregateReport& r, const std::string& gz,
                             const std::string& to_address, std::int64_t now) {
  ReportMail m;
  m.attachment_name = report_filename(r);
  m.attachment_b64 = base64_encode(gz);
  const std::string boundary = "=_alignd_" + r.unique_id;
  std::string from = r.meta.org_name.empty()
                         ? "<" + r.meta.email + ">"
                         : display_name(r.meta.org_name) + " <" + r.meta.email + ">";
  std::string& t = m.text;
  t += "From: " + from + "\n";
  t += "To: <" + to_address + ">\n";
  // RFC 9990 §3.5.2 dmarc-subject, folded at the FWS the ABNF allows.
  t += "Subject: Report Domain: " + r.period.policy_domain + "\n Submitter: " + r.meta.receiver +
       "\n Report-ID: <" + r.report_id + ">\n";
  t += "Date: " + rfc5322_date(now) + "\n";
  t += "Message-ID: <" + r.report_id + ">\n";
  t += "Auto-Submitted: auto-generated\n";  // RFC 3834: no auto-replies
  t += "MIME-Version: 1.0\n";
  t += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\n";
  t += "\n";
  t += "This is a MIME-formatted DMARC aggregate report.\n";
  t += "\n--" + boundary + "\n";
  t += "Content-Type: text/plain; charset=utf-8\n";
  t += "Content-Transfer-Encoding: 8bit\n\n";
  t += "DMARC aggregate report for " + r.period.policy_domain + "\n";
  t += "Submitter: " + r.meta.receiver + "\n";
  t += "Report-ID: <" + r.report_id + ">\n";
  t += "Period: " + utc(r.period.begin, "%Y-%m-%d %H:%M:%S") + " to " +
       utc(r.period.end - 1, "%Y-%m-%d %H:%M:%S") + " UTC\n";
  t += "Messages: " + std::to_string(r.message_count) + " in " + std::to_string(r.rows.size()) +
       " rows\n";
  t += "\n--" + boundary + "\n";
  t += "Content-Type: application/gzip; name=\"" + m.attachment_name + "\"\n";
  t += "Content-Transfer-Encoding: base64\n";
  t += "Content-Disposition: attachment; filename=\"" + m.attachment_name + "\"\n\n";
  t += m.attachment_b64 + "\n";
  t += "\n--" + boundary + "--\n";
  return m;
}

}  // namespace alignd
