// RFC 1035 §5 master files read with ldns (ldns_rr_new_frm_fp_l, one entry at a time,
// with line numbers); each record's owner and rdata are then turned into the text
// forms the resolvers hand out (dns/dns_name.h, dns/unbound_answer.h), so that zone
// data and libunbound answers look the same. Leaves out $INCLUDE and non-IN classes.
#include "dns/zone_file.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

// After the C++ headers: ldns/common.h defines `bool` for C, which breaks <optional>.
#include <ldns/ldns.h>

#include "dns/dns_name.h"
#include "dns/unbound_answer.h"

namespace alignd {

ZoneError::ZoneError(const std::string& src, int ln, const std::string& message)
    : std::runtime_error(src + ":" + std::to_string(ln) + ": " + message), source(src), line(ln) {}

bool is_query_type(RrType t) {
  switch (t) {
    case RrType::A:
    case RrType::NS:
    case RrType::CNAME:
    case RrType::PTR:
    case RrType::MX:
    case RrType::TXT:
    case RrType::AAAA: return true;
  }
  return false;
}

namespace {

constexpr uint32_t kDefaultTtl = 3600;
constexpr uint32_t kMaxTtl = 2147483647;  // RFC 2181 §8
constexpr uint16_t kRrsig = 46, kNsec = 47;
constexpr const char* kNoOrigin = "no-origin.alignd.invalid.";

bool relative(std::string_view text) {
  std::string_view tail = kNoOrigin;
  return text == tail || text.find(std::string(".") + kNoOrigin) != std::string_view::npos ||
         text.find(std::string(" ") + kNoOrigin) != std::string_view::npos;
}

struct RrFree {
  void operator()(ldns_rr* rr) const { ldns_rr_free(rr); }
};
struct RdfFree {
  void operator()(ldns_rdf* rdf) const { ldns_rdf_deep_free(rdf); }
};
struct FileClose {
  void operator()(FILE* f) const { std::fclose(f); }
};
using RrPtr = std::unique_ptr<ldns_rr, RrFree>;

// ldns reads C strings: a NUL or other control character would be cut or misread, so
// they are refused first. CRLF line ends become LF (ldns takes only LF).
std::string clean_input(std::string_view text, const std::string& src) {
  std::string out;
  out.reserve(text.size());
  int line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n') ++line;
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
      throw ZoneError(src, line, "control character \\" + std::to_string(c) + " in input");
    out += static_cast<char>(c);
  }
  return out;
}

std::string rdf_text(const ldns_rdf* rdf) {
  char* s = ldns_rdf2str(rdf);
  std::string out = s ? s : "";
  std::free(s);
  return out;
}

// The record's rdata in wire form: ldns keeps each field in wire form already.
std::string wire_rdata(const ldns_rr* rr) {
  std::string out;
  for (size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
    const ldns_rdf* f = ldns_rr_rdf(rr, i);
    out.append(reinterpret_cast<const char*>(ldns_rdf_data(f)), ldns_rdf_size(f));
  }
  return out;
}

class Parser {
 public:
  explicit Parser(const std::string& source) : src_(source) {}

  std::vector<ZoneRecord> run(std::string text) {
    if (text.empty()) return {};
    std::unique_ptr<FILE, FileClose> fp(fmemopen(text.data(), text.size(), "r"));
    if (!fp) throw ZoneError(src_, 0, "cannot read zone text");
    // Until a $ORIGIN, relative names get a placeholder origin (ldns would make them
    // absolute at the root) so that they can be refused; ldns frees the one it replaces.
    ldns_rdf* origin = ldns_dname_new_frm_str(kNoOrigin);
    ldns_rdf* prev = nullptr;  // the last owner, for entries starting with a blank
    uint32_t default_ttl = kDefaultTtl;
    int line = 0;  // ldns counts lines here; errors use entry_line() instead
    try {
      while (!std::feof(fp.get())) {
        int first = entry_line(text, std::ftell(fp.get()));
        ldns_rr* raw = nullptr;
        ldns_status st = ldns_rr_new_frm_fp_l(&raw, fp.get(), &default_ttl, &origin, &prev, &line);
        RrPtr rr(raw);
        switch (st) {
          case LDNS_STATUS_OK: entry(rr.get(), first); break;
          case LDNS_STATUS_SYNTAX_EMPTY:
          case LDNS_STATUS_SYNTAX_TTL:
          case LDNS_STATUS_SYNTAX_ORIGIN: break;
          case LDNS_STATUS_SYNTAX_INCLUDE: fail(first, "$INCLUDE is not supported");
          default:
            // A read error at the end of the text (a last line of spaces) is no entry.
            if (std::feof(fp.get()) && st == LDNS_STATUS_SYNTAX_ERR && blank_tail(text)) break;
            fail(first,
                 std::string(ldns_get_errorstr_by_id(st)) + ": '" + line_text(text, first) + "'");
        }
      }
    } catch (...) {
      RdfFree{}(origin);
      RdfFree{}(prev);
      throw;
    }
    RdfFree{}(origin);
    RdfFree{}(prev);
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(int line, const std::string& msg) const {
    throw ZoneError(src_, line, msg);
  }

  // The line where the entry starting at byte `pos` has its first token (ldns's own
  // count is off by one after some comment lines).
  static int entry_line(const std::string& text, long pos) {
    size_t i = pos < 0 ? 0 : std::min(static_cast<size_t>(pos), text.size());
    int line =
        1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(i), '\n'));
    while (i < text.size()) {
      char c = text[i];
      if (c == '\n') {
        ++line;
      } else if (c == ';') {
        while (i < text.size() && text[i] != '\n') ++i;
        continue;
      } else if (c != ' ' && c != '\t') {
        break;
      }
      ++i;
    }
    return line;
  }

