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
# shellcheck source=dns/nsd.bash
source "$SRC/tests/integration/dns/nsd.bash"
nsd_conf "$T" "$NSD_PORT" integration.example broken.example sec.example
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
