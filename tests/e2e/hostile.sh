#!/usr/bin/env bash
# Hostile input through a real Postfix (issue 10 item 5; docs/security.md): a message
# with 100,000 header fields is refused 552 5.3.4 (at end of message, through the
# milter) and the daemon keeps serving; a message with 20,002 DKIM-Signature fields
# (header caps raised for it) gets a verdict from the first max_signatures; content
# appended after l= arrives with dkim=policy (item 4).
source "$(dirname "$0")/lib.bash"
e2e_setup
DATA=$ALIGND_SOURCE_DIR/tests/data/dkim
cp "$DATA/fixtures.zone" "$E2E_DIR/zone"
alignd_config "[dns]
zone_file = \"$E2E_DIR/zone\"
[headers]
max_fields = 30000
max_bytes = 4194304"
alignd_start

# wait_client IP: the delivered message whose Received-SPF names that client (the
# signed test messages keep their Subject: changing it would break the signatures).
wait_client() {
  for _ in $(seq 100); do
    local f
    f=$(grep -l "client-ip=$1" "$E2E_DIR"/mail/inbox/new/* 2>/dev/null | head -1 || true)
    [ -n "$f" ] && { echo "$f"; return 0; }
    sleep 0.1
  done
  return 1
}

/usr/bin/python3 - "$E2E_DIR" "$DATA/rfc8463-a3.eml" <<'PY'
import sys
d, a3 = sys.argv[1], sys.argv[2]
head = "From: Joe <joe@football.example.com>\r\nTo: u@e2e.example\r\nSubject: hostile-fields\r\n"
with open(f"{d}/fields.eml", "w", newline="") as f:
    f.write(head + "".join(f"X-Filler-{i}: {i}\r\n" for i in range(100000)) + "\r\nbody\r\n")
msg = open(a3, newline="").read().replace("\r\n", "\n").replace("\n", "\r\n")
p = msg.find("\r\n\r\n") + 2
junk = "".join(f"DKIM-Signature: v=1; a=rsa-sha256; d=junk{i}.example; s=s; h=from; "
               f"bh=AAAA; b=AAAA{i}\r\n" for i in range(20000))
open(f"{d}/sigs.eml", "w", newline="").write(msg[:p] + junk + msg[p:])
PY

# 100,000 header fields (1.7 MB: under Postfix's message_size_limit; each field is
# far under header_size_limit, which applies per field): refused through the milter.
send --xclient "ADDR=203.0.113.20 NAME=mx.football.example.com HELO=mx.football.example.com" \
  --from joe@football.example.com --to u@e2e.example --data "$E2E_DIR/fields.eml" || true
check "100,000 header fields: 552 5.3.4 through Postfix" grep -q '<\*\* *552 5.3.4 Message header too large' "$E2E_DIR/swaks.out"
check "alignd logged the cap" grep -q 'header_fields=30001' "$E2E_DIR/alignd.log"
check "alignd still running" kill -0 "$ALIGND_PID"

# 20,002 DKIM-Signature fields: a verdict, from the first five.
send --xclient "ADDR=203.0.113.21 NAME=mx.football.example.com HELO=mx.football.example.com" \
  --from joe@football.example.com --to u@e2e.example --data "$E2E_DIR/sigs.eml"
f=$(wait_client 203.0.113.21) || true
check "20,002 signatures: delivered" test -n "$f"
if [ -n "$f" ]; then
  ar=$(awk '/^Authentication-Results: mx.e2e.example/{p=1; print; next} p && /^[ \t]/{print; next} {p=0}' "$f" | tr -d '\n' | tr '\t' ' ')
  check "20,002 signatures: two dkim=pass" test "$(grep -o 'dkim=pass' <<<"$ar" | wc -l)" -eq 2
  check "20,002 signatures: five results in all" test "$(grep -o 'dkim=[a-z]*' <<<"$ar" | wc -l)" -eq 5
  check "20,002 signatures: the rest counted" grep -q '19997 more DKIM-Signature fields not examined' <<<"$ar"
fi
check "log: dkim_ignored=19997" grep -q 'dkim_ignored=19997' "$E2E_DIR/alignd.log"

# Item 4: content appended after l=: dkim=policy.
send --xclient "ADDR=203.0.113.22 NAME=mx.football.example.com HELO=mx.football.example.com" \
  --from joe@football.example.com --to u@e2e.example --data "$DATA/body-length.eml"
f=$(wait_client 203.0.113.22) || true
check "l= message delivered" test -n "$f"
[ -n "$f" ] && check "l= appended: dkim=policy, no dkim=pass" bash -c "grep -q 'dkim=policy' '$f' && ! grep -q 'dkim=pass' '$f'"

# The daemon keeps serving ordinary mail.
send --xclient "ADDR=203.0.113.23 NAME=mx.football.example.com HELO=mx.football.example.com" \
  --from joe@football.example.com --to u@e2e.example --h-From joe@football.example.com \
  --h-Subject after-hostile --body "ordinary"
f=$(wait_delivered after-hostile) || true
check "ordinary message after the hostile ones: delivered with A-R" bash -c "[ -n '$f' ] && grep -q '^Authentication-Results: mx.e2e.example' '$f'"

e2e_finish
