#!/bin/bash
# ARC in the store and the aggregate reports (issue 13; docs/arc.md, docs/reports.md).
# A From: example.com message (p=reject, rua=) that fails DMARC at our hop, but whose
# ARC chain, sealed by dkimpy, carries a trusted list's recorded dmarc=pass:
#   alignd eval --record (policies/enforce.toml, trusted sealers) accepts it with the
#   override trusted_forwarder (or mailing_list, from a copy of the rule that says so);
#   the evaluation row holds arc=pass, each instance's sealer d=/s=, oldest-pass, the
#   trusted instance and that the override rested on ARC;
#   `alignd report send --dry-run` writes an RFC 9990 report that validates against
#   tests/data/report/dmarc-2.0.xsd, with <reason><type>trusted_forwarder</type> and a
#   <comment> "arc=pass as[N].d=... as[N].s=... ...", one row per distinct ARC summary;
#   the same chain sealed by an untrusted sealer: rejected, no reason in the report.
# Then the same on a real PostgreSQL 15 (when its server binaries are installed and
# we are root, as in store_postgres.sh): the report must be byte-identical.
# Offline: keys and DMARC record from a zone file (--dns-zone).
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}"
SRC=$ALIGND_SOURCE_DIR
PY=/usr/bin/python3
H=$SRC/tests/integration/arc/arc_dkimpy.py
XSD=$SRC/tests/data/report/dmarc-2.0.xsd
PGBIN=/usr/lib/postgresql/15/bin
T=$(mktemp -d /tmp/alignd-arc-report.XXXXXX)
chmod 755 "$T"
PG_UP=""
cleanup() {
  [ -z "$PG_UP" ] || runuser -u postgres -- "$PGBIN/pg_ctl" -D "$T/pg/data" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- keys: two trusted sealers, one untrusted; the author domain asks for reject ---
zone=$T/zone
n=0
for d in lists.example.org relay.example.com evil.example; do
  n=$((n + 1))
  openssl genrsa -out "$T/py$n.pem" 2048 2>/dev/null
  p=$(openssl rsa -in "$T/py$n.pem" -pubout -outform DER 2>/dev/null | base64 -w0)
  echo "py$n._domainkey.$d. 3600 IN TXT \"v=DKIM1; k=rsa; p=${p:0:200}\" \"${p:200}\"" >>"$zone"
done
echo '_dmarc.example.com. 3600 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"' >>"$zone"

py_seal() {  # py_seal N SRCMSG ARESULTS > OUT  (sealer N: py$N)
  local d
  d=$(sed -n "$1p" <<<$'lists.example.org\nrelay.example.com\nevil.example')
  "$PY" "$H" seal --key "$T/py$1.pem" --domain "$d" --selector "py$1" --srv-id "mx.$d" --ar "$3" "$2"
}
printf 'From: Alice <alice@example.com>\nTo: list@lists.example.org\nSubject: hello\nDate: Thu, 1 Jan 2026 00:00:00 +0000\nMessage-ID: <1@example.com>\n\nHello there.\n' >"$T/m.eml"
dmarc_pass="spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com"
py_seal 1 "$T/m.eml" "$dmarc_pass" >"$T/list1.eml"                     # trusted list, 1 hop
py_seal 2 "$T/list1.eml" "arc=pass" >"$T/list2.eml"                     # + trusted relay, 2 hops
py_seal 3 "$T/m.eml" "$dmarc_pass" >"$T/evil1.eml"                      # untrusted sealer

# The shipped rule, and a copy that reports mailing_list (docs/arc.md).
sed -e 's/^name = "arc-trusted-sealer"/name = "arc-trusted-list"/' \
  -e '/^name = "arc-trusted-list"/,/^comment/ s/^override = "trusted_forwarder"/override = "mailing_list"/' \
  -e '/^name = "arc-trusted-list"/,/^comment/ s/^comment = .*/comment = "trusted list"/' \
  "$SRC/policies/enforce.toml" >"$T/enforce-list.toml"
grep -q '^override = "mailing_list"' "$T/enforce-list.toml" || fail "mailing_list copy of enforce.toml"

config() {  # config NAME POLICY STORE-URL
  cat >"$T/$1.toml" <<TOML
authserv_id = "mx.receiver.example"
[arc]
trusted_sealers = ["lists.example.org", "relay.example.com"]
[policy]
files = ["$2"]
[store]
url = "$3"
[reporting]
org_name = "Receiver Example"
email = "dmarc-reports@receiver.example"
send_command = "/bin/false"
TOML
}
record() {  # record CONFIG MSG: prints "action rule override"
  "$ALIGND" eval -c "$T/$1.toml" --record --client-ip 192.0.2.1 --mail-from bounce@lists.example.org \
    --rcpt user@receiver.example --dns-zone "$zone" --json "$T/$2" 2>"$T/eval.err" |
    "$PY" -c 'import json,sys; v=json.load(sys.stdin); o=v["dmarc"]["override"]; print(v["verdict"]["action"], v["verdict"]["rule"] or "-", o["type"] if o else "-")' \
    || { cat "$T/eval.err"; fail "eval $1 $2"; }
}
expect() { [ "$2" == "$3" ] || fail "$1: expected '$2', got '$3'"; }

# The day the evaluations are recorded in (now), and a moment its report is due.
NOW=$((($(date +%s) / 86400 + 1) * 86400 + 3600))

run_backend() {  # run_backend NAME URL: records the five messages, writes $T/NAME.xml
  local b=$1 url=$2
  config "$b-fwd" "$SRC/policies/enforce.toml" "$url"
  config "$b-list" "$T/enforce-list.toml" "$url"
  expect "$b: trusted list, 1 hop" "accept arc-trusted-sealer trusted_forwarder" "$(record "$b-fwd" list1.eml)"
  expect "$b: again" "accept arc-trusted-sealer trusted_forwarder" "$(record "$b-fwd" list1.eml)"
  expect "$b: trusted list + relay, 2 hops" "accept arc-trusted-sealer trusted_forwarder" "$(record "$b-fwd" list2.eml)"
  expect "$b: rule declared mailing_list" "accept arc-trusted-list mailing_list" "$(record "$b-list" list1.eml)"
  expect "$b: untrusted sealer" "reject dmarc-reject -" "$(record "$b-fwd" evil1.eml)"
  "$ALIGND" report send -c "$T/$b-fwd.toml" --now "$NOW" --dry-run --out "$T/$b-dry" 2>"$T/$b-report.err" \
    || { cat "$T/$b-report.err"; fail "$b: report send --dry-run"; }
  local f
  f=$(ls "$T/$b-dry"/*.xml.gz)
  [ "$(wc -l <<<"$f")" = 1 ] || fail "$b: want one report, got: $f"
  gunzip -c "$f" >"$T/$b.xml"
  xmllint --noout --schema "$XSD" "$T/$b.xml" 2>"$T/xmllint.err" || { cat "$T/xmllint.err"; fail "$b: report invalid"; }
  # The rows: count, disposition, then each reason as type=comment.
  "$PY" - "$T/$b.xml" >"$T/$b.rows" <<'PY'
import sys
import xml.etree.ElementTree as ET
ns = {"d": "urn:ietf:params:xml:ns:dmarc-2.0"}
for rec in ET.parse(sys.argv[1]).getroot().findall("d:record", ns):
    pe = rec.find("d:row/d:policy_evaluated", ns)
    reasons = ["%s=%s" % (r.findtext("d:type", "", ns), r.findtext("d:comment", "", ns))
               for r in pe.findall("d:reason", ns)]
    print("|".join([rec.findtext("d:row/d:count", "", ns), pe.findtext("d:disposition", "", ns)] + reasons))
PY
}

check_rows() {  # check_rows NAME
  local b=$1 rows
  rows=$(sort "$T/$b.rows")
  local fwd1="2|none|trusted_forwarder=arc=pass as[1].d=lists.example.org as[1].s=py1 oldest-pass=0 aar[1].dmarc=pass; ARC chain sealed by a trusted sealer that recorded dmarc=pass"
  local fwd2="1|none|trusted_forwarder=arc=pass as[2].d=relay.example.com as[2].s=py2 as[1].d=lists.example.org as[1].s=py1 oldest-pass=0 aar[1].dmarc=pass; ARC chain sealed by a trusted sealer that recorded dmarc=pass"
  local list1="1|none|mailing_list=arc=pass as[1].d=lists.example.org as[1].s=py1 oldest-pass=0 aar[1].dmarc=pass; trusted list"
  local evil="1|reject"
  expect "$b: report rows" "$(printf '%s\n' "$evil" "$list1" "$fwd2" "$fwd1" | sort)" "$rows"
}

# --- SQLite ---
run_backend sqlite "sqlite://$T/db/alignd.db"
check_rows sqlite
got=$(sqlite3 -separator ' ' "$T/db/alignd.db" \
  "SELECT disposition, arc_result, replace(replace(arc_sets, char(9), ','), char(10), ';'), arc_oldest_pass, arc_trusted_instance, arc_override FROM evaluations ORDER BY id")
want="none pass 1,lists.example.org,py1 0 1 1
none pass 1,lists.example.org,py1 0 1 1
none pass 1,lists.example.org,py1;2,relay.example.com,py2 0 1 1
none pass 1,lists.example.org,py1 0 1 1
reject pass 1,evil.example,py3 0 0 0"
expect "sqlite: evaluation rows" "$want" "$got"
expect "sqlite: schema version" "4" "$(sqlite3 "$T/db/alignd.db" 'SELECT MAX(version) FROM schema_version')"
echo "arc_report: SQLite OK"

# simulate replays the kept messages with their ARC chains; which sealers are
# trusted comes from the configuration simulate reads, not from the store.
sim() {  # sim CONFIG: prints "messages changed moves"
  "$ALIGND" simulate -c "$T/$1.toml" --policy "$SRC/policies/enforce.toml" --now "$NOW" --since 2d --json \
    | "$PY" -c 'import json,sys; j=json.load(sys.stdin); print(j["messages"], j["changed"], json.dumps(j["moves"], sort_keys=True))'
}
expect "simulate enforce.toml, same trusted sealers: nothing moves" '5 0 {}' "$(sim sqlite-fwd)"
sed 's/^trusted_sealers = .*/trusted_sealers = []/' "$T/sqlite-fwd.toml" >"$T/sqlite-notrust.toml"
expect "simulate enforce.toml, no trusted sealer: the four ARC-accepted messages move" \
  '5 4 {"accept->reject": 4}' "$(sim sqlite-notrust)"

# --- PostgreSQL (tests/integration/store_postgres.sh starts one the same way) ---
if [ ! -x "$PGBIN/initdb" ] || [ "$(id -u)" != 0 ]; then
  echo "arc_report: PostgreSQL part skipped (no $PGBIN/initdb or not root)"
  exit 0
fi
mkdir -p "$T/pg/data" "$T/pg/sock"
chmod 755 "$T/pg"
chown postgres: "$T/pg/data" "$T/pg/sock"
PORT=$((20000 + RANDOM % 20000))
runuser -u postgres -- "$PGBIN/initdb" -D "$T/pg/data" -A trust -U postgres >"$T/initdb.log" 2>&1 \
  || { cat "$T/initdb.log"; fail initdb; }
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$T/pg/data" -l "$T/pg/sock/pg.log" -w -t 60 \
  -o "-k $T/pg/sock -p $PORT -c listen_addresses='' -c fsync=off" start >/dev/null \
  || { cat "$T/pg/sock/pg.log"; fail "pg_ctl start"; }
PG_UP=1
psql -h "$T/pg/sock" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q -d postgres -c "CREATE DATABASE alignd_arc"
run_backend pg "postgresql:///alignd_arc?host=$T/pg/sock&port=$PORT&user=postgres"
check_rows pg
got=$(psql -h "$T/pg/sock" -p "$PORT" -U postgres -At -F ' ' -d alignd_arc -c \
  "SELECT disposition, arc_result, replace(replace(arc_sets, chr(9), ','), chr(10), ';'), arc_oldest_pass, arc_trusted_instance, arc_override FROM evaluations ORDER BY id")
expect "pg: evaluation rows" "$want" "$got"
cmp -s "$T/sqlite.xml" "$T/pg.xml" || { diff "$T/sqlite.xml" "$T/pg.xml"; fail "SQLite and PostgreSQL reports differ"; }
echo "arc_report: PostgreSQL OK (report identical to SQLite's)"
