#!/bin/bash
# Integration: `alignd check-domain` (docs/check-domain.md) against a zone file
# (--dns-zone: the whole DNS, offline). good.example publishes everything right
# (exit 0); bad.example gets every finding it deserves (exit 1): +all, removed
# DMARC tags, an unauthorized external rua, a DKIM record that does not match
# the local key, a key about to expire, no MX; many.example has 11 includes.
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}"
T=$(mktemp -d /tmp/alignd-check-domain.XXXXXX)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $name"; else failed=$((failed + 1)); echo "FAIL - $name"; fi
}
mkdir -p "$T/keys"
"$ALIGND" keygen --domain good.example --selector s2026 --out "$T/keys" 2>/dev/null >"$T/good.txt"
"$ALIGND" keygen --domain bad.example --selector s1 --out "$T/keys" 2>/dev/null >/dev/null
"$ALIGND" keygen --domain other.example --selector x --out "$T/keys" 2>/dev/null >"$T/other.txt"
soon=$(date -u -d '+10 days' +%F)
cat >"$T/zone" <<ZONE
good.example.                 300 IN MX  10 mx.good.example.
mx.good.example.              300 IN A   192.0.2.25
good.example.                 300 IN TXT "v=spf1 mx include:_spf.good.example -all"
_spf.good.example.            300 IN TXT "v=spf1 ip4:192.0.2.0/24 ~all"
_dmarc.good.example.          300 IN TXT "v=DMARC1; p=reject; rua=mailto:d@good.example,mailto:r@reports.example.net"
good.example._report._dmarc.reports.example.net. 300 IN TXT "v=DMARC1"
$(cat "$T/good.txt")
bad.example.                  300 IN TXT "v=spf1 +all"
_dmarc.bad.example.           300 IN TXT "v=DMARC1; p=reject; pct=50; ri=3600; rua=mailto:r@reports.example.net"
$(sed 's/other\.example/bad.example/; s/^x\./s1./' "$T/other.txt")
many.example.                 300 IN MX  10 mx.good.example.
many.example.                 300 IN TXT "v=spf1 include:a.many.example include:b.many.example include:c.many.example include:d.many.example include:e.many.example include:f.many.example" " include:g.many.example include:h.many.example include:i.many.example include:j.many.example include:k.many.example -all"
_dmarc.many.example.          300 IN TXT "v=DMARC1; p=none"
ZONE
for l in a b c d e f g h i j k; do echo "$l.many.example. 300 IN TXT \"v=spf1 -all\"" >>"$T/zone"; done
cat >"$T/alignd.toml" <<CONF
[store]
url = "none"
[[signing.keys]]
domain = "good.example"
selector = "s2026"
key_file = "$T/keys/good.example.s2026.key"
[[signing.keys]]
domain = "bad.example"
selector = "s1"
key_file = "$T/keys/bad.example.s1.key"
not_after = "$soon"
CONF

cd_run() { "$ALIGND" check-domain -c "$T/alignd.toml" --dns-zone "$T/zone" "$@"; }
rc=0; cd_run good.example >"$T/good.out" || rc=$?
sed 's/^/    /' "$T/good.out"
check "good.example: exit 0" test "$rc" = 0
check "good.example: the key matches" grep -q "s2026: DNS record matches" "$T/good.out"
check "good.example: external rua authorized" grep -q "external rua r@reports.example.net authorized" "$T/good.out"
check "good.example: 2 DNS terms" grep -q "^spf   ok      2 DNS-querying terms" "$T/good.out"

rc=0; cd_run bad.example --json >"$T/bad.json" || rc=$?
rc_text=0; cd_run bad.example >"$T/bad.out" || rc_text=$?
sed 's/^/    /' "$T/bad.out"
check "bad.example: exit 1" test "$rc" = 1 -a "$rc_text" = 1
has() {  # has SEVERITY TEXT: a finding in bad.json
  /usr/bin/python3 - "$T/bad.json" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(f["severity"] == sys.argv[2] and sys.argv[3] in f["message"] for f in d["findings"]) else 1)
