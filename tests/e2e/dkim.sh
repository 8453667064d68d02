#!/usr/bin/env bash
# DKIM end to end through Postfix (issue 5): an outbound message (trusted
# client) leaves with RSA + Ed25519 signatures that dkimpy verifies; the same
# message, sent in again from an outside address, arrives with dkim=pass; a
# tampered copy arrives with dkim=fail.
source "$(dirname "$0")/lib.bash"
e2e_setup
mkdir -p "$E2E_DIR/keys"
"$ALIGND" keygen --domain sign.example --selector rsa1 --out "$E2E_DIR/keys" > "$E2E_DIR/zone"
"$ALIGND" keygen --domain sign.example --selector ed1 --type ed25519 --out "$E2E_DIR/keys" >> "$E2E_DIR/zone"
echo 'sign.example. 300 IN TXT "v=spf1 -all"' >> "$E2E_DIR/zone"
rsa_key=$(ls "$E2E_DIR"/keys/*rsa1*); ed_key=$(ls "$E2E_DIR"/keys/*ed1*)
alignd_config "[dns]
zone_file = \"$E2E_DIR/zone\"
[[signing.keys]]
domain = \"sign.example\"
selector = \"rsa1\"
key_file = \"$rsa_key\"
[[signing.keys]]
domain = \"sign.example\"
selector = \"ed1\"
key_file = \"$ed_key\""
alignd_start

# dkimpy verifies every signature of FILE against the zone file.
dkimpy_verify() {
  /usr/bin/python3 - "$1" "$E2E_DIR/zone" <<'PY'
import re, sys, dkim
msg = open(sys.argv[1], 'rb').read()
# drop the lines the delivery agent prepended
msg = re.sub(rb'\A(?:(?:Return-Path|X-Original-To|Delivered-To):[^\n]*\n)+', b'', msg)
zone = {}
for line in open(sys.argv[2]):
    m = re.match(r'(\S+)\s+\d+\s+IN\s+TXT\s+(.*)$', line.strip())
    if m:
        zone.setdefault(m.group(1).rstrip('.').lower(), []).append(''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))))
def dnsfunc(name, timeout=5):
    name = name.decode() if isinstance(name, bytes) else name
    recs = zone.get(name.rstrip('.').lower(), [])
    return recs[0].encode() if recs else None
msg = msg.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
d = dkim.DKIM(msg)
n = len(re.findall(rb'^DKIM-Signature:', msg, re.M))
ok = all(d.verify(idx=i, dnsfunc=dnsfunc) for i in range(n))
print(f"{n} signatures, all valid: {ok}")
sys.exit(0 if ok and n == 2 else 1)
PY
}

send --from alice@sign.example --to u@e2e.example --h-From alice@sign.example --h-Subject out-1 \
  --body "Signed by alignd.\nSecond line with trailing space \n"
f=$(wait_delivered out-1) || fail "outbound message delivered"
check "two DKIM-Signature fields" test "$(grep -c '^DKIM-Signature:' "$f")" -eq 2
check "rsa-sha256 and ed25519-sha256" bash -c "grep -A3 '^DKIM-Signature' '$f' | grep -q 'a=rsa-sha256' && grep -A3 '^DKIM-Signature' '$f' | grep -q 'a=ed25519-sha256'"
check "dkimpy verifies both signatures" dkimpy_verify "$f"

# The signed message comes in from outside: dkim=pass for both signatures.
# (drop the delivery agent's lines and our own folded A-R field)
/usr/bin/python3 - "$f" > "$E2E_DIR/in.eml" <<'PY'
import re, sys
m = open(sys.argv[1]).read()
m = re.sub(r'^(?:Return-Path|X-Original-To|Delivered-To|Authentication-Results):.*\n(?:[ \t].*\n)*', '', m, flags=re.M)
sys.stdout.write(m)
PY
send --xclient "ADDR=203.0.113.9 NAME=mx.sign.example HELO=mx.sign.example" \
  --from alice@sign.example --to u@e2e.example --data "$E2E_DIR/in.eml"
sleep 1
f2=$(grep -l 'client-ip=203.0.113.9' "$E2E_DIR"/mail/inbox/new/* | head -1)
check "inbound copy delivered" test -n "$f2"
check "dkim=pass header.d=sign.example (rsa)" grep -qE 'dkim=pass header.d=sign.example header.s=rsa1' "$f2"
check "dkim=pass header.d=sign.example (ed25519)" grep -qE 'dkim=pass header.d=sign.example header.s=ed1' "$f2"

# Tampered body: both fail.
sed 's/Signed by alignd\./Signed by someone else./' "$E2E_DIR/in.eml" > "$E2E_DIR/tampered.eml"
send --xclient "ADDR=203.0.113.10 NAME=mx.sign.example HELO=mx.sign.example" \
  --from alice@sign.example --to u@e2e.example --data "$E2E_DIR/tampered.eml"
sleep 1
f3=$(grep -l 'client-ip=203.0.113.10' "$E2E_DIR"/mail/inbox/new/* | head -1)
check "tampered copy delivered (monitor policy)" test -n "$f3"
check "tampered copy: dkim=fail, no dkim=pass" bash -c "grep -q 'dkim=fail' '$f3' && ! grep -q 'dkim=pass' '$f3'"

e2e_finish
