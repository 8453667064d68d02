#!/bin/bash
# DKIM interoperability, both directions, with tampered copies:
#   alignd-signed (RSA + Ed25519, via `alignd keygen` keys) -> dkimpy, opendkim -t, alignd
#   dkimpy-signed (RSA, Ed25519; relaxed and simple; with and without l=) -> alignd
#   a body without a final CRLF, both directions, through the verifier and `alignd eval`
# Offline: keys come from local zone data (TestDNSData for opendkim, a dnsfunc for dkimpy).
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}" "${ALIGND_BUILD_DIR:?}"
TOOL=$ALIGND_BUILD_DIR/dkim_tool
PY=/usr/bin/python3
HELPER=$ALIGND_SOURCE_DIR/tests/integration/dkim/dkimpy_tool.py
work=$(mktemp -d /tmp/alignd-dkim-interop.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
# expect WHAT EXPECTED ACTUAL
expect() { if [ "$2" == "$3" ]; then ok; else bad "$1: expected '$2', got '$3'"; fi; }

ours() {  # results of alignd's verifier, one word per signature
  "$TOOL" verify -z "$work/zone" "$1" | awk '{print $1}' | paste -sd' '
}
dkimpy() { "$PY" "$HELPER" verify --zone "$work/zone" "$1" | paste -sd' '; }
opendkim_t() {  # dkim= results from opendkim's Authentication-Results, in order
  opendkim -x "$work/opendkim.conf" -vv -t "$1" 2>/dev/null |
    grep -o 'dkim=[a-z]*' | sed 's/dkim=//' | paste -sd' ' || true
}

# --- keys: alignd keygen (RSA 2048 + Ed25519), dkimpy keys (RSA 2048 + Ed25519 seed) ---
"$ALIGND" keygen --domain example.com --selector rsa1 --out "$work" >"$work/zone" 2>/dev/null
"$ALIGND" keygen --domain example.com --selector ed1 --type ed25519 --out "$work" >>"$work/zone" 2>/dev/null
# readable by the daemon: group alignd 0640 when that group exists, else 0600 (docs/dkim.md)
if getent group alignd >/dev/null; then want_mode="640 640"; else want_mode="600 600"; fi
expect "keygen key mode" "$want_mode" "$(stat -c %a "$work/example.com.rsa1.key" "$work/example.com.ed1.key" | paste -sd' ')"
expect "keygen TXT strings <= 255" "" "$(grep -o '"[^"]*"' "$work/zone" | awk 'length($0) > 257')"
if "$ALIGND" keygen --domain example.com --selector rsa1 --out "$work" >/dev/null 2>&1; then
  bad "keygen overwrote an existing key"
else ok; fi

openssl genrsa -out "$work/py-rsa.pem" 2048 2>/dev/null
chmod 600 "$work/py-rsa.pem"
echo "py-rsa._domainkey.example.org. 3600 IN TXT \"v=DKIM1; k=rsa; p=$(openssl rsa -in "$work/py-rsa.pem" -pubout -outform DER 2>/dev/null | base64 -w0)\"" |
  "$PY" -c 'import sys; l=sys.stdin.read().strip(); i=l.index("\""); v=l[i+1:-1]; print(l[:i] + " ".join("\"%s\"" % v[j:j+255] for j in range(0, len(v), 255)))' >>"$work/zone"
edpub=$("$PY" "$HELPER" genkey-ed25519 "$work/py-ed.seed")
echo "py-ed._domainkey.example.org. 3600 IN TXT \"v=DKIM1; k=ed25519; p=$edpub\"" >>"$work/zone"

"$PY" "$HELPER" opendkim-data "$work/zone" >"$work/opendkim.data"
printf 'Mode v\nSyslog no\nTestDNSData file:%s\n' "$work/opendkim.data" >"$work/opendkim.conf"

mkdir "$work/msg"
"$PY" "$HELPER" messages "$work/msg"

# --- alignd signs, everyone verifies ---
for canon in relaxed/relaxed simple/simple; do
  for m in "$work"/msg/*.eml; do
    name="$(basename "$m" .eml) $canon"
    s="$work/signed.eml"
    "$TOOL" sign -c "$canon" -k "example.com:rsa1:$work/example.com.rsa1.key" \
      -k "example.com:ed1:$work/example.com.ed1.key" "$m" >"$s"
    expect "$name: alignd verifies alignd" "pass pass" "$(ours "$s")"
    expect "$name: dkimpy verifies alignd" "pass pass" "$(dkimpy "$s")"
    expect "$name: opendkim verifies alignd" "pass pass" "$(opendkim_t "$s")"
    "$PY" "$HELPER" tamper "$s" >"$work/tampered.eml"
    expect "$name: tampered, alignd" "fail fail" "$(ours "$work/tampered.eml")"
    expect "$name: tampered, dkimpy" "fail fail" "$(dkimpy "$work/tampered.eml")"
    expect "$name: tampered, opendkim" "fail fail" "$(opendkim_t "$work/tampered.eml")"
  done
done

# --- dkimpy signs, alignd verifies ---
for key in "rsa-sha256 py-rsa $work/py-rsa.pem" "ed25519-sha256 py-ed $work/py-ed.seed"; do
  read -r alg sel file <<<"$key"
  for canon in relaxed/relaxed simple/simple relaxed/simple; do
    for length in "" --length; do
      for m in "$work"/msg/folded.eml "$work"/msg/trailing-ws.eml "$work"/msg/8bit.eml "$work"/msg/1mb.eml; do
        name="dkimpy $alg $canon ${length:-no-l} $(basename "$m" .eml)"
        s="$work/py-signed.eml"
        "$PY" "$HELPER" sign --key "$file" --domain example.org --selector "$sel" --alg "$alg" \
          --canon "$canon" $length "$m" >"$s"
        expect "$name: dkimpy verifies itself" "pass" "$(dkimpy "$s")"
        expect "$name: alignd verifies dkimpy" "pass" "$(ours "$s")"
        line=$("$TOOL" verify -z "$work/zone" "$s")
        if [ -n "$length" ]; then
          expect "$name: l= reported" "l=1 unsigned=0" "$(echo "$line" | grep -o 'l=[01] unsigned=[01]')"
          "$PY" "$HELPER" append "$s" "Unsigned trailer added later." >"$work/appended.eml"
          expect "$name: appended after l=, policy by default (issue 10 item 4)" "policy" "$(ours "$work/appended.eml")"
          expect "$name: appended content reported" "l=1 unsigned=1" \
            "$("$TOOL" verify -z "$work/zone" "$work/appended.eml" | grep -o 'l=[01] unsigned=[01]')"
        else
          expect "$name: no l=" "l=0 unsigned=0" "$(echo "$line" | grep -o 'l=[01] unsigned=[01]')"
        fi
        "$PY" "$HELPER" tamper "$s" >"$work/tampered.eml"
        expect "$name: tampered, dkimpy" "fail" "$(dkimpy "$work/tampered.eml")"
        expect "$name: tampered, alignd" "fail" "$(ours "$work/tampered.eml")"
      done
    done
  done
done

# --- the same through `alignd eval`, the milter's own pipeline ---
cat >"$work/eval.toml" <<TOML
[[signing.keys]]
domain = "example.com"
selector = "rsa1"
key_file = "$work/example.com.rsa1.key"
[[signing.keys]]
domain = "example.com"
selector = "ed1"
key_file = "$work/example.com.ed1.key"
[store]
url = "none"
TOML
for m in "$work"/msg/*.eml; do
  name="eval $(basename "$m" .eml)"
  "$ALIGND" eval -c "$work/eval.toml" --client-ip 127.0.0.1 --dns-zone "$work/zone" "$m" \
    >"$work/eval.out" 2>/dev/null
  "$PY" "$HELPER" eval-signed "$work/eval.out" "$m" >"$work/signed.eml"
  expect "$name: outbound signed twice (RSA + Ed25519)" "2" "$(grep -c '^DKIM-Signature:' "$work/signed.eml")"
  expect "$name: dkimpy verifies eval's signatures" "pass pass" "$(dkimpy "$work/signed.eml")"
  expect "$name: opendkim verifies eval's signatures" "pass pass" "$(opendkim_t "$work/signed.eml")"
  "$ALIGND" eval -c "$work/eval.toml" --client-ip 127.0.0.1 --dns-zone "$work/zone" \
    "$work/signed.eml" >"$work/eval2.out" 2>/dev/null
  expect "$name: re-injected message is not signed again" "0" "$(grep -c '^add: DKIM-Signature:' "$work/eval2.out" || true)"
done
for key in "rsa-sha256 py-rsa $work/py-rsa.pem" "ed25519-sha256 py-ed $work/py-ed.seed"; do
  read -r alg sel file <<<"$key"
  for canon in relaxed/relaxed simple/simple; do
    name="eval inbound dkimpy $alg $canon"
    "$PY" "$HELPER" sign --key "$file" --domain example.org --selector "$sel" --alg "$alg" \
      --canon "$canon" "$work/msg/folded.eml" >"$work/py-signed.eml"
    "$ALIGND" eval -c "$work/eval.toml" --client-ip 192.0.2.1 --mail-from a@example.org --dns-zone "$work/zone" \
      --json "$work/py-signed.eml" >"$work/eval.json" 2>/dev/null
    expect "$name" "pass" "$("$PY" "$HELPER" eval-dkim "$work/eval.json")"
    "$PY" "$HELPER" tamper "$work/py-signed.eml" >"$work/tampered.eml"
    "$ALIGND" eval -c "$work/eval.toml" --client-ip 192.0.2.1 --mail-from a@example.org --dns-zone "$work/zone" \
      --json "$work/tampered.eml" >"$work/eval.json" 2>/dev/null
    expect "$name, tampered" "fail" "$("$PY" "$HELPER" eval-dkim "$work/eval.json")"
  done
done

# --- a body without a final line break (RFC 6376 §3.4.3, §3.4.4: a CRLF is added) ---
# dkim_tool feeds the body as it is (as BDAT may deliver it); `alignd eval` reads the
# file as SMTP DATA would deliver it (ending in CRLF). Both must pass what dkimpy signed.
printf 'From: a@example.org\r\nTo: b@example.net\r\nSubject: no final newline\r\n\r\nHello.\r\n\r\nno line break at the end,  with  spaces' \
  >"$work/nofinal.eml"
for key in "rsa-sha256 py-rsa $work/py-rsa.pem" "ed25519-sha256 py-ed $work/py-ed.seed"; do
  read -r alg sel file <<<"$key"
  for canon in relaxed/relaxed simple/simple relaxed/simple simple/relaxed; do
    name="no final CRLF, dkimpy $alg $canon"
    "$PY" "$HELPER" sign --key "$file" --domain example.org --selector "$sel" --alg "$alg" \
      --canon "$canon" "$work/nofinal.eml" >"$work/py-signed.eml"
    expect "$name: dkimpy verifies itself" "pass" "$(dkimpy "$work/py-signed.eml")"
    expect "$name: alignd verifier" "pass" "$(ours "$work/py-signed.eml")"
    "$ALIGND" eval -c "$work/eval.toml" --client-ip 192.0.2.1 --mail-from a@example.org --dns-zone "$work/zone" \
      --json "$work/py-signed.eml" >"$work/eval.json" 2>/dev/null
    expect "$name: alignd eval" "pass" "$("$PY" "$HELPER" eval-dkim "$work/eval.json")"
  done
done
for canon in relaxed/relaxed simple/simple; do
  "$TOOL" sign -c "$canon" -k "example.com:rsa1:$work/example.com.rsa1.key" "$work/nofinal.eml" >"$work/signed.eml"
  expect "no final CRLF, alignd signs $canon: dkimpy verifies" "pass" "$(dkimpy "$work/signed.eml")"
  expect "no final CRLF, alignd signs $canon: alignd verifies" "pass" "$(ours "$work/signed.eml")"
done

# --- fixed corpus: the RFC 8463 example and the RFC 8301 cases, alignd and dkimpy agree ---
data=$ALIGND_SOURCE_DIR/tests/data/dkim
expect "RFC 8463 A.3, alignd" "pass pass" "$("$TOOL" verify -z "$data/fixtures.zone" "$data/rfc8463-a3.eml" | awk '{print $1}' | paste -sd' ')"
expect "RFC 8463 A.3, opendkim" "pass pass" "$(cp "$work/zone" "$work/zone.bak"; cp "$data/fixtures.zone" "$work/zone";
  "$PY" "$HELPER" opendkim-data "$work/zone" >"$work/opendkim.data"; opendkim_t "$data/rfc8463-a3.eml")"
expect "rsa-sha1 fails in alignd" "fail" "$("$TOOL" verify -z "$data/fixtures.zone" "$data/rsa-sha1.eml" | awk '{print $1}')"
expect "512-bit key fails in alignd" "fail" "$("$TOOL" verify -z "$data/fixtures.zone" "$data/rsa512.eml" | awk '{print $1}')"

echo "dkim interop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
