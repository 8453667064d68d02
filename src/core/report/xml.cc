// XML serialisation of aggregate reports. Element order follows the schemas:
// RFC 9990 Appendix A (and §3.1.1.2–§3.1.1.14 tables), RFC 7489 Appendix C.
#include "core/report/xml.h"

#include <cstdio>

#include "core/cidr.h"

namespace alignd {

namespace {

class Xml {
 public:
  void open(std::string_view name, std::string_view attrs = "") {
    indent();
    out_ += '<';
    out_ += name;
    if (!attrs.empty()) {
      out_ += ' ';
      out_ += attrs;
    }
    out_ += ">\n";
    ++depth_;
  }
  void close(std::string_view name) {
    --depth_;
    indent();
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  void leaf(std::string_view name, std::string_view text) {
    indent();
    out_ += '<';
    out_ += name;
    out_ += '>';
    out_ += xml_escape(text);
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  std::string& str() { return out_; }

 private:
  void indent() { out_.append(static_cast<size_t>(depth_) * 2, ' '); }
  std::string out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  int depth_ = 0;
};

std::string or_default(const std::string& v, const std::string& def) {
  return v.empty() ? def : v;
}

// RFC 7489's schema only accepts dotted quads and uncompressed IPv6.
std::string legacy_ip(const std::string& ip) {
  auto parsed = parse_ip(ip);
  if (!parsed) return ip;
  const auto& [v6, b] = *parsed;
  char buf[64];
  if (!v6) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
  } else {
    std::snprintf(buf, sizeof buf, "%x:%x:%x:%x:%x:%x:%x:%x", b[0] << 8 | b[1], b[2] << 8 | b[3],
                  b[4] << 8 | b[5], b[6] << 8 | b[7], b[8] << 8 | b[9], b[10] << 8 | b[11],
                  b[12] << 8 | b[13], b[14] << 8 | b[15]);
  }
  return buf;
}

// Override types each schema knows; anything else becomes "other" with the
// original type kept in the comment.
OverrideReason map_reason(const OverrideReason& o, ReportFormat f) {
  static const char* const k9990[] = {"local_policy", "mailing_list", "other", "policy_test_mode",
                                      "trusted_forwarder"};
  static const char* const k7489[] = {"forwarded",    "sampled_out",  "trusted_forwarder",
                                      "mailing_list", "local_policy", "other"};
  bool known = false;
  if (f == ReportFormat::Rfc9990) {
    for (const char* t : k9990) known = known || o.type == t;
  } else {
    for (const char* t : k7489) known = known || o.type == t;
  }
  if (known) return o;
  return {"other", o.type + (o.comment.empty() ? "" : ": " + o.comment)};
}

void write_policy(Xml& x, const AggregateReport& r, ReportFormat f) {
  const PublishedPolicy& pp = r.policy;
  std::string p = or_default(pp.p, "none");
  std::string sp = or_default(pp.sp, p);
  std::string np = or_default(pp.np, sp);
  x.open("policy_published");
  x.leaf("domain", r.period.policy_domain);
  if (f == ReportFormat::Rfc9990) {
    x.leaf("discovery_method", or_default(pp.discovery, "treewalk"));
    x.leaf("p", p);
    x.leaf("sp", sp);
    x.leaf("np", np);
    if (!pp.fo.empty() && pp.fo != "0") x.leaf("fo", pp.fo);
    x.leaf("adkim", or_default(pp.adkim, "r"));
    x.leaf("aspf", or_default(pp.aspf, "r"));
    x.leaf("testing", or_default(pp.testing, "n"));
  } else {
    x.leaf("adkim", or_default(pp.adkim, "r"));
    x.leaf("aspf", or_default(pp.aspf, "r"));
    x.leaf("p", p);
    x.leaf("sp", sp);
    x.leaf("pct", or_default(pp.pct, "100"));
    x.leaf("fo", or_default(pp.fo, "0"));
  }
  x.close("policy_published");
}

void write_record(Xml& x, const ReportRow& row, ReportFormat f) {
  const bool v2 = f == ReportFormat::Rfc9990;
  x.open("record");
  x.open("row");
  x.leaf("source_ip", v2 ? row.source_ip : legacy_ip(row.source_ip));
  x.leaf("count", std::to_string(row.count));
  x.open("policy_evaluated");
  x.leaf("disposition",
         v2 && row.pass_enforced && row.disposition == "none" ? "pass" : row.disposition);
  x.leaf("dkim", row.dkim_aligned ? "pass" : "fail");
  x.leaf("spf", row.spf_aligned ? "pass" : "fail");
  for (const auto& o : row.reasons) {
    OverrideReason m = map_reason(o, f);
    x.open("reason");
    x.leaf("type", m.type);
    if (!m.comment.empty()) x.leaf("comment", m.comment);
    x.close("reason");
  }
  x.close("policy_evaluated");
  x.close("row");

  x.open("identifiers");
  if (v2) {
    x.leaf("header_from", row.header_from);
    x.leaf("envelope_from", row.envelope_from);  // may be empty: null sender (§3.1.1.10)
    if (!row.envelope_to.empty()) x.leaf("envelope_to", row.envelope_to);
  } else {
    if (!row.envelope_to.empty()) x.leaf("envelope_to", row.envelope_to);
    x.leaf("envelope_from", row.envelope_from);
    x.leaf("header_from", row.header_from);
  }
  x.close("identifiers");

  x.open("auth_results");
  for (const auto& d : row.dkim) {
    x.open("dkim");
    x.leaf("domain", d.domain);
    x.leaf("selector", d.selector);
    x.leaf("result", d.result);
    if (!d.human_result.empty()) x.leaf("human_result", d.human_result);
    x.close("dkim");
  }
  if (v2) {
    if (!row.spf_result.empty()) {
      x.open("spf");
      x.leaf("domain", row.spf_domain);
      if (row.spf_scope == "mfrom") x.leaf("scope", "mfrom");
      x.leaf("result", row.spf_result);
      if (!row.spf_human.empty()) x.leaf("human_result", row.spf_human);
      x.close("spf");
    }
  } else {
    // RFC 7489 requires one SPF result; "none" when no check ran.
    std::string result = row.spf_result.empty() ? "none" : row.spf_result;
    if (result == "policy") result = "fail";
    x.open("spf");
    x.leaf("domain", row.spf_result.empty() ? row.envelope_from : row.spf_domain);
    x.leaf("scope", row.spf_scope == "helo" ? "helo" : "mfrom");
    x.leaf("result", result);
    x.close("spf");
  }
  x.close("auth_results");
  x.close("record");
}

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

std::string report_xml(const AggregateReport& r, ReportFormat f) {
  const bool v2 = f == ReportFormat::Rfc9990;
  Xml x;
  // Legacy reports carry no namespace: that is what RFC 7489 reporters send and
  // consumers expect (Mail::DMARC, OpenDMARC). RFC 7489's schema names
  // http://dmarc.org/dmarc-xml/0.1 but, as published, cannot be compiled with it
  // (its type references resolve to no namespace); see docs/reports.md.
  const char* root = "feedback";
  x.open(root, v2 ? "xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"" : "");
  x.leaf("version", "1.0");
  x.open("report_metadata");
  x.leaf("org_name", r.meta.org_name);
  x.leaf("email", r.meta.email);
  if (!r.meta.extra_contact_info.empty()) x.leaf("extra_contact_info", r.meta.extra_contact_info);
  x.leaf("report_id", r.report_id);
  x.open("date_range");
  x.leaf("begin", std::to_string(r.period.begin));
  x.leaf("end", std::to_string(r.period.end - 1));
  x.close("date_range");
  if (!r.policy.errors.empty()) x.leaf("error", r.policy.errors);
  if (v2 && !r.meta.generator.empty()) x.leaf("generator", r.meta.generator);
  x.close("report_metadata");
  write_policy(x, r, f);
  for (const auto& row : r.rows) write_record(x, row, f);
  x.close(root);
  return std::move(x.str());
}

}  // namespace alignd
