// The status page's HTML and SVG; see status_page.h.
#include "app/status_page.h"

#include <ctime>
#include <map>

namespace alignd {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

std::string fmt_pct(std::int64_t pass, std::int64_t total) {
  if (total == 0) return "–";
  char b[16];
  std::snprintf(b, sizeof b, "%.1f%%", 100.0 * double(pass) / double(total));
  return b;
}

std::string utc_date(std::int64_t t) {
  return utc_time(t).substr(0, 10);
}

const char* kStyle = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}
h1{font-size:1.4em;margin:0 0 .2em} h2{font-size:1.15em;margin:1.4em 0 .4em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;background:#fff} td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f0f0f0} .muted{color:#777} .charts{display:flex;flex-wrap:wrap;gap:1em}
.chart{background:#fff;border:1px solid #ddd;padding:.5em} .pass{color:#1a7f37} .fail{color:#c62828}
ol.trace{margin:0;padding-left:1.2em} code{font-size:12px}
)";

}  // namespace

std::string html_escape(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string utc_time(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char b[32];
  std::strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tm);
  return b;
}

std::string pass_rate_svg(const std::string& domain, const std::vector<DomainDay>& rows,
                          std::int64_t first_day, int days) {
  const int w = 420, h = 150, left = 34, top = 22, plot_h = 100, bottom = top + plot_h;
  const double bar_w = double(w - left - 6) / std::max(days, 1);
  std::int64_t pass = 0, total = 0;
  for (const auto& r : rows) pass += r.pass, total += r.total;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"passrate\" width=\"" +
                  std::to_string(w) + "\" height=\"" + std::to_string(h) + "\" viewBox=\"0 0 " +
                  std::to_string(w) + " " + std::to_string(h) + "\" role=\"img\" aria-label=\"" +
                  html_escape(domain) + " DMARC pass rate\">";
  s += "<text x=\"" + std::to_string(left) + "\" y=\"14\" font-size=\"13\" font-weight=\"bold\">" +
       html_escape(domain) + " — " + fmt_pct(pass, total) + " pass (" + std::to_string(pass) + "/" +
       std::to_string(total) + ")</text>";
  for (int pct : {0, 50, 100}) {
    int y = bottom - plot_h * pct / 100;
    s += "<line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(w - 4) + "\" y1=\"" +
         std::to_string(y) + "\" y2=\"" + std::to_string(y) + "\" stroke=\"#ddd\"/>";
    s += "<text x=\"" + std::to_string(left - 4) + "\" y=\"" + std::to_string(y + 4) +
         "\" font-size=\"10\" text-anchor=\"end\" fill=\"#777\">" + std::to_string(pct) +
         "%</text>";
  }
  std::map<std::int64_t, const DomainDay*> by_day;
  for (const auto& r : rows) by_day[r.day] = &r;
  char num[32];
  for (int i = 0; i < days; ++i) {
    const std::int64_t day = first_day + i * kSecondsPerDay;
    const double x = left + i * bar_w + 1;
    auto it = by_day.find(day);
    if (it == by_day.end() || it->second->total == 0) continue;
    const DomainDay& r = *it->second;
    const double rate = double(r.pass) / double(r.total);
    const double ph = plot_h * rate;
    std::snprintf(num, sizeof num, "%.1f", x);
    std::string xs = num;
    std::snprintf(num, sizeof num, "%.1f", std::max(bar_w - 2, 1.0));
    std::string ws = num;
    const std::string tip = "<title>" + utc_date(day) + ": " + std::to_string(r.pass) + "/" +
                            std::to_string(r.total) + " pass</title>";
    std::snprintf(num, sizeof num, "%.1f", plot_h - ph);
    s += "<rect class=\"fail\" x=\"" + xs + "\" y=\"" + std::to_string(top) + "\" width=\"" + ws +
         "\" height=\"" + num + "\" fill=\"#e57373\">" + tip + "</rect>";
    std::snprintf(num, sizeof num, "%.1f", bottom - ph);
    std::string ys = num;
    std::snprintf(num, sizeof num, "%.1f", ph);
    s += "<rect class=\"pass\" x=\"" + xs + "\" y=\"" + ys + "\" width=\"" + ws + "\" height=\"" +
         num + "\" fill=\"#66bb6a\">" + tip + "</rect>";
  }
  s += "<text x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(h - 8) +
       "\" font-size=\"10\" fill=\"#777\">" + utc_date(first_day) + "</text>";
  s += "<text x=\"" + std::to_string(w - 4) + "\" y=\"" + std::to_string(h - 8) +
       "\" font-size=\"10\" fill=\"#777\" text-anchor=\"end\">" +
       utc_date(first_day + (days - 1) * kSecondsPerDay) + "</text>";
  s += "</svg>";
  return s;
}

