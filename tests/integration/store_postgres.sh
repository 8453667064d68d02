#!/bin/bash
# Integration: the store on a REAL PostgreSQL 15 started here (initdb in a temp
# directory, unix socket only, stopped at the end). Runs the store unit tests
# against it (test_store with ALIGND_TEST_PG_URL), then two `alignd report send`
# runs at the same moment on one database (two fleet nodes): every report is sent
# exactly once.
set -euo pipefail
SRC=${ALIGND_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
ALIGND=${ALIGND:?set ALIGND to the alignd binary}
BUILD=${ALIGND_BUILD_DIR:-$(dirname "$ALIGND")}
PGBIN=/usr/lib/postgresql/15/bin
XSD=$SRC/tests/data/report/dmarc-2.0.xsd
PY=/usr/bin/python3
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$PGBIN/initdb" ] || fail "PostgreSQL 15 server binaries missing ($PGBIN)"
[ -x "$BUILD/test_store" ] || fail "missing $BUILD/test_store"

T=$(mktemp -d /tmp/alignd-pg.XXXXXX)
chmod 755 "$T"
mkdir -p "$T/data" "$T/sock"
chown postgres: "$T/data" "$T/sock"
PORT=$((20000 + RANDOM % 20000))
as_pg() { runuser -u postgres -- "$@"; }
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$T/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$T"
}
trap cleanup EXIT

as_pg "$PGBIN/initdb" -D "$T/data" -A trust -U postgres >"$T/initdb.log" 2>&1 \
  || { cat "$T/initdb.log"; fail initdb; }
as_pg "$PGBIN/pg_ctl" -D "$T/data" -l "$T/sock/pg.log" -w -t 60 \
  -o "-k $T/sock -p $PORT -c listen_addresses='' -c fsync=off" start >/dev/null \
  || { cat "$T/sock/pg.log"; fail "pg_ctl start"; }
psql() { command psql -h "$T/sock" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql -d postgres -c "CREATE DATABASE alignd_unit" -c "CREATE DATABASE alignd_fleet"

# 1. The store unit tests, now also against PostgreSQL.
ALIGND_TEST_PG_URL="postgresql:///alignd_unit?host=$T/sock&port=$PORT&user=postgres" \
  "$BUILD/test_store" >"$T/unit.log" 2>&1 || { cat "$T/unit.log"; fail "test_store on PostgreSQL"; }
tail -2 "$T/unit.log"

# 2. Two nodes run `report send` at the same moment against one database.
URL="postgresql:///alignd_fleet?host=$T/sock&port=$PORT&user=postgres"
mkdir -p "$T/mail"
cat >"$T/sink.sh" <<'SH'
#!/bin/sh
# sendmail stand-in: slow enough that the two runs overlap; unique file per message.
dir=$(dirname "$0")
sleep 0.05
cat >"$(mktemp "$dir/mail/XXXXXXXX.eml")"
SH
chmod +x "$T/sink.sh"
for node in a b; do
  cat >"$T/$node.toml" <<TOML
authserv_id = "mx-$node.receiver.example"
[store]
url = "$URL"
[reporting]
org_name = "Receiver Example"
email = "dmarc-reports@receiver.example"
send_command = "$T/sink.sh"
TOML
done
DAY=1795219200
NOW=$((DAY + 86400 + 3600))
"$ALIGND" report send -c "$T/a.toml" --now "$NOW" 2>/dev/null  # creates the schema
$PY "$SRC/tests/tools/report_seed.py" --day "$DAY" --domains 25 --per-domain 5 \
  --rua 'mailto:dmarc@{d},mailto:copy@{d}' | psql -d alignd_fleet >/dev/null
[ "$(psql -d alignd_fleet -At -c 'SELECT COUNT(*) FROM evaluations')" = 125 ] || fail seed

"$ALIGND" report send -c "$T/a.toml" --now "$NOW" 2>"$T/a.err" & pa=$!
"$ALIGND" report send -c "$T/b.toml" --now "$NOW" 2>"$T/b.err" & pb=$!
wait $pa || { cat "$T/a.err"; fail "node a"; }
wait $pb || { cat "$T/b.err"; fail "node b"; }
cat "$T/a.err" "$T/b.err" | grep '^alignd report:'
sent=$(ls "$T/mail" | wc -l)
[ "$sent" = 50 ] || fail "want 50 mails (25 domains x 2 destinations), got $sent"
$PY "$SRC/tests/tools/report_check.py" --xsd "$XSD" "$T/mail"/*.eml >"$T/sent.txt" || fail "mail check"
[ "$(awk '{print $1, $3}' "$T/sent.txt" | sort -u | wc -l)" = 50 ] || fail "duplicate (destination, Report-ID)"
[ "$(awk '{s += $4} END {print s}' "$T/sent.txt")" = 250 ] || fail "counts do not add up (125 per destination set)"
# Both nodes did part of the work (they really ran concurrently) — informative only.
a=$(grep -c "report sent" "$T/a.err" || true); b=$(grep -c "report sent" "$T/b.err" || true)
echo "node a sent $a, node b sent $b"
[ "$(psql -d alignd_fleet -At -c "SELECT COUNT(*) FROM report_sends WHERE state = 'sent'")" = 50 ] \
  || fail "report_sends rows"

# A third run on either node sends nothing.
"$ALIGND" report send -c "$T/b.toml" --now "$((NOW + 3600))" 2>/dev/null
[ "$(ls "$T/mail" | wc -l)" = 50 ] || fail "third run sent again"
echo "store_postgres: OK"
