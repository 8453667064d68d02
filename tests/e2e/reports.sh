#!/usr/bin/env bash
# DMARC aggregate reports end to end (issue 7): mail from two domains with
# rua= passes through Postfix and alignd records it; `alignd report send`
# delivers one report per domain through the real Postfix (sendmail, through
# alignd's non_smtpd milter) to a local mailbox, gzip attachment intact and
# schema-valid, rows adding up to the messages sent; a second run sends nothing.
source "$(dirname "$0")/lib.bash"
e2e_setup
cat > "$E2E_DIR/zone" <<'ZONE'
alpha.example.                              300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.alpha.example.                       300 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@e2e.example"
beta.example.                               300 IN TXT "v=spf1 ip4:198.51.100.0/24 -all"
_dmarc.beta.example.                        300 IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@e2e.example"
alpha.example._report._dmarc.e2e.example.   300 IN TXT "v=DMARC1"
beta.example._report._dmarc.e2e.example.    300 IN TXT "v=DMARC1"
ZONE
alignd_config "[dns]
zone_file = \"$E2E_DIR/zone\"
servers = [\"127.0.0.1@$(free_port)\"]
timeout_ms = 300
[reporting]
org_name = \"E2E Receiver\"
email = \"dmarc-reports@e2e.example\"
send_command = \"/usr/sbin/sendmail -C $E2E_DIR/etc -t -oi\""
alignd_start

xc() { echo "ADDR=$1 NAME=mail.sender.example HELO=mail.sender.example"; }
for i in 1 2 3; do
  send --xclient "$(xc 192.0.2.$i)" --from a@alpha.example --h-From a@alpha.example --to u@e2e.example --h-Subject "alpha-$i"
done
send --xclient "$(xc 203.0.113.9)" --from a@alpha.example --h-From a@alpha.example --to u@e2e.example --h-Subject alpha-fail
for i in 1 2; do
  send --xclient "$(xc 198.51.100.$i)" --from b@beta.example --h-From b@beta.example --to u@e2e.example --h-Subject "beta-$i"
done
for s in alpha-1 alpha-2 alpha-3 alpha-fail beta-1 beta-2; do wait_delivered "$s" >/dev/null || fail "$s delivered"; done
alignd_stop   # SIGTERM drains the store queue
check "six evaluations recorded" test "$(sqlite3 "$E2E_DIR/alignd.db" 'select count(*) from evaluations')" -eq 6

tomorrow=$(( $(date +%s) + 86400 ))
alignd_start
"$ALIGND" report send -c "$E2E_DIR/alignd.toml" --now "$tomorrow" >"$E2E_DIR/report1.out" 2>&1
check "report send succeeded" test $? -eq 0
reports=()
for _ in $(seq 100); do
  mapfile -t reports < <(grep -l '^Subject: Report Domain:' "$E2E_DIR"/mail/inbox/new/* 2>/dev/null || true)
  [ ${#reports[@]} -ge 2 ] && break
  sleep 0.1
done
check "two report messages delivered" test ${#reports[@]} -eq 2

# Extract each gzip attachment, validate against the RFC 9990 schema, count rows.
total=0
for r in "${reports[@]}"; do
  /usr/bin/python3 - "$r" "$E2E_DIR" <<'PY' || fail "attachment of $r"
import email, gzip, sys, os
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'))
parts = [p for p in msg.walk() if p.get_content_type() == 'application/gzip']
assert len(parts) == 1, 'one application/gzip part'
name = parts[0].get_filename()
assert name.endswith('.xml.gz') and name.count('!') == 4, name
xml = gzip.decompress(parts[0].get_payload(decode=True))
open(os.path.join(sys.argv[2], name[:-3]), 'wb').write(xml)
PY
done
for x in "$E2E_DIR"/*.xml; do
  check "$(basename "$x") validates against dmarc-2.0.xsd" \
    xmllint --noout --schema "$ALIGND_SOURCE_DIR/tests/data/report/dmarc-2.0.xsd" "$x"
  n=$(/usr/bin/python3 -c "
import sys, xml.etree.ElementTree as ET
ns = {'d': 'urn:ietf:params:xml:ns:dmarc-2.0'}
t = ET.parse(sys.argv[1])
print(sum(int(c.text) for c in t.getroot().iterfind('.//d:record/d:row/d:count', ns)))" "$x")
  total=$((total + n))
done
check "row counts add up to the 6 messages sent" test "$total" -eq 6
check "report messages themselves were not recorded" test "$(sqlite3 "$E2E_DIR/alignd.db" 'select count(*) from evaluations')" -eq 6

"$ALIGND" report send -c "$E2E_DIR/alignd.toml" --now "$tomorrow" >"$E2E_DIR/report2.out" 2>&1
sleep 1
check "second run sends nothing" test "$(grep -l '^Subject: Report Domain:' "$E2E_DIR"/mail/inbox/new/* | wc -l)" -eq 2
e2e_finish