PY
} 2>/dev/null
check "bad.example: --json says not ok" /usr/bin/python3 -c "import json,sys; sys.exit(json.load(open('$T/bad.json'))['ok'])"
check "bad.example: +all" has error "lets every host"
check "bad.example: pct removed" has warning "pct=50 was removed by RFC 9989"
check "bad.example: ri removed" has warning "ri= was removed"
check "bad.example: external rua not authorized" has error "is not authorized: bad.example._report._dmarc.reports.example.net"
check "bad.example: key mismatch" has error "s1: DNS record does not match the private key"
check "bad.example: not_after soon" has warning "is less than 30 days away"
check "bad.example: no MX" has warning "no MX record"

rc=0; cd_run many.example >"$T/many.out" || rc=$?
check "many.example: 11 DNS terms, exit 1" bash -c "test $rc = 1 && grep -q '^spf   error   11 DNS-querying terms' '$T/many.out'"
check "many.example: p=none is info" grep -q "^dmarc info    p=none" "$T/many.out"
rc=0; cd_run nothing.example --selector s9 >"$T/none.out" || rc=$?
check "nothing.example: no SPF, no DMARC, no key, exit 1" bash -c "test $rc = 1 && grep -q 'no SPF record' '$T/none.out' && grep -q 'no DMARC record applies' '$T/none.out' && grep -q 'no key record at s9._domainkey.nothing.example' '$T/none.out'"
rc=0; "$ALIGND" check-domain >/dev/null 2>&1 || rc=$?
check "usage error exits 2" test "$rc" = 2

# The same domains through the configured resolver (libunbound) against a real
# authoritative server, nsd on loopback serving that zone: the findings must be
# the very same as from the zone file.
if command -v nsd >/dev/null; then
  HELP=$ALIGND_SOURCE_DIR/tests/integration/dns/helpers.py
  for apex in example example.net; do
    { echo "\$ORIGIN $apex."
      echo "@ 300 IN SOA ns.$apex. hostmaster.$apex. 1 3600 600 86400 300"
      echo "@ 300 IN NS ns.$apex."
      echo "ns 300 IN A 127.0.0.1"
      grep -E "^[^ ]*\.${apex//./\\.}\. " "$T/zone" | grep -vE '\.example\.net\. ' | grep -v "^[^ ]*\.example\.net\." || true
    } >"$T/$apex.zone"
  done
  grep -E '^[^ ]*\.example\.net\. ' "$T/zone" >>"$T/example.net.zone"
  NSD_PORT=$(/usr/bin/python3 "$HELP" free-port)
  # shellcheck source=dns/nsd.bash
  source "$ALIGND_SOURCE_DIR/tests/integration/dns/nsd.bash"
  nsd_conf "$T" "$NSD_PORT" example example.net
  nsd -d -c "$T/nsd.conf" &
  nsd_pid=$!
  trap 'kill $nsd_pid 2>/dev/null; wait $nsd_pid 2>/dev/null; rm -rf "$T"' EXIT
  if /usr/bin/python3 "$HELP" wait "$NSD_PORT" example.; then
    sed "1i [dns]\nservers = [\"127.0.0.1@$NSD_PORT\"]" "$T/alignd.toml" >"$T/alignd-nsd.toml"
    for d in good.example bad.example many.example nothing.example; do
      "$ALIGND" check-domain -c "$T/alignd.toml" --dns-zone "$T/zone" --json "$d" >"$T/$d.zone.json" || true
      "$ALIGND" check-domain -c "$T/alignd-nsd.toml" --json "$d" >"$T/$d.nsd.json" 2>"$T/$d.nsd.err" || true
      check "$d through libunbound and nsd: the same findings as from the zone file" \
        cmp -s "$T/$d.zone.json" "$T/$d.nsd.json"
      cmp -s "$T/$d.zone.json" "$T/$d.nsd.json" || { diff "$T/$d.zone.json" "$T/$d.nsd.json" | head -20; cat "$T/$d.nsd.err"; }
    done
  else
    failed=$((failed + 1)); echo "FAIL - nsd did not start"; cat "$T/nsd.log" >&2 || true
  fi
else
  echo "skip - nsd not installed: the real-resolver half did not run"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
