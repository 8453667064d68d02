// Evidence + Verdict -> MessageRecord; see record.h.
#include "core/simulate/record.h"

#include "core/text.h"

namespace alignd {

MessageRecord make_message_record(const Evidence& ev, const Verdict& v, std::int64_t unix_time,
                                  const std::vector<std::string>& keep) {
  MessageRecord r;
  r.time = unix_time;
  r.action = std::string(to_string(v.action));
  r.rule = v.rule;
  // Every fact decide() may read; the store's codec (store/message_codec.h) keeps
  // only those. Not kept: the SASL user name, the unverified PTR, other headers.
  r.ev = ev;
  Evidence& e = r.ev;
  e.auth_user.clear();
  e.client_ptr.clear();
  e.signing_refused.clear();
  e.headers.clear();
  for (const auto& h : ev.headers) {
    bool kept = false;
    for (const auto& k : keep) kept = kept || iequals(h.name, k);
    if (kept) e.headers.push_back({h.name, h.value.substr(0, 998)});
  }
  return r;
}

std::string message_source(const Evidence& ev) {
  if (!ev.client_names.empty()) return ev.client_names.front();
  return ev.client_ip.empty() ? "(local)" : ev.client_ip;
}

}  // namespace alignd
