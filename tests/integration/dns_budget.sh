#!/usr/bin/env bash
# Issue 10 item 5 through the real daemon: `[dns] message_deadline_ms` bounds the
# DNS time one message may spend (docs/dns.md "Per-message time budget"). Against
# a forwarder that swallows every query, a query in flight waits at most what is
# left of the budget and later ones are TempFail at once, so SPF, DKIM keys and
# DMARC end in temperror instead of holding the milter thread; enforce.toml then
# defers the message (dmarc-temperror, 451 4.4.3). bench/milter_load plays the MTA.
# A second daemon with a 60 s budget, same message, shows what the budget saves
# (and that the message does make enough lookups to need it).
WORK=$(mktemp -d /tmp/alignd-dnsbudget.XXXXXX)
source "$(dirname "$0")/milter_client.bash"

TIMEOUT_MS=1500 DEADLINE_MS=3000 MARGIN_MS=3000

# A UDP "server" that reads every query and never answers.
/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True:
    s.recvfrom(4096)
' "$WORK/silent.port" &
SILENT=$!
BEFORE_CLEANUP="kill $SILENT 2>/dev/null || true"
for _ in $(seq 50); do [ -s "$WORK/silent.port" ] && break; sleep 0.1; done
port=$(cat "$WORK/silent.port")

conf() {  # conf NAME DEADLINE_MS
  cat >"$WORK/$1.toml" <<CONF
authserv_id = "mx.test.example"
[milter]
socket = "unix:$WORK/$1.sock"
[dns]
servers = ["127.0.0.1@$port"]
timeout_ms = $TIMEOUT_MS
message_deadline_ms = $2
[policy]
files = ["$ALIGND_SOURCE_DIR/policies/enforce.toml"]
[store]
url = "none"
CONF
}
conf budget "$DEADLINE_MS"
conf control 60000
start_alignd budget "$WORK/budget.toml"
start_alignd control "$WORK/control.toml"

# SPF for HELO and MAIL FROM, three DKIM keys (one aligned), DMARC: at
# least 6 lookups of TIMEOUT_MS each against the silent server without a budget.
sig() { echo "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=$1; s=s1; h=from:to:subject; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA"; }
{ sig sender.example; sig k2.other.example; sig k3.other.example
  printf 'From: a@sender.example\nTo: u@mx.test.example\nSubject: budget\n\nhello\n'; } >"$WORK/msg.eml"

send_one control "$WORK/msg.eml" "$WORK/control.out" --timeout 120 &
control_pid=$!

send_one budget "$WORK/msg.eml" "$WORK/m1" --timeout 120
send_one budget "$WORK/msg.eml" "$WORK/m2" --timeout 120
for m in m1 m2; do
  ms=$(took_ms "$WORK/$m")
  echo "  $m: outcome $(outcome "$WORK/$m") after $ms ms (budget $DEADLINE_MS ms, timeout_ms $TIMEOUT_MS)"
  check "$m: answered" test -n "$(outcome "$WORK/$m")"
  check "$m: within the budget + ${MARGIN_MS} ms ($ms ms)" test "${ms:-999999}" -lt $((DEADLINE_MS + MARGIN_MS))
  check "$m: at least the budget spent waiting ($ms ms)" test "${ms:-0}" -ge "$DEADLINE_MS"
  check "$m: tempfail (enforce.toml dmarc-temperror)" test "$(outcome "$WORK/$m")" = t
done
check "daemon log: dmarc=temperror, rule dmarc-temperror, 451 4.4.3" \
  grep -qE 'dmarc=temperror .*verdict=tempfail rule=dmarc-temperror reply="451 4\.4\.3' "$WORK/budget.log"
check "daemon log: SPF and the three DKIM keys temperror" grep -qE "spf=temperror dkim=temperror:sender\.example/s1 dkim=temperror:k2\.other\.example/s1 dkim=temperror:k3\.other\.example/s1 " "$WORK/budget.log"
check "daemon log: the time budget was used up" grep -qE "dns_budget=time dns_ms=(3[0-9]{3}) " "$WORK/budget.log"
check "daemon log: two messages, both cut short" test "$(grep -c 'dns_budget=time' "$WORK/budget.log")" -eq 2
check "daemon still running" running budget

wait $control_pid
cms=$(took_ms "$WORK/control.out")
echo "  control (60 s budget): outcome $(outcome "$WORK/control.out") after $cms ms"
check "control: without the budget the same message waits longer (${cms} ms)" \
  test "${cms:-0}" -ge $((DEADLINE_MS + MARGIN_MS))
grep -hE 'verdict=' "$WORK/budget.log" "$WORK/control.log" | sed 's/^/  /' | cut -c1-400
finish
