#!/bin/bash
# ARC (RFC 8617) interoperability with dkimpy, both directions, offline:
#   dkimpy seals 1, 2, 3 hops            -> alignd eval (and dkimpy) say arc=pass
#   tampered body, removed set, swapped instances, cv=fail -> both say fail
#   alignd seals (eval, outbound)        -> dkimpy verifies
#   three hops sealed alternately by dkimpy and alignd -> both verify
#   enforce.toml: a trusted sealer's recorded dmarc=pass overrides p=reject, an untrusted one does not
# Keys come from a zone file (alignd --dns-zone; a dnsfunc for dkimpy).
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}"
PY=/usr/bin/python3
H=$ALIGND_SOURCE_DIR/tests/integration/arc/arc_dkimpy.py
work=$(mktemp -d /tmp/alignd-arc-interop.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect() { if [ "$2" == "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi; }

zone=$work/zone
# dkimpy sealers: lists.example.org (py1), relay.example.com (py2), evil.example (py3)
n=0
for d in lists.example.org relay.example.com evil.example; do
  n=$((n + 1))
  openssl genrsa -out "$work/py$n.pem" 2048 2>/dev/null
  chmod 600 "$work/py$n.pem"
  p=$(openssl rsa -in "$work/py$n.pem" -pubout -outform DER 2>/dev/null | base64 -w0)
  echo "py$n._domainkey.$d. 3600 IN TXT \"v=DKIM1; k=rsa; p=${p:0:200}\" \"${p:200}\"" >>"$zone"
done
# alignd's sealer: fwd.example.net (key from alignd keygen)
"$ALIGND" keygen --domain fwd.example.net --selector al1 --out "$work" >>"$zone" 2>/dev/null
# the author domain asks for reject; no SPF/DKIM will pass for it at the final hop
echo '_dmarc.example.com. 3600 IN TXT "v=DMARC1; p=reject"' >>"$zone"

cat >"$work/seal.toml" <<TOML
authserv_id = "mx.fwd.example.net"
[arc]
seal = true
seal_domain = "fwd.example.net"
[[signing.keys]]
domain = "fwd.example.net"
selector = "al1"
key_file = "$work/fwd.example.net.al1.key"
[store]
url = "none"
TOML
for trust in trusted untrusted; do
  sealers='["lists.example.org", "relay.example.com", "fwd.example.net"]'
  [ "$trust" = untrusted ] && sealers='[]'
  cat >"$work/$trust.toml" <<TOML
authserv_id = "mx.example.net"
[arc]
trusted_sealers = $sealers
[policy]
files = ["$ALIGND_SOURCE_DIR/policies/enforce.toml"]
[store]
url = "none"
TOML
done

printf 'From: Alice <alice@example.com>\nTo: list@lists.example.org\nSubject: hello\nDate: Thu, 1 Jan 2026 00:00:00 +0000\nMessage-ID: <1@example.com>\n\nHello there.\nA second line.\n' >"$work/m.eml"

py_seal() {  # py_seal N SRCMSG ARESULTS > OUT  (sealer N: py$N)
  local d
  d=$(sed -n "$1p" <<<$'lists.example.org\nrelay.example.com\nevil.example')
  "$PY" "$H" seal --key "$work/py$1.pem" --domain "$d" --selector "py$1" --srv-id "mx.$d" --ar "$3" "$2"
}
al_seal() {  # al_seal SRCMSG > OUT: alignd eval as an outbound relay (trusted client)
  "$ALIGND" eval -c "$work/seal.toml" --client-ip 127.0.0.1 --mail-from list@fwd.example.net \
    --dns-zone "$zone" "$1" >"$work/eval.out" 2>"$work/eval.err"
  "$PY" "$H" eval-sealed "$work/eval.out" "$1"
}
ours() {  # ours MSG [CONFIG]: "result oldest-pass sealers trusted_pass"
  "$ALIGND" eval ${2:+-c "$2"} --client-ip 192.0.2.1 --mail-from bounce@lists.example.org \
    --dns-zone "$zone" --json "$1" >"$work/eval.json" 2>/dev/null
  "$PY" "$H" eval-arc "$work/eval.json"
}
theirs() { "$PY" "$H" verify --zone "$zone" "$1" 2>/dev/null; }
verdict() {  # verdict MSG CONFIG: "action rule override"
  "$ALIGND" eval -c "$2" --client-ip 192.0.2.1 --mail-from bounce@lists.example.org \
    --dns-zone "$zone" --json "$1" 2>/dev/null |
    "$PY" -c 'import json,sys; v=json.load(sys.stdin); o=v["dmarc"]["override"]; print(v["verdict"]["action"], v["verdict"]["rule"] or "-", o["type"] if o else "-")'
}

dmarc_pass="spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com"

# --- dkimpy seals 1, 2, 3 hops; alignd and dkimpy verify ---
py_seal 1 "$work/m.eml" "$dmarc_pass" >"$work/h1.eml"
py_seal 2 "$work/h1.eml" "spf=fail smtp.mailfrom=lists.example.org; arc=pass" >"$work/h2.eml"
py_seal 3 "$work/h2.eml" "arc=pass" >"$work/h3.eml"
expect "dkimpy 1 hop: alignd" "pass 0 lists.example.org trusted_pass=false" "$(ours "$work/h1.eml")"
expect "dkimpy 2 hops: alignd" "pass 0 lists.example.org,relay.example.com trusted_pass=false" "$(ours "$work/h2.eml")"
expect "dkimpy 3 hops: alignd" "pass 0 lists.example.org,relay.example.com,evil.example trusted_pass=false" "$(ours "$work/h3.eml")"
for h in 1 2 3; do expect "dkimpy $h hops: dkimpy" "pass" "$(theirs "$work/h$h.eml")"; done
"$ALIGND" eval --client-ip 192.0.2.1 --mail-from bounce@relay.example.com --dns-zone "$zone" "$work/h2.eml" >"$work/ar.out" 2>/dev/null
expect "A-R names arc, remote-ip and oldest-pass" "1" \
  "$(tr -d '\r' <"$work/ar.out" | tr '\n\t' '  ' | tr -s ' ' | grep -c 'arc=pass (i=1 lists.example.org, i=2 relay.example.com) smtp.remote-ip=192.0.2.1 header.oldest-pass=0' || true)"

# --- broken chains ---
"$PY" "$H" tamper-body "$work/h3.eml" >"$work/t.eml"
expect "tampered body: alignd" "fail" "$(ours "$work/t.eml" | cut -d' ' -f1)"
expect "tampered body: dkimpy" "fail" "$(theirs "$work/t.eml")"
"$PY" "$H" drop-set "$work/h3.eml" 2 >"$work/t.eml"
expect "set 2 removed: alignd" "fail" "$(ours "$work/t.eml" | cut -d' ' -f1)"
expect "set 2 removed: dkimpy" "fail" "$(theirs "$work/t.eml")"
"$PY" "$H" drop-set "$work/h3.eml" 3 >"$work/t.eml"
expect "set 3 removed (older chain intact, but AS 2 now newest): alignd" "pass" "$(ours "$work/t.eml" | cut -d' ' -f1)"
"$PY" "$H" swap-instances "$work/h3.eml" >"$work/t.eml"
expect "instances 1 and 2 swapped: alignd" "fail" "$(ours "$work/t.eml" | cut -d' ' -f1)"
expect "instances 1 and 2 swapped: dkimpy" "fail" "$(theirs "$work/t.eml")"
"$PY" "$H" tamper-body "$work/h1.eml" >"$work/t1.eml"
py_seal 2 "$work/t1.eml" "arc=fail" >"$work/t.eml"
expect "cv=fail chain: alignd" "fail" "$(ours "$work/t.eml" | cut -d' ' -f1)"
expect "cv=fail chain: dkimpy" "fail" "$(theirs "$work/t.eml")"
sed 's/^Subject: hello/Subject: [list] hello/' "$work/h1.eml" >"$work/t1.eml"
py_seal 2 "$work/t1.eml" "arc=pass" >"$work/t.eml"
expect "header changed between hops: oldest-pass=2" "pass 2" "$(ours "$work/t.eml" | cut -d' ' -f1,2)"

# --- alignd seals; dkimpy verifies ---
al_seal "$work/m.eml" >"$work/a1.eml"
expect "alignd seal i=1: one ARC-Seal" "1" "$(grep -c '^ARC-Seal: i=1; a=rsa-sha256; cv=none; d=fwd.example.net' "$work/a1.eml" || true)"
expect "alignd 1 hop: dkimpy" "pass" "$(theirs "$work/a1.eml")"
expect "alignd 1 hop: alignd" "pass 0 fwd.example.net trusted_pass=false" "$(ours "$work/a1.eml")"
"$PY" "$H" tamper-body "$work/a1.eml" >"$work/t.eml"
expect "alignd 1 hop tampered: dkimpy" "fail" "$(theirs "$work/t.eml")"
al_seal "$work/h1.eml" >"$work/a2.eml"
expect "alignd seals over dkimpy: cv=pass i=2" "1" "$(grep -c '^ARC-Seal: i=2; a=rsa-sha256; cv=pass' "$work/a2.eml" || true)"
expect "alignd seals over dkimpy: dkimpy" "pass" "$(theirs "$work/a2.eml")"

sed 's/^From: Alice <alice@example.com>/From: Bob <bob@fwd.example.net>/' "$work/m.eml" >"$work/own.eml"
al_seal "$work/own.eml" >"$work/own-sealed.eml"
expect "alignd DKIM-signs and seals: AMS signs the DKIM-Signature" "1" \
  "$(tr -d '\r' <"$work/own-sealed.eml" | tr '\n\t' '  ' | grep -c 'ARC-Message-Signature: i=1;.*h=.*dkim-signature' || true)"
expect "alignd DKIM-signs and seals: dkimpy ARC" "pass" "$(theirs "$work/own-sealed.eml")"
expect "alignd DKIM-signs and seals: dkimpy DKIM" "True" \
  "$("$PY" -c 'import dkim,sys; sys.path.insert(0, sys.argv[3]); from dkimpy_tool import zone_records; r=zone_records(sys.argv[2]); print(dkim.verify(open(sys.argv[1],"rb").read(), dnsfunc=lambda n, timeout=5: r.get(n.decode().lower().rstrip(".")+".")))' \
     "$work/own-sealed.eml" "$zone" "$ALIGND_SOURCE_DIR/tests/integration/dkim")"

# --- three hops, alternating ---
py_seal 2 "$work/a2.eml" "arc=pass" >"$work/x3.eml"   # dkimpy, alignd, dkimpy
expect "dkimpy-alignd-dkimpy: dkimpy" "pass" "$(theirs "$work/x3.eml")"
expect "dkimpy-alignd-dkimpy: alignd" "pass 0 lists.example.org,fwd.example.net,relay.example.com trusted_pass=false" "$(ours "$work/x3.eml")"
py_seal 1 "$work/a1.eml" "arc=pass" >"$work/y2.eml"
al_seal "$work/y2.eml" >"$work/y3.eml"                  # alignd, dkimpy, alignd
expect "alignd-dkimpy-alignd: i=3 by alignd" "1" "$(grep -c '^ARC-Seal: i=3; a=rsa-sha256; cv=pass; d=fwd.example.net' "$work/y3.eml" || true)"
expect "alignd-dkimpy-alignd: dkimpy" "pass" "$(theirs "$work/y3.eml")"
expect "alignd-dkimpy-alignd: alignd" "pass 0 fwd.example.net,lists.example.org,fwd.example.net trusted_pass=false" "$(ours "$work/y3.eml")"
al_seal "$work/t.eml" >"$work/z.eml"  # a message whose own chain is broken
expect "alignd seals a broken chain with cv=fail" "1" "$(grep -c '^ARC-Seal: i=2; a=rsa-sha256; cv=fail' "$work/z.eml" || true)"
expect "that chain is fail for dkimpy" "fail" "$(theirs "$work/z.eml")"

# --- policy: enforce.toml with and without trusted sealers ---
expect "trusted list recorded dmarc=pass (p=reject)" "accept arc-trusted-sealer trusted_forwarder" "$(verdict "$work/h1.eml" "$work/trusted.toml")"
expect "same, no trusted sealers" "reject dmarc-reject -" "$(verdict "$work/h1.eml" "$work/untrusted.toml")"
expect "trusted pass, then an untrusted newest sealer" "reject dmarc-reject -" "$(verdict "$work/h3.eml" "$work/trusted.toml")"
expect "trusted pass, two trusted hops" "accept arc-trusted-sealer trusted_forwarder" "$(verdict "$work/h2.eml" "$work/trusted.toml")"
py_seal 3 "$work/m.eml" "$dmarc_pass" >"$work/e1.eml"
py_seal 1 "$work/e1.eml" "arc=pass" >"$work/e2.eml"
expect "untrusted hop's dmarc=pass resealed by a trusted list" "reject dmarc-reject -" "$(verdict "$work/e2.eml" "$work/trusted.toml")"
"$PY" "$H" tamper-body "$work/h1.eml" >"$work/t.eml"
expect "trusted chain, body changed afterwards" "reject dmarc-reject -" "$(verdict "$work/t.eml" "$work/trusted.toml")"

echo "arc interop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