std::string render_status_page(const StatusData& d) {
  std::string o =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>alignd — " +
      html_escape(d.authserv_id) + "</title><style>" + kStyle + "</style></head><body>";
  o += "<h1>alignd on " + html_escape(d.authserv_id) + "</h1><p class=\"muted\">version " +
       html_escape(d.version) + " · " + utc_time(d.now) +
       " UTC · read-only · <a href=\"/metrics\">/metrics</a></p>";
  if (!d.store_enabled)
    o += "<p class=\"muted\">The store is off (store.url = \"none\"): no history.</p>";
  if (!d.store_error.empty())
    o += "<p class=\"fail\">The store could not be read: " + html_escape(d.store_error) + "</p>";

  // 1. Pass rates per author domain.
  o += "<h2 id=\"pass-rates\">DMARC pass rate by domain, last " + std::to_string(d.days) +
       " days</h2>";
  const std::int64_t first_day = d.now - d.now % kSecondsPerDay - (d.days - 1) * kSecondsPerDay;
  std::map<std::string, std::vector<DomainDay>> per_domain;
  for (const auto& r : d.rates) per_domain[r.domain].push_back(r);
  // Which domains these are: the report rows (evaluations) exist only for author
  // domains whose DMARC record has rua= (core/report/evaluation.cc); the messages
  // table ([store] record_messages) keeps every message but as an encoded blob
  // for `alignd simulate`, inbound and outbound mixed, so it is not charted.
  o += "<p class=\"muted\" id=\"rates-scope\">Charts and failing sources cover only author "
       "(From) domains whose DMARC record asks for aggregate reports (<code>rua=</code>): they "
       "read the stored report evaluations. Mail from other domains is counted in the latest "
       "verdicts below and in <code>/metrics</code> (<code>alignd_dmarc_results_total</code>), "
       "and replayed by <code>alignd simulate</code>.</p>";
  if (per_domain.empty()) o += "<p class=\"muted\">No evaluations recorded.</p>";
  o += "<div class=\"charts\">";
  for (const auto& [domain, rows] : per_domain)
    o += "<div class=\"chart\" data-domain=\"" + html_escape(domain) + "\">" +
         pass_rate_svg(domain.empty() ? "(no From domain)" : domain, rows, first_day, d.days) +
         "</div>";
  o += "</div>";

  // 2. Top failing sources.
  o += "<h2 id=\"failing\">Top failing sources</h2>";
  if (d.failing.empty())
    o += "<p class=\"muted\">No DMARC failures.</p>";
  else {
    o += "<table><tr><th>From domain</th><th>source IP</th><th>failures</th><th>latest</th></tr>";
    for (const auto& f : d.failing)
      o += "<tr><td>" + html_escape(f.domain) + "</td><td>" + html_escape(f.source_ip) +
           "</td><td class=\"fail\">" + std::to_string(f.count) + "</td><td>" + utc_time(f.last) +
           "</td></tr>";
    o += "</table>";
  }

  // 3. Latest verdicts (this process, with the policy's reason trace).
  o += "<h2 id=\"verdicts\">Latest verdicts (since the daemon started)</h2>";
  if (d.verdicts.empty())
    o += "<p class=\"muted\">No message yet.</p>";
  else {
    o += "<table><tr><th>time (UTC)</th><th>queue id</th><th>client</th><th>MAIL FROM</th>"
         "<th>From domain</th><th>SPF</th><th>DKIM</th><th>DMARC</th><th>verdict</th>"
         "<th>rule</th><th>trace</th></tr>";
    for (const auto& v : d.verdicts) {
      o += "<tr class=\"verdict\"><td>" + utc_time(v.time) + "</td><td>" + html_escape(v.queue_id) +
           "</td><td>" + html_escape(v.client_ip) + "</td><td>" + html_escape(v.mail_from) +
           "</td><td>" + html_escape(v.header_from) + "</td><td>" + html_escape(v.spf) +
           "</td><td>" + html_escape(v.dkim) + "</td><td class=\"" +
           (v.dmarc == "pass" ? "pass"
            : v.dmarc.empty() ? ""
                              : "fail") +
           "\">" + html_escape(v.dmarc) + "</td><td>" + html_escape(v.action) + "</td><td>" +
           html_escape(v.rule) + "</td><td>";
      // Folded (no script): the last step says what decided; the rest on click.
      o += "<details><summary>" + html_escape(v.trace.empty() ? "" : v.trace.back()) +
           "</summary><ol class=\"trace\">";
      for (const auto& t : v.trace) o += "<li>" + html_escape(t) + "</li>";
      o += "</ol></details></td></tr>";
    }
    o += "</table>";
  }

  // 4. Latest stored evaluations (what the reports will say).
  o += "<h2 id=\"evaluations\">Latest stored evaluations</h2>";
  if (d.latest.empty())
    o += "<p class=\"muted\">None.</p>";
  else {
    o += "<table><tr><th>time (UTC)</th><th>source IP</th><th>From domain</th><th>policy</th>"
         "<th>SPF</th><th>DKIM</th><th>DMARC</th><th>disposition</th><th>why</th></tr>";
    for (const auto& e : d.latest) {
      std::string dkim;
      for (const auto& k : e.dkim) dkim += (dkim.empty() ? "" : " ") + k.result + ":" + k.domain;
      std::string why = std::string("SPF ") + (e.spf_aligned ? "aligned" : "not aligned") +
                        ", DKIM " + (e.dkim_aligned ? "aligned" : "not aligned");
      for (const auto& r : e.overrides)
        why += "; override " + r.type + (r.comment.empty() ? "" : " (" + r.comment + ")");
      o += "<tr class=\"evaluation\"><td>" + utc_time(e.time) + "</td><td>" +
           html_escape(e.source_ip) + "</td><td>" + html_escape(e.header_from) +
           "</td><td>p=" + html_escape(e.policy.p) + " → " + html_escape(e.requested) +
           "</td><td>" + html_escape(e.spf_result) + "</td><td>" + html_escape(dkim) +
           "</td><td class=\"" + (e.dmarc_result == "pass" ? "pass" : "fail") + "\">" +
           html_escape(e.dmarc_result) + "</td><td>" + html_escape(e.disposition) + "</td><td>" +
           html_escape(why) + "</td></tr>";
    }
    o += "</table>";
  }

  // 5. Report queue.
  o += "<h2 id=\"reports\">Aggregate report queue</h2>";
  if (d.queue.empty())
    o += "<p class=\"muted\">Nothing recorded for a domain that asks for reports.</p>";
  else {
    o += "<table><tr><th>policy domain</th><th>period (UTC day)</th><th>evaluations</th>"
         "<th>state</th><th>sent</th><th>failed</th><th>refused</th><th>too big</th>"
         "<th>in progress</th></tr>";
    for (const auto& q : d.queue)
      o += "<tr class=\"report\"><td>" + html_escape(q.policy_domain) + "</td><td>" +
           utc_date(q.begin) + "</td><td>" + std::to_string(q.evaluations) + "</td><td>" + q.state +
           "</td><td>" + std::to_string(q.sent) + "</td><td>" + std::to_string(q.failed) +
           "</td><td>" + std::to_string(q.refused) + "</td><td>" + std::to_string(q.too_big) +
           "</td><td>" + std::to_string(q.claimed) + "</td></tr>";
    o += "</table><p class=\"muted\">Destinations: \"failed\" (the send command failed; the next "
         "run retries), \"refused\" (RFC 9990 external destination not authorized) and \"too "
         "big\" (over its size limit) are counted apart. \"due\": the day is over and "
         "<code>alignd report send</code> has not completed it yet.</p>";
  }

  // 6. Signing keys.
  o += "<h2 id=\"keys\">DKIM signing keys</h2>";
  if (d.keys.empty())
    o += "<p class=\"muted\">No signing keys configured.</p>";
  else {
    o += "<table><tr><th>domain</th><th>selector</th><th>algorithm</th><th>bits</th>"
         "<th>not before</th><th>not after</th><th>expires in</th></tr>";
    for (const auto& k : d.keys) {
      std::string left = "never";
      if (k.not_after) {
        std::int64_t s = *k.not_after - d.now;
        left = s <= 0 ? "<span class=\"fail\">expired</span>"
                      : std::to_string(s / kSecondsPerDay) + " days" +
                            (s < 14 * kSecondsPerDay ? " ⚠" : "");
      }
      o += "<tr class=\"key\"><td>" + html_escape(k.domain) + "</td><td>" +
           html_escape(k.selector) + "</td><td>" + html_escape(k.algorithm) + "</td><td>" +
           std::to_string(k.bits) + "</td><td>" + (k.not_before ? utc_time(*k.not_before) : "–") +
           "</td><td>" + (k.not_after ? utc_time(*k.not_after) : "–") + "</td><td>" + left +
           "</td></tr>";
    }
    o += "</table>";
  }
  o += "</body></html>\n";
  return o;
}

}  // namespace alignd
