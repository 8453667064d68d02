// spf_probe: a test-only driver for the RFC 7208 suite runner, with the flags and the
// "spf" part of the JSON of `alignd eval` (ZoneResolver + SpfChecker only; no
// message, DKIM, DMARC or policy). The message file argument is accepted and ignored.
//   spf_probe --dns-zone Z --client-ip IP [--helo H] [--mail-from A] [--json] [MSG]
#include <cstdio>
#include <iostream>
#include <string>

#include "auth/spf_checker.h"
#include "dns/zone_file.h"
#include "dns/zone_resolver.h"

namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string result_json(const alignd::SpfResult& r) {
  return "{\"result\": " + json_string(alignd::to_string(r.result)) +
         ", \"domain\": " + json_string(r.domain) + ", \"identity\": " + json_string(r.identity) +
         ", \"explanation\": " + json_string(r.explanation) +
         ", \"reason\": " + json_string(r.reason) + "}";
}

}  // namespace

int main(int argc, char** argv) {
  std::string zone, ip, helo, mail_from;
  bool have_from = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) {
        std::cerr << "spf_probe: " << a << " needs a value\n";
        std::exit(2);
      }
      out = argv[++i];
    };
    if (a == "--dns-zone")
      value(zone);
    else if (a == "--client-ip")
      value(ip);
    else if (a == "--helo")
      value(helo);
    else if (a == "--mail-from") {
      value(mail_from);
      have_from = true;
    } else if (a == "--json") {
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      std::cerr << "spf_probe: unknown option " << a << "\n";
      return 2;
    }
  }
  if (zone.empty() || ip.empty()) {
    std::cerr << "usage: spf_probe --dns-zone FILE --client-ip IP [--helo H] [--mail-from A] "
                 "[--json] [MESSAGE]\n";
    return 2;
  }
  try {
    alignd::ZoneResolver dns(alignd::load_zone_file(zone));
    alignd::SpfChecker spf(dns, "receiver.example");
    alignd::SpfResult h = spf.check_helo(ip, helo);
    alignd::SpfResult m;
    if (have_from) m = spf.check_mail_from(ip, helo, mail_from);
    std::cout << "{\"spf\": {\"helo\": " << result_json(h) << ", \"mailfrom\": " << result_json(m)
              << "}, \"received_spf\": "
              << json_string(alignd::received_spf_value(m, ip, helo, "receiver.example")) << "}\n";
  } catch (const std::exception& e) {
    std::cerr << "spf_probe: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
