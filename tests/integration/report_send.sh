#!/bin/bash
# Integration: `alignd report send` on an SQLite store. Seeds evaluations of three
# policy domains, checks --dry-run output (schema-valid .xml.gz, .eml, dmarc-cat
# parses it, store untouched), then real runs through a send_command sink: one mail
# per destination with a schema-valid gzip report whose counts add up, nothing on
# the second run, a failing send_command retried later, RFC 9990 §4 checks with
# --dns-zone. Offline; no network.
set -euo pipefail
SRC=${ALIGND_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
ALIGND=${ALIGND:?set ALIGND to the alignd binary}
XSD=$SRC/tests/data/report/dmarc-2.0.xsd
SEED=$SRC/tests/tools/report_seed.py
CHECK=$SRC/tests/tools/report_check.py
PY=/usr/bin/python3

T=$(mktemp -d /tmp/alignd-report.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

DAY=1795219200            # 2026-11-21 00:00:00 UTC
NOW=$((DAY + 86400 + 3600))
mkdir -p "$T/mail"
cat >"$T/sink.sh" <<'SH'
#!/bin/sh
# A sendmail stand-in: fails while $T/fail exists, else keeps the message.
dir=$(dirname "$0")
[ -e "$dir/fail" ] && { cat >/dev/null; exit 75; }
n=$(ls "$dir/mail" | wc -l)
cat >"$dir/mail/$n.eml"
SH
chmod +x "$T/sink.sh"
cat >"$T/alignd.toml" <<TOML
authserv_id = "mx.receiver.example"
[store]
url = "sqlite://$T/db/alignd.db"
[reporting]
org_name = "Receiver Example"
email = "dmarc-reports@receiver.example"
send_command = "$T/sink.sh"
TOML

# First run creates the database (and its directory): nothing is due.
"$ALIGND" report send -c "$T/alignd.toml" --now "$NOW" 2>"$T/err" || { cat "$T/err"; fail "first run"; }
[ -f "$T/db/alignd.db" ] || fail "database not created"
$PY "$SEED" --day "$DAY" --domains 2 --per-domain 7 | sqlite3 "$T/db/alignd.db"
$PY "$SEED" --day "$DAY" --domains 1 --per-domain 4 --prefix ext \
  --rua 'mailto:dmarc@{d},mailto:agg@thirdparty.example' | sqlite3 "$T/db/alignd.db"
printf 'ext0.example._report._dmarc.thirdparty.example. 300 IN TXT "v=DMARC1"\n' >"$T/zone"

# Dry run: files only, store untouched.
"$ALIGND" report send -c "$T/alignd.toml" --now "$NOW" --dns-zone "$T/zone" --dry-run --out "$T/dry" 2>"$T/err" \
  || { cat "$T/err"; fail "dry run"; }
[ "$(ls "$T/dry"/*.xml.gz | wc -l)" = 3 ] || { ls -l "$T/dry"; fail "want 3 .xml.gz"; }
[ "$(ls "$T/dry"/*.eml | wc -l)" = 4 ] || { ls -l "$T/dry"; fail "want 4 .eml"; }
[ "$(ls "$T/mail" | wc -l)" = 0 ] || fail "dry run sent mail"
for f in "$T/dry"/*.xml.gz; do
  gunzip -k "$f"
  xmllint --noout --schema "$XSD" "${f%.gz}" 2>"$T/err" || { cat "$T/err"; fail "$f invalid"; }
  (cd "$T/dry" && dmarc-cat -N "$(basename "${f%.gz}")") >"$T/cat" 2>&1 || { cat "$T/cat"; fail "dmarc-cat $f"; }
  grep -q "^Domain: " "$T/cat" || { cat "$T/cat"; fail "dmarc-cat output"; }
done
$PY "$CHECK" --xsd "$XSD" "$T/dry"/*.eml >"$T/dry.txt" || fail "dry-run .eml check"
count=$(sqlite3 "$T/db/alignd.db" "SELECT COUNT(*) FROM report_sends")
[ "$count" = 0 ] || fail "dry run changed the store ($count report_sends rows)"

# A failing send_command: nothing is marked sent, the exit status says so.
touch "$T/fail"
if "$ALIGND" report send -c "$T/alignd.toml" --now "$NOW" --dns-zone "$T/zone" 2>"$T/err"; then
  fail "failed sends must exit non-zero"
fi
grep -q "exited with status 75" "$T/err" || { cat "$T/err"; fail "error not reported"; }
rm "$T/fail"

# Real run: one mail per destination, counts add up to the seeded messages.
"$ALIGND" report send -c "$T/alignd.toml" --now "$NOW" --dns-zone "$T/zone" 2>"$T/err" \
  || { cat "$T/err"; fail "real run"; }
[ "$(ls "$T/mail" | wc -l)" = 4 ] || { ls "$T/mail"; cat "$T/err"; fail "want 4 mails"; }
$PY "$CHECK" --xsd "$XSD" "$T/mail"/*.eml | sort >"$T/sent.txt" || fail "mail check"
cat "$T/sent.txt"
grep -q '^dmarc@d0.example d0.example .* 7$' "$T/sent.txt" || fail "d0 count"
grep -q '^dmarc@d1.example d1.example .* 7$' "$T/sent.txt" || fail "d1 count"
grep -q '^agg@thirdparty.example ext0.example .* 4$' "$T/sent.txt" || fail "external destination"
grep -q '^dmarc@ext0.example ext0.example .* 4$' "$T/sent.txt" || fail "ext0 count"
# The dry run showed the same reports (same Report-IDs).
diff <(awk '{print $1, $3}' "$T/dry.txt" | sort) <(awk '{print $1, $3}' "$T/sent.txt" | sort) \
  || fail "dry run and real run differ"

# Idempotent: nothing more, not even in a dry run.
"$ALIGND" report send -c "$T/alignd.toml" --now "$((NOW + 7200))" --dns-zone "$T/zone" 2>/dev/null
[ "$(ls "$T/mail" | wc -l)" = 4 ] || fail "second run sent again"
"$ALIGND" report send -c "$T/alignd.toml" --now "$((NOW + 7200))" --dry-run --out "$T/dry2" 2>/dev/null
[ -z "$(ls -A "$T/dry2")" ] || fail "dry run after a real run produced files"

# Without the authorizing TXT record the third-party destination is skipped.
$PY "$SEED" --day "$((DAY + 86400))" --domains 1 --per-domain 2 --prefix ext \
  --rua 'mailto:agg@thirdparty.example' | sqlite3 "$T/db/alignd.db"
: >"$T/empty.zone"
"$ALIGND" report send -c "$T/alignd.toml" --now "$((NOW + 86400))" --dns-zone "$T/empty.zone" 2>"$T/err"
grep -q "not authorized" "$T/err" || { cat "$T/err"; fail "unauthorized destination not logged"; }
[ "$(ls "$T/mail" | wc -l)" = 4 ] || fail "mail to an unauthorized destination"

# Retention: evaluations older than retention_days go.
"$ALIGND" report send -c "$T/alignd.toml" --now "$((NOW + 40 * 86400))" 2>/dev/null
[ "$(sqlite3 "$T/db/alignd.db" 'SELECT COUNT(*) FROM evaluations')" = 0 ] || fail "retention purge"
echo "report_send: OK"
