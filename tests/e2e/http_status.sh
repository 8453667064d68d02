#!/usr/bin/env bash
# [http] end to end (issue 14): alignd serve with an HTTP listener judges mail
# from a real Postfix; /metrics must count it (messages by verdict, DMARC,
# rules, DNS, store) and pass `promtool check metrics`; a real Prometheus
# scrapes it; headless Chromium loads the status page and the test checks what
# it rendered (domains, counts, SVG charts, reason traces) and saves a
# screenshot (build/status-page.png; ALIGND_UPDATE_SCREENSHOT=1 also copies it
# to docs/img/status-page.png). Basic auth is checked on a second instance.
# `alignd report send` with a failing send_command: /metrics shows the failed
# deliveries it recorded in the store.
source "$(dirname "$0")/lib.bash"
e2e_setup
cat > "$E2E_DIR/zone" <<'ZONE'
reject.example.           300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.reject.example.    300 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@reject.example"
none.example.             300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.none.example.      300 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@none.example"
ZONE
HTTP_PORT=$(free_port)
dead_port=$(free_port)
"$ALIGND" keygen --domain e2e.example --selector s2026 --type ed25519 --out "$E2E_DIR/keys" >/dev/null 2>&1
alignd_config "[[signing.keys]]
domain = \"e2e.example\"
selector = \"s2026\"
key_file = \"$E2E_DIR/keys/e2e.example.s2026.key\"
not_after = \"2031-01-31\"
[dns]
zone_file = \"$E2E_DIR/zone\"
servers = [\"127.0.0.1@$dead_port\"]
timeout_ms = 500
[policy]
files = [\"$ALIGND_SOURCE_DIR/policies/enforce.toml\"]
[http]
listen = \"127.0.0.1:$HTTP_PORT\"
recent = 6
[store]
flush_interval_ms = 100"
alignd_start
URL="http://127.0.0.1:$HTTP_PORT"

from_ip() { echo "ADDR=$1 NAME=mail.sender.example HELO=mail.sender.example"; }
send --xclient "$(from_ip 192.0.2.10)" --from a@reject.example --h-From a@reject.example --to u@e2e.example --h-Subject pass-1
wait_delivered pass-1 >/dev/null || fail "aligned message delivered"
send --xclient "$(from_ip 203.0.113.5)" --from a@reject.example --h-From a@reject.example --to u@e2e.example --h-Subject reject-1 || true
check "p=reject failing: 550" grep -qE '^<\*\* +550 5\.7\.1 ' "$E2E_DIR/swaks.out"
send --xclient "$(from_ip 203.0.113.7)" --from a@none.example --h-From a@none.example --to u@e2e.example --h-Subject none-1
wait_delivered none-1 >/dev/null || fail "p=none message delivered"

# --- /metrics -------------------------------------------------------------------
metric() {  # metric 'name{labels}' -> its value (0 when absent)
  awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' "$E2E_DIR/metrics.txt"
}
for _ in $(seq 50); do
  curl -sf "$URL/metrics" -o "$E2E_DIR/metrics.txt" || true
  [ "$(metric alignd_store_evaluations_written_total)" = 3 ] && break
  sleep 0.1
done
check "/metrics content type is text/plain version 0.0.4" \
  bash -c "curl -sI '$URL/metrics' | grep -qi '^content-type: text/plain; version=0.0.4'"
inbound=$(awk '/^alignd_messages_total\{direction="inbound"/ { s += $2 } END { print s + 0 }' "$E2E_DIR/metrics.txt")
check "3 inbound messages counted (got $inbound)" test "$inbound" = 3
check "1 rejected" test "$(metric 'alignd_messages_total{direction="inbound",verdict="reject"}')" = 1
check "dmarc pass under p=reject counted" \
  test "$(metric 'alignd_dmarc_results_total{result="pass",policy="reject",disposition="none"}')" = 1
check "dmarc fail under p=reject, disposition reject" \
  test "$(metric 'alignd_dmarc_results_total{result="fail",policy="reject",disposition="reject"}')" = 1
check "dmarc fail under p=none" \
  test "$(metric 'alignd_dmarc_results_total{result="fail",policy="none",disposition="none"}')" = 1
check "SPF mailfrom fail counted twice" test "$(metric 'alignd_spf_results_total{identity="mailfrom",result="fail"}')" = 2
check "rule dmarc-reject hit once" test "$(metric 'alignd_rule_hits_total{rule="dmarc-reject"}')" = 1
check "ARC chains checked: 3 without ARC fields" test "$(metric 'alignd_arc_results_total{result="none"}')" = 3
txt_ok=$(metric 'alignd_dns_queries_total{type="TXT",result="ok"}')
check "DNS TXT queries counted ($txt_ok)" test "$txt_ok" -ge 4
check "DNS duration histogram observed" test "$(metric 'alignd_dns_query_duration_seconds_count{type="TXT"}')" -ge 4
check "end-of-message latency histogram: 3 observations" test "$(metric alignd_eom_duration_seconds_count)" = 3
check "store wrote 3 evaluations" test "$(metric alignd_store_evaluations_written_total)" = 3
check "store queue empty" test "$(metric alignd_store_queue_depth)" = 0
check "signing key expiry exposed" \
  test "$(metric 'alignd_signing_key_not_after_timestamp_seconds{domain="e2e.example",selector="s2026"}')" = "$(date -u -d 2031-01-31 +%s)"
check "build info" grep -q '^alignd_build_info{version="' "$E2E_DIR/metrics.txt"
if command -v promtool >/dev/null; then
  check "promtool check metrics" bash -c "promtool check metrics < '$E2E_DIR/metrics.txt' > '$E2E_DIR/promtool.out' 2>&1"
  [ -s "$E2E_DIR/promtool.out" ] && cat "$E2E_DIR/promtool.out"
else
  echo "skip - promtool not installed (Debian package prometheus)"
fi

# SIGHUP: a reload is counted.
kill -HUP "$ALIGND_PID"
for _ in $(seq 50); do
  curl -sf "$URL/metrics" -o "$E2E_DIR/metrics.txt" || true
  [ "$(metric 'alignd_config_reloads_total{result="success"}')" = 1 ] && break
  sleep 0.1
done
check "reload counted" test "$(metric 'alignd_config_reloads_total{result="success"}')" = 1

# --- a real Prometheus scrape ------------------------------------------------------
if command -v prometheus >/dev/null; then
  PROM_PORT=$(free_port)
  mkdir -p "$E2E_DIR/prom"
  cat > "$E2E_DIR/prom/prometheus.yml" <<YML
global: { scrape_interval: 1s }
scrape_configs:
  - job_name: alignd
    static_configs: [ { targets: ["127.0.0.1:$HTTP_PORT"] } ]
YML
  prometheus --config.file="$E2E_DIR/prom/prometheus.yml" --storage.tsdb.path="$E2E_DIR/prom/data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" >"$E2E_DIR/prom/log" 2>&1 &
  PROM_PID=$!
  got=""
  for _ in $(seq 100); do
    got=$(curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/query?query=sum(alignd_messages_total%7Bdirection%3D%22inbound%22%7D)" || true)
    grep -q '"value":\[[0-9.]*,"3"\]' <<<"$got" && break
    sleep 0.2
  done
  check "Prometheus scraped alignd: sum(alignd_messages_total{inbound}) = 3" grep -q '"value":\[[0-9.]*,"3"\]' <<<"$got"
  up=$(curl -sf "http://127.0.0.1:$PROM_PORT/api/v1/targets" || true)
  check "Prometheus target healthy" grep -q '"health":"up"' <<<"$up"
  kill "$PROM_PID" 2>/dev/null; wait "$PROM_PID" 2>/dev/null || true
else
  echo "skip - prometheus not installed: no real scrape"
fi

# --- the status page in a real browser -------------------------------------------------
# Six earlier days of history (copies of today's rows), so the charts have bars.
sqlite3 "$E2E_DIR/alignd.db" <<'SQL'
CREATE TEMP TABLE h AS SELECT * FROM evaluations;
UPDATE h SET id = NULL;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6)
INSERT INTO evaluations SELECT NULL, h.time - 86400 * n.i, policy_domain, ri_interval, source_ip,
  envelope_from, envelope_to, header_from, organizational_domain, record, p, sp, np, adkim, aspf,
  testing, psd, pct, fo, rua, ri, discovery, record_errors, spf_domain, spf_scope, spf_result,
  spf_human, dkim, spf_aligned, dkim_aligned,
  CASE WHEN (n.i + length(source_ip)) % 3 = 0 THEN 'fail' ELSE 'pass' END,
  disposition, requested, overrides, arc_result, arc_reason, arc_sets, arc_oldest_pass,
  arc_trusted_instance, arc_override
FROM h, n;
-- keep the copies consistent: a pass is aligned and was not rejected
UPDATE evaluations SET dkim_aligned = 1, disposition = 'none' WHERE dmarc_result = 'pass' AND spf_aligned = 0;
UPDATE evaluations SET spf_aligned = 0, dkim_aligned = 0 WHERE dmarc_result = 'fail';
SQL
curl -sf "$URL/" -o "$E2E_DIR/page.html"
check "page served" grep -q '<svg' "$E2E_DIR/page.html"
check "history stored: 21 evaluations" test "$(sqlite3 "$E2E_DIR/alignd.db" 'SELECT COUNT(*) FROM evaluations')" = 21
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
chrome() {
  timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d "$E2E_DIR/chrome.XXXXXX")" "$@" 2>>"$E2E_DIR/chrome.log"
}
if [ -n "$CHROME" ] && chrome --dump-dom "data:text/html,<p>probe</p>" | grep -q probe; then
  chrome --dump-dom "$URL/" > "$E2E_DIR/dom.html"
  dom="$E2E_DIR/dom.html"
  check "browser: title names the host" grep -q '<h1>alignd on mx.e2e.example</h1>' "$dom"
  check "browser: one SVG chart per domain" test "$(grep -o '<svg' "$dom" | wc -l)" = 2
  check "browser: reject.example chart, 14 evaluations" grep -qE 'reject\.example — [0-9.]+% pass \([0-9]+/14\)' "$dom"
  check "browser: none.example chart, 7 evaluations" grep -qE 'none\.example — [0-9.]+% pass \([0-9]+/7\)' "$dom"
  check "browser: today's bar for reject.example: 1/2 pass" grep -q "$(date -u +%F): 1/2 pass" "$dom"
  check "browser: failing source listed" grep -q '203.0.113.5' "$dom"
  check "browser: verdict with rule and trace" grep -q 'dmarc-reject' "$dom"
  check "browser: trace items rendered" grep -q '<ol class="trace"><li>' "$dom"
  check "browser: report queue lists reject.example" grep -qE '<tr class="report"><td>reject\.example</td>' "$dom"
  check "browser: earlier days are due" grep -qE '<td>due</td>' "$dom"
  check "browser: signing key with its expiry" grep -qE '<tr class="key"><td>e2e.example</td><td>s2026</td><td>ed25519-sha256</td>.*2031-01-31' "$dom"
  shot="${ALIGND_BUILD_DIR:-$E2E_DIR}/status-page.png"
  chrome --screenshot="$shot" --window-size=1200,1600 --hide-scrollbars "$URL/" >/dev/null
  check "browser: screenshot written" test -s "$shot"
  if [ "${ALIGND_UPDATE_SCREENSHOT:-}" = 1 ]; then
    mkdir -p "$ALIGND_SOURCE_DIR/docs/img" && cp "$shot" "$ALIGND_SOURCE_DIR/docs/img/status-page.png"
  fi
else
  echo "skip - Chromium cannot run here (${CHROME:-not installed}); the status page was checked with curl only"
  tail -5 "$E2E_DIR/chrome.log" 2>/dev/null || true
fi

# --- basic auth, on a second instance -------------------------------------------------
AUTH_PORT=$(free_port)
echo 's3cret' > "$E2E_DIR/http.pw"
cat > "$E2E_DIR/auth.toml" <<CONF
authserv_id = "mx.e2e.example"
[milter]
socket = "unix:$E2E_DIR/run/auth.sock"
[store]
url = "none"
[http]
listen = "127.0.0.1:$AUTH_PORT"
user = "ops"
password_file = "$E2E_DIR/http.pw"
CONF
"$ALIGND" serve -c "$E2E_DIR/auth.toml" >/dev/null 2>"$E2E_DIR/auth.log" &
AUTH_PID=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$AUTH_PORT/healthz" && break; sleep 0.1; done
check "auth: no credentials -> 401" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$AUTH_PORT/metrics")" = 401
check "auth: wrong password -> 401" test "$(curl -s -o /dev/null -w '%{http_code}' -u ops:wrong "http://127.0.0.1:$AUTH_PORT/")" = 401
check "auth: right password -> 200" test "$(curl -s -o /dev/null -w '%{http_code}' -u ops:s3cret "http://127.0.0.1:$AUTH_PORT/metrics")" = 200
kill "$AUTH_PID"; wait "$AUTH_PID" 2>/dev/null || true
sed -i 's/^user = "ops"$//; s/^password_file = .*$//; s/127.0.0.1:'"$AUTH_PORT"'/0.0.0.0:'"$AUTH_PORT"'/' "$E2E_DIR/auth.toml"
check "non-loopback listen without auth is refused" bash -c "! '$ALIGND' config check -c '$E2E_DIR/auth.toml' >/dev/null 2>&1"
# --- report delivery outcomes: `alignd report send` records them, the scrape shows them ---
# The earlier days are due; a send_command that fails leaves each destination
# "failed" (retried next run) in the store, which /metrics reads.
sed 's|^\[store\]$|[reporting]\nsend_command = "/bin/false"\n[store]|' "$E2E_DIR/alignd.toml" >"$E2E_DIR/report-fail.toml"
"$ALIGND" report send -c "$E2E_DIR/report-fail.toml" --dns-zone "$E2E_DIR/zone" 2>"$E2E_DIR/report.err" || true
check "report send: the failed sends are counted" grep -qE ', [1-9][0-9]* failed,' "$E2E_DIR/report.err"
curl -sf "$URL/metrics" -o "$E2E_DIR/metrics.txt" || true
failed=$(metric 'alignd_report_deliveries{state="failed"}')
check "metrics: failed report deliveries exposed ($failed)" test "$failed" -ge 1
check "metrics: failed attempts = failed destinations after one run" \
  test "$(metric alignd_report_failed_attempts)" = "$failed"
check "metrics: refused and too_big exposed apart" \
  grep -qE '^alignd_report_deliveries\{state="too_big"\} 0$' "$E2E_DIR/metrics.txt"
if command -v promtool >/dev/null; then
  check "promtool check metrics (with report states)" bash -c "promtool check metrics < '$E2E_DIR/metrics.txt' >/dev/null 2>&1"
fi

# --- the Grafana dashboard: its queries parse and name only series /metrics has ---------
dash="$ALIGND_SOURCE_DIR/contrib/grafana/alignd.json"
/usr/bin/python3 - "$dash" "$E2E_DIR/dash-rules.yml" "$E2E_DIR/dash-names" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
exprs = [t["expr"] for p in d["panels"] for t in p["targets"]]
with open(sys.argv[2], "w") as f:
    f.write("groups:\n- name: dashboard\n  rules:\n")
    for i, e in enumerate(exprs):
        e = e.replace("$__rate_interval", "5m").replace("$job", ".*").replace("$instance", ".*")
        f.write(f"  - record: dashboard:{i}\n    expr: {json.dumps(e)}\n")
names = sorted({re.sub(r"_(bucket|sum|count)$", "", n) for e in exprs for n in re.findall(r"alignd_[a-z_]+", e)})
open(sys.argv[3], "w").write("\n".join(names) + "\n")
PY
if command -v promtool >/dev/null; then
  check "grafana: every query parses (promtool check rules)" bash -c "promtool check rules '$E2E_DIR/dash-rules.yml' >/dev/null"
fi
missing=""
while read -r n; do grep -q "^# TYPE $n " "$E2E_DIR/metrics.txt" || missing="$missing $n"; done < "$E2E_DIR/dash-names"
check "grafana: every metric the dashboard uses is exposed${missing:+ (missing:$missing)}" test -z "$missing"
e2e_finish
