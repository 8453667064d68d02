#!/bin/bash
# Integration: `alignd keygen --record KEYFILE` (issue 15) prints the DNS TXT record
# of an existing private key exactly as `alignd keygen` printed it at generation
# (RFC 6376 §3.6.1; Ed25519: RFC 8463 §4), for RSA and Ed25519 keys, keygen's PEM,
# OpenSSL's PKCS#1 and dkimpy's base64 seed; a signature made with the key
# verifies against the printed record, with dkimpy and with our verifier.
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}" "${ALIGND_BUILD_DIR:?}"
PY=/usr/bin/python3
HELPER=$ALIGND_SOURCE_DIR/tests/integration/dkim/dkimpy_tool.py
TOOL=$ALIGND_BUILD_DIR/dkim_tool
T=$(mktemp -d /tmp/alignd-keygen-record.XXXXXX)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $name"; else failed=$((failed + 1)); echo "FAIL - $name"; fi
}
mkdir "$T/msg"
"$PY" "$HELPER" messages "$T/msg"
msg=$T/msg/folded.eml
# keygen --record, reading no configuration but ours (-c: the last one given wins).
: >"$T/empty.toml"
record() { "$ALIGND" keygen -c "$T/empty.toml" --record "$@"; }
# verify_both ZONE SIGNED: dkimpy and our verifier both say pass.
verify_both() {
  [ "$("$PY" "$HELPER" verify --zone "$1" "$2")" = pass ] &&
    [ "$("$TOOL" verify -z "$1" "$2" | awk '{print $1}')" = pass ]
}

for type in rsa ed25519; do
  key=$T/example.com.$type-s1.key
  "$ALIGND" keygen --domain example.com --selector "$type-s1" --type "$type" --out "$T" \
    >"$T/$type.gen" 2>/dev/null
  record "$key" >"$T/$type.rec" 2>"$T/$type.err"
  sed 's/^/    /' "$T/$type.rec"
  check "$type: --record prints what keygen printed (name from D.S.key)" cmp -s "$T/$type.gen" "$T/$type.rec"
  check "$type: says the key type" grep -q "$type" "$T/$type.err"
  record "$key" --domain EXAMPLE.com. --selector "$type-s1" >"$T/$type.rec2" 2>/dev/null
  check "$type: --domain/--selector give the same line" cmp -s "$T/$type.gen" "$T/$type.rec2"
  cp "$key" "$T/$type-plain.pem"
  record "$T/$type-plain.pem" >"$T/$type.value" 2>/dev/null
  check "$type: no name derivable: only the quoted strings, the same" \
    test "$(cat "$T/$type.value")" = "$(grep -o '"v=DKIM1.*$' "$T/$type.gen")"
  check "$type: k=$type" grep -q "^\"v=DKIM1; k=$type; p=" "$T/$type.value"
  # Sign with the key; the record --record printed verifies it.
  "$TOOL" sign -k "example.com:$type-s1:$key" "$msg" >"$T/$type.signed"
  check "$type: signature verifies against the printed record (dkimpy, alignd)" verify_both "$T/$type.rec" "$T/$type.signed"
done
check "RSA record split into strings of at most 255 bytes" test "$(grep -o '"[^"]*"' "$T/rsa.rec" | awk 'length($0) > 257')" = ""

# A key made elsewhere: OpenSSL's PKCS#1 RSA key, p= as OpenSSL derives it.
openssl genrsa -traditional -out "$T/example.net.ossl.key" 2048 2>/dev/null
want=$(openssl rsa -in "$T/example.net.ossl.key" -pubout -outform DER 2>/dev/null | base64 -w0)
record "$T/example.net.ossl.key" >"$T/ossl.rec" 2>/dev/null
check "PKCS#1 RSA: name from the file, p= as OpenSSL's" \
  test "$(grep -o '^ossl\._domainkey\.example\.net\. ' "$T/ossl.rec")$(grep -o '"[^"]*"' "$T/ossl.rec" | tr -d '"\n')" = \
  "ossl._domainkey.example.net. v=DKIM1; k=rsa; p=$want"
# dkimpy's Ed25519 key: a base64 seed (RFC 8463 §A.1); dkimpy signs, both verify.
edpub=$("$PY" "$HELPER" genkey-ed25519 "$T/example.org.py.key")
record "$T/example.org.py.key" >"$T/py.rec" 2>/dev/null
check "dkimpy Ed25519 seed: p= as dkimpy's" grep -q "^py\._domainkey\.example\.org\. 3600 IN TXT \"v=DKIM1; k=ed25519; p=$edpub\"$" "$T/py.rec"
"$PY" "$HELPER" sign --key "$T/example.org.py.key" --domain example.org --selector py --alg ed25519-sha256 "$msg" >"$T/py.signed"
check "dkimpy Ed25519 signature verifies against the printed record" verify_both "$T/py.rec" "$T/py.signed"

# Any file name: the name comes from the [[signing.keys]] entry of -c CONFIG.
printf '[[signing.keys]]\ndomain = "example.com"\nselector = "rsa-s1"\nkey_file = "%s"\n' "$T/rsa-plain.pem" >"$T/alignd.toml"
record "$T/rsa-plain.pem" -c "$T/alignd.toml" >"$T/cfg.rec" 2>/dev/null
check "name from the configuration's [[signing.keys]] entry" cmp -s "$T/rsa.gen" "$T/cfg.rec"

# Not a key, no file: exit 1 with the reason; --type makes no sense with --record.
echo "not a key" >"$T/junk.key"
rc=0; record "$T/junk.key" >/dev/null 2>"$T/junk.err" || rc=$?
check "not a key: exit 1, says why" test "$rc:$(grep -c 'not an RSA or Ed25519 private key' "$T/junk.err")" = 1:1
rc=0; record "$T/missing.key" >/dev/null 2>"$T/missing.err" || rc=$?
check "missing file: exit 1, names it" test "$rc:$(grep -c 'missing.key: No such file' "$T/missing.err")" = 1:1
rc=0; record "$T/example.com.rsa-s1.key" --type rsa >/dev/null 2>&1 || rc=$?
check "--record with --type: usage error" test "$rc" = 2

echo "keygen --record: $passed passed, $failed failed"
[ "$failed" = 0 ]
