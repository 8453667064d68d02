#!/usr/bin/env bash
# ARC end to end through Postfix (issue 13): a list's MX receives a message that
# passes DMARC; the list re-injects it changed (Subject tag) from a trusted client
# and alignd seals it (ARC-Seal i=1, the AAR = the inbound Authentication-Results);
# dkimpy validates the chain. The sealed message then arrives from outside where
# SPF fails for the author domain (p=reject): enforce.toml accepts it through the
# trusted sealer (arc=pass); a tampered copy (arc=fail) is refused with 550 5.7.1.
source "$(dirname "$0")/lib.bash"
e2e_setup
mkdir -p "$E2E_DIR/keys"
"$ALIGND" keygen --domain lists.e2e.example --selector arc1 --out "$E2E_DIR/keys" > "$E2E_DIR/zone"
cat >> "$E2E_DIR/zone" <<'ZONE'
sender.example. 300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.sender.example. 300 IN TXT "v=DMARC1; p=reject"
ZONE
key=$(ls "$E2E_DIR"/keys/*arc1*)
alignd_config "[dns]
zone_file = \"$E2E_DIR/zone\"
[policy]
files = [\"$ALIGND_SOURCE_DIR/policies/enforce.toml\"]
[arc]
seal = true
seal_domain = \"lists.e2e.example\"
trusted_sealers = [\"lists.e2e.example\"]
[[signing.keys]]
domain = \"lists.e2e.example\"
selector = \"arc1\"
key_file = \"$key\""
alignd_start

strip_delivery() {  # FILE: the message without the lines the delivery agent prepended
  grep -vE '^(Return-Path|X-Original-To|Delivered-To):' "$1"
}

# 1. Inbound at the list: SPF pass from 192.0.2.7, DMARC pass.
send --xclient "ADDR=192.0.2.7 NAME=mail.sender.example HELO=mail.sender.example" \
  --from alice@sender.example --to u@e2e.example --h-From alice@sender.example \
  --h-Subject arc-1 --body "Hello list.\n"
f1=$(wait_delivered arc-1) || fail "inbound message delivered"
check "inbound: dmarc=pass" grep -q 'dmarc=pass' "$f1"
check "inbound: not sealed" bash -c "! grep -q '^ARC-Seal:' '$f1'"

# 2. The list re-injects it with a Subject tag from localhost (trusted): sealed.
strip_delivery "$f1" | sed 's/^Subject: arc-1/Subject: [list] arc-1/' > "$E2E_DIR/list.eml"
send --from list-bounces@lists.e2e.example --to u@e2e.example --data "$E2E_DIR/list.eml"
f2=$(wait_delivered "[list] arc-1") || fail "re-injected message delivered"
check "re-injected: ARC-Seal i=1 cv=none by lists.e2e.example" \
  grep -q '^ARC-Seal: i=1; a=rsa-sha256; cv=none; d=lists.e2e.example' "$f2"
check "AAR carries the inbound dmarc=pass" bash -c "grep -A3 '^ARC-Authentication-Results: i=1; mx.e2e.example;' '$f2' | grep -q 'dmarc=pass'"
strip_delivery "$f2" > "$E2E_DIR/sealed.eml"
check "dkimpy validates the chain" /usr/bin/python3 - "$E2E_DIR/sealed.eml" "$E2E_DIR/zone" <<'PY'
import re, sys, dkim
msg = open(sys.argv[1], 'rb').read().replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
zone = {}
for line in open(sys.argv[2]):
    m = re.match(r'(\S+)\s+\d+\s+IN\s+TXT\s+(.*)$', line.strip())
    if m:
        zone[m.group(1).rstrip('.').lower()] = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))).encode()
cv, _, why = dkim.arc_verify(msg, dnsfunc=lambda n, timeout=5: zone.get(n.decode().rstrip('.').lower()))
print(cv, why)
sys.exit(0 if cv == dkim.CV_Pass else 1)
PY

# 3. The sealed message arrives from outside: SPF fails, DMARC fails (p=reject), the
#    trusted sealer recorded dmarc=pass: accepted with arc=pass.
cp "$E2E_DIR/sealed.eml" "$E2E_DIR/in.eml"
send --xclient "ADDR=203.0.113.9 NAME=mx.lists.example HELO=mx.lists.example" \
  --from alice@sender.example --to u@e2e.example --data "$E2E_DIR/in.eml"
check "from outside: accepted (250)" grep -q '^<-  250 .*queued' "$E2E_DIR/swaks.out"
sleep 1
f3=$(grep -l 'client-ip=203.0.113.9' "$E2E_DIR"/mail/inbox/new/* | head -1)
check "from outside: delivered" test -n "$f3"
check "from outside: dmarc=fail and arc=pass" bash -c "tr -d '\n\t' < '$f3' | grep -q 'dmarc=fail' && tr -d '\n\t' < '$f3' | grep -q 'arc=pass (i=1 lists.e2e.example)'"
check "log names the rule" grep -q 'rule=arc-trusted-sealer' "$E2E_DIR/alignd.log"

# 4. Tampered after sealing: arc=fail, refused.
sed 's/^Hello list\./Hello spam./' "$E2E_DIR/in.eml" > "$E2E_DIR/tampered.eml"
send --xclient "ADDR=203.0.113.10 NAME=mx.lists.example HELO=mx.lists.example" \
  --from alice@sender.example --to u@e2e.example --data "$E2E_DIR/tampered.eml" || true
check "tampered: 550 5.7.1" grep -qE '^<\*\* +550 5\.7\.1 ' "$E2E_DIR/swaks.out"

e2e_finish
