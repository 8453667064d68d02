#!/bin/bash
# The RFC 7208 SPF test suite (Debian python3-spf) through `alignd eval --dns-zone`:
# every scenario's zone data becomes a zone file; fails below 98.5% (200/203; issue 11).
# Env: ALIGND (the binary), ALIGND_SOURCE_DIR. Optional SPF_SUITE_CMD overrides the
# command (e.g. build/spf_probe). Offline: the zone file is the whole DNS.
set -euo pipefail
: "${ALIGND:?ALIGND must name the alignd binary}"
: "${ALIGND_SOURCE_DIR:?}"
suite=/usr/share/doc/python3-spf/rfc7208-tests.yml.gz
if [ ! -r "$suite" ]; then
  echo "missing $suite: install python3-spf (contrib/debian-packages.txt)" >&2
  exit 1
fi
cmd=${SPF_SUITE_CMD:-"$(printf '%q' "$ALIGND") eval"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$ALIGND_SOURCE_DIR/tests/tools/spf_suite.py" --suite "$suite" \
  --cmd "$cmd" --keep "$work" --min 98.5
