#!/usr/bin/env bash
# End to end: mail from two domains with rua= goes through a real Postfix and the
# alignd milter (which records the evaluations), then `alignd report send` hands
# the reports to Postfix's sendmail, which delivers them to the local maildir:
# gzip attachments intact and schema-valid, counts right, RFC 9990 §4 checks
# answered from dns.zone_file; a second run sends nothing. Loopback only.
# Uses the e2e harness (tests/e2e/lib.bash).
source "$(dirname "$0")/../e2e/lib.bash"
XSD=$ALIGND_SOURCE_DIR/../shared/spec/dmarc-2.0.xsd
e2e_setup
cat > "$E2E_DIR/zone" <<'ZONE'
a.example.                          300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.a.example.                   300 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-a@e2e.example"
b.example.                          300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.b.example.                   300 IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc-b@e2e.example"
a.example._report._dmarc.e2e.example. 300 IN TXT "v=DMARC1"
b.example._report._dmarc.e2e.example. 300 IN TXT "v=DMARC1"
ZONE
dead_port=$(free_port)
alignd_config "[dns]
zone_file = \"$E2E_DIR/zone\"
servers = [\"127.0.0.1@$dead_port\"]
timeout_ms = 500
[reporting]
org_name = \"E2E Receiver\"
email = \"dmarc-reports@e2e.example\"
send_command = \"/usr/sbin/sendmail -C $E2E_DIR/etc -t -oi\""
alignd_start

from_ip() { echo "ADDR=$1 NAME=mail.sender.example HELO=mail.sender.example"; }
for i in 1 2 3; do
  send --xclient "$(from_ip 192.0.2.10)" --from x@a.example --h-From x@a.example --to u@e2e.example --h-Subject "a-$i"
done
for i in 1 2; do
  send --xclient "$(from_ip 203.0.113.9)" --from y@b.example --h-From y@b.example --to u@e2e.example --h-Subject "b-$i"
done
for s in a-1 a-2 a-3; do wait_delivered "$s" >/dev/null || fail "$s delivered"; done
sleep 1  # b-* are quarantined (HOLD): accepted, not delivered

# The writer commits within flush_interval_ms (1 s).
rows=0
for _ in $(seq 50); do
  rows=$(sqlite3 "$E2E_DIR/alignd.db" 'SELECT COUNT(*) FROM evaluations' 2>/dev/null || echo 0)
  [ "$rows" = 5 ] && break
  sleep 0.2
done
check "5 evaluations recorded" test "$rows" = 5

now=$(( $(date +%s) + 86400 + 3600 ))  # tomorrow: today's period is due
"$ALIGND" report send -c "$E2E_DIR/alignd.toml" --now "$now" 2>"$E2E_DIR/report.log" \
  || { cat "$E2E_DIR/report.log"; fail "report send exit status"; }
fa=$(wait_delivered "Report Domain: a.example") || fail "report for a.example delivered"
fb=$(wait_delivered "Report Domain: b.example") || fail "report for b.example delivered"
if [ -n "${fa:-}" ] && [ -n "${fb:-}" ]; then
  /usr/bin/python3 "$ALIGND_SOURCE_DIR/tests/tools/report_check.py" --xsd "$XSD" "$fa" "$fb" \
    >"$E2E_DIR/check.txt" 2>&1 || { cat "$E2E_DIR/check.txt"; fail "report mails valid"; }
  cat "$E2E_DIR/check.txt"
  check "a.example: 3 messages reported" grep -q '^dmarc-a@e2e.example a.example .* 3$' "$E2E_DIR/check.txt"
  check "b.example: 2 messages reported" grep -q '^dmarc-b@e2e.example b.example .* 2$' "$E2E_DIR/check.txt"
  check "report went through the milter" grep -q '^Authentication-Results: mx.e2e.example' "$fa"
fi
reports() { grep -l '^Subject: Report Domain:' "$E2E_DIR"/mail/inbox/new/* 2>/dev/null | wc -l; }
check "two report mails" test "$(reports)" = 2

"$ALIGND" report send -c "$E2E_DIR/alignd.toml" --now "$((now + 3600))" 2>>"$E2E_DIR/report.log" \
  || fail "second report send"
sleep 2
check "second run sends nothing" test "$(reports)" = 2
check "report mail is not recorded itself" test \
  "$(sqlite3 "$E2E_DIR/alignd.db" 'SELECT COUNT(*) FROM evaluations')" = 5
e2e_finish
