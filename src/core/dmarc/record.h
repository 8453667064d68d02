// DMARC Policy Record parsing (RFC 9989 §4.7, §4.8), keeping the RFC 7489 §6.3
// tags that RFC 9989 removed (pct, ri, rf) for compatibility mode and reports.
// Pure text in, values out; which record applies is discovery's job.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dmarc/requested_policy.h"

namespace alignd {

enum class Alignment { Relaxed, Strict };  // adkim= / aspf= "r" | "s"
enum class PsdFlag { Unknown, Yes, No };   // psd= "u" (default) | "y" | "n"

std::string_view to_string(Alignment a);  // "r" | "s"
std::string_view to_string(PsdFlag f);    // "u" | "y" | "n"

// One DMARC reporting URI (RFC 9989 §4.6, §4.8 dmarc-uri / obs-dmarc-uri).
struct ReportUri {
  std::string uri;         // without the size suffix
  std::string scheme;      // lowercase, e.g. "mailto"
  uint64_t max_bytes = 0;  // RFC 7489 §6.4 "!size[kmgt]" (powers of two); 0 = no limit
};

struct DmarcRecord {
  std::string text;  // as published (TXT strings concatenated)

  // Assessment policies as written; nullopt when absent or invalid (see *_invalid).
  std::optional<RequestedPolicy> p, sp, np;
  bool p_invalid = false, sp_invalid = false, np_invalid = false;

  PsdFlag psd = PsdFlag::Unknown;
  bool testing = false;  // t=y
  Alignment adkim = Alignment::Relaxed;
  Alignment aspf = Alignment::Relaxed;
  std::vector<ReportUri> rua, ruf;  // the syntactically valid URIs, in order
  std::string fo = "0";             // failure-report options as published (default "0")

  // RFC 7489 tags, removed by RFC 9989 (Appendix C.5.2); kept as parsed.
  std::optional<int> pct;       // 0..100; absent = 100
  std::optional<uint32_t> ri;   // seconds; absent = 86400
  std::vector<std::string> rf;  // e.g. {"afrf"}; absent = {"afrf"}

  // Tag-level syntax problems (ignored per §4.8), for logs and RFC 9990 <error>.
  std::vector<std::string> errors;
  std::vector<std::string> unknown_tags;  // ignored per §4.7

  // RFC 9989 §4.10.1: a record without a valid p=, or with an invalid sp= or np=,
  // applies as p=none only when rua= holds at least one valid URI.
  bool policy_valid() const { return p && !sp_invalid && !np_invalid; }
};

struct DmarcParse {
  enum class Status {
    Ok,        // a DMARC record (it may still carry tag errors, see DmarcRecord::errors)
    NotDmarc,  // does not start with v=DMARC1: not a DMARC record, to be discarded (§4.7 v)
  };
  Status status = Status::NotDmarc;
  DmarcRecord record;
  std::string error;  // why NotDmarc
  bool ok() const { return status == Status::Ok; }
};

DmarcParse parse_dmarc_record(std::string_view txt);

// RFC 9989 §4.8 dmarc-uri with the optional obsolete "!size" suffix. nullopt when
// the text is not an absolute URI (scheme ":" non-empty rest, no spaces) or the
// suffix is malformed or overflows 64 bits.
std::optional<ReportUri> parse_report_uri(std::string_view s);

}  // namespace alignd