  // Line n (from 1) of the text, shortened, for error messages.
  static std::string line_text(const std::string& text, int n) {
    size_t start = 0;
    for (int i = 1; i < n && start != std::string::npos; ++i) {
      start = text.find('\n', start);
      if (start != std::string::npos) ++start;
    }
    if (start == std::string::npos) return {};
    std::string l = text.substr(start, text.find('\n', start) - start);
    if (l.size() > 80) l = l.substr(0, 77) + "...";
    return l;
  }

  static bool blank_tail(const std::string& text) {
    size_t nl = text.rfind('\n');
    for (size_t i = nl == std::string::npos ? 0 : nl + 1; i < text.size(); ++i)
      if (text[i] != ' ' && text[i] != '\t') return false;
    return true;
  }

  void entry(const ldns_rr* rr, int line) {
    if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) fail(line, "unsupported class (only IN)");
    const ldns_rdf* owner_rdf = ldns_rr_owner(rr);
    std::string owner_wire(reinterpret_cast<const char*>(ldns_rdf_data(owner_rdf)),
                           ldns_rdf_size(owner_rdf));
    size_t pos = 0;
    auto owner = wire_name_to_text(owner_wire, pos);
    if (!owner || pos != owner_wire.size()) fail(line, "malformed owner name");
    if (relative(*owner)) fail(line, "relative owner name, '@' or a blank owner, and no $ORIGIN");
    if (*owner == ".")
      fail(line, "the root '.' cannot own records here (a blank owner needs a previous one)");
    uint32_t ttl = ldns_rr_ttl(rr);
    if (ttl > kMaxTtl) fail(line, "TTL " + std::to_string(ttl) + " too large (RFC 2181 §8)");
    auto type = static_cast<RrType>(ldns_rr_get_type(rr));
    std::string data;
    if (is_query_type(type)) {
      std::string wire = wire_rdata(rr);
      auto text = rdata_to_text(type, wire);
      if (!text) fail(line, "malformed " + std::string(to_string(type)) + " data");
      data = std::move(*text);
    } else {
      for (size_t i = 0; i < ldns_rr_rd_count(rr); ++i)
        data += (i ? " " : "") + rdf_text(ldns_rr_rdf(rr, i));
    }
    if (type != RrType::TXT && relative(data))
      fail(line, "relative name in the data and no $ORIGIN");
    check_cname_rule(*owner, static_cast<uint16_t>(type), line);
    out_.push_back({*owner, type, ttl, std::move(data)});
  }

  // RFC 1034 §3.6.2 / RFC 2181 §10.1: a CNAME owner has no other data (DNSSEC's RRSIG
  // and NSEC aside, RFC 4035 §2.5).
  void check_cname_rule(const std::string& owner, uint16_t type, int line) {
    if (type == kRrsig || type == kNsec) return;
    auto& seen = owners_[owner];
    if (type == static_cast<uint16_t>(RrType::CNAME)) {
      if (seen.cname) fail(line, "second CNAME for " + owner);
      if (seen.other) fail(line, "CNAME at " + owner + ", which has other data");
      seen.cname = true;
    } else {
      if (seen.cname) fail(line, owner + " has a CNAME and cannot have other data");
      seen.other = true;
    }
  }

  struct OwnerSeen {
    bool cname = false, other = false;
  };
  const std::string& src_;
  std::vector<ZoneRecord> out_;
  std::map<std::string, OwnerSeen> owners_;
};

}  // namespace

std::vector<ZoneRecord> parse_zone(std::string_view text, const std::string& source) {
  return Parser(source).run(clean_input(text, source));
}

std::vector<ZoneRecord> load_zone_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ZoneError(path, 0, "cannot open zone file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw ZoneError(path, 0, "cannot read zone file");
  return parse_zone(ss.str(), path);
}

}  // namespace alignd
