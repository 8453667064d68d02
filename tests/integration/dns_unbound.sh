#!/bin/bash
# Integration: UnboundResolver against a real authoritative server (nsd) on 127.0.0.1,
# a UDP server that never answers, a zone nsd cannot load (SERVFAIL) and a DNSSEC-signed
# zone with its trust anchor (tests/integration/dns/helpers.py signs it). Loopback only.
# Runs the Catch2 binary test_dns_integration with the servers' addresses in the env.
set -euo pipefail
SRC=${ALIGND_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${ALIGND_BUILD_DIR:?set ALIGND_BUILD_DIR to the build directory}
BIN=$BUILD/test_dns_integration
PY=/usr/bin/python3
HELP=$SRC/tests/integration/dns/helpers.py
[ -x "$BIN" ] || { echo "missing $BIN (cmake --build ... --target test_dns_integration)" >&2; exit 1; }

T=$(mktemp -d /tmp/alignd-dns.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT

$PY "$HELP" zones "$T"
NSD_PORT=$($PY "$HELP" free-port)
cat >"$T/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1
  port: $NSD_PORT
  do-ip6: no
  username: ""
  chroot: ""
  zonesdir: "$T"
  database: ""
  pidfile: "$T/nsd.pid"
  xfrdfile: "$T/xfrd.state"
  zonelistfile: "$T/zone.list"
  logfile: "$T/nsd.log"
  server-count: 1
  verbosity: 1
remote-control:
  control-enable: no
zone:
  name: integration.example
  zonefile: integration.example.zone
zone:
  name: broken.example
  zonefile: broken.example.zone
zone:
  name: sec.example
  zonefile: sec.example.zone
CONF
nsd-checkconf "$T/nsd.conf"
nsd -d -c "$T/nsd.conf" &
pids+=($!)
$PY "$HELP" silent "$T/silent.port" &
pids+=($!)

if ! $PY "$HELP" wait "$NSD_PORT" integration.example.; then
  cat "$T/nsd.log" >&2 || true
  exit 1
fi
for _ in $(seq 50); do [ -s "$T/silent.port" ] && break; sleep 0.1; done
[ -s "$T/silent.port" ] || { echo "silent server did not start" >&2; exit 1; }

export DNS_NSD="127.0.0.1@$NSD_PORT"
export DNS_SILENT="127.0.0.1@$(cat "$T/silent.port")"
export DNS_BODY_ZONE="$T/body.zone"
export DNS_SEC_TA="$T/sec.example.ta"
"$BIN" "$@"
