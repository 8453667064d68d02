#!/bin/bash
# Integration: `alignd simulate` (docs/simulate.md). Records known messages in an
# SQLite store through `alignd eval --record` under the monitor policy, then
# replays them through policies/enforce.toml and checks the counts: 3 DMARC
# failures of a p=reject domain that came through a list host move accept ->
# reject (the summary names the source and suggests a list exemption), 1 of a
# p=quarantine domain accept -> quarantine, 2 passes stay. Then the way back:
# recorded under enforce, replayed through the monitor policy. Offline.
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}"
T=$(mktemp -d /tmp/alignd-simulate.XXXXXX)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $name"; else failed=$((failed + 1)); echo "FAIL - $name"; fi
}

cat >"$T/zone" <<'ZONE'
example.com.              300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.example.com.       300 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"
quar.example.             300 IN TXT "v=spf1 -all"
_dmarc.quar.example.      300 IN TXT "v=DMARC1; p=quarantine"
good.example.             300 IN TXT "v=spf1 ip4:192.0.2.10 -all"
_dmarc.good.example.      300 IN TXT "v=DMARC1; p=reject"
lists.example.org.        300 IN TXT "v=spf1 ip4:198.51.100.7 -all"
mail.lists.example.org.   300 IN A   198.51.100.7
7.100.51.198.in-addr.arpa. 300 IN PTR mail.lists.example.org.
ZONE
msg() {  # msg FILE FROM [LIST-ID]
  { echo "From: <$2>"; echo "To: <u@rcpt.example>"; echo "Subject: test";
    echo "Message-ID: <$RANDOM@test>"; [ -n "${3:-}" ] && echo "List-Id: <$3>"; echo; echo "body"; } >"$1"
}
msg "$T/list.eml" a@example.com dev.lists.example.org
msg "$T/good.eml" b@good.example
msg "$T/quar.eml" c@quar.example

config() {  # config FILE POLICY...
  local f=$1; shift
  { echo 'authserv_id = "mx.rcpt.example"'
    echo "[store]"; echo "url = \"sqlite://$T/db-$(basename "$f" .toml).db\""
    echo "[policy]"; printf 'files = ['; local sep=""; for p in "$@"; do printf '%s"%s"' "$sep" "$p"; sep=", "; done; echo "]"
  } >"$f"
}
config "$T/monitor.toml"
config "$T/enforced.toml" "$ALIGND_SOURCE_DIR/policies/enforce.toml"

record() {  # record CONFIG
  local c=$1 i
  for i in 1 2 3; do
    "$ALIGND" eval -c "$c" --record --queue-id "LIST$i" --client-ip 198.51.100.7 --helo lists.example.org \
      --mail-from bounce@lists.example.org --rcpt u@rcpt.example --dns-zone "$T/zone" "$T/list.eml" >/dev/null
  done
  for i in 1 2; do
    "$ALIGND" eval -c "$c" --record --queue-id "GOOD$i" --client-ip 192.0.2.10 --helo mail.good.example \
      --mail-from b@good.example --rcpt u@rcpt.example --dns-zone "$T/zone" "$T/good.eml" >/dev/null
  done
  "$ALIGND" eval -c "$c" --record --queue-id QUAR1 --client-ip 203.0.113.9 --helo mx.quar.example \
    --mail-from c@quar.example --rcpt u@rcpt.example --dns-zone "$T/zone" "$T/quar.eml" >/dev/null
}
record "$T/monitor.toml"
record "$T/enforced.toml"

j() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# monitor -> enforce
out=$("$ALIGND" simulate -c "$T/monitor.toml" --policy "$ALIGND_SOURCE_DIR/policies/enforce.toml" --json)
echo "$out" >"$T/sim.json"
check "6 messages replayed" test "$(j 'd["messages"]' <"$T/sim.json")" = 6
check "4 would change" test "$(j 'd["changed"]' <"$T/sim.json")" = 4
check "3 accept -> reject" test "$(j 'd["moves"]["accept->reject"]' <"$T/sim.json")" = 3
check "1 accept -> quarantine" test "$(j 'd["moves"]["accept->quarantine"]' <"$T/sim.json")" = 1
check "group: example.com via the list host, rule dmarc-reject, examples" test \
  "$(j '[(g["from_domain"],g["source"],g["rule"],g["count"],g["examples"]) for g in d["groups"]][0]' <"$T/sim.json")" = \
  "('example.com', '198.51.100.7', 'dmarc-reject', 3, ['LIST1', 'LIST2', 'LIST3'])"
text=$("$ALIGND" simulate -c "$T/monitor.toml" --policy "$ALIGND_SOURCE_DIR/policies/enforce.toml")
echo "$text" | sed 's/^/    /'
check "summary counts the rejects" grep -q "switching to enforce.toml would have rejected 3 messages last week, all from 198.51.100.7 (a list" <<<"$text"
check "summary counts the quarantines" grep -q "would have quarantined 1 message last week" <<<"$text"
dom=$("$ALIGND" simulate -c "$T/monitor.toml" --policy "$ALIGND_SOURCE_DIR/policies/enforce.toml" --domain example.com --json)
check "--domain keeps one From domain" test "$(j 'd["messages"]' <<<"$dom")" = 3
old=$("$ALIGND" simulate -c "$T/monitor.toml" --policy "$ALIGND_SOURCE_DIR/policies/enforce.toml" --since 1d --now $(( $(date +%s) + 3 * 86400 )) --json)
check "--since leaves out older messages" test "$(j 'd["messages"]' <<<"$old")" = 0
same=$("$ALIGND" simulate -c "$T/monitor.toml" --policy "$ALIGND_SOURCE_DIR/policies/default.toml" --json)
check "the monitor policy changes nothing" test "$(j 'd["changed"]' <<<"$same")" = 0

# The list host exempted by name (enforce.toml's mailing-lists rule, its
# placeholder filled in): the monitor policy did not look names up, so
# simulate says so, and --lookup-names does the FCrDNS now.
sed 's/"\*\.lists\.invalid"/"*.lists.example.org"/' "$ALIGND_SOURCE_DIR/policies/enforce.toml" >"$T/lists.toml"
text=$("$ALIGND" simulate -c "$T/monitor.toml" --policy "$T/lists.toml")
check "names not looked up: said" grep -q "6 messages were recorded without a forward-confirmed name lookup" <<<"$text"
named=$("$ALIGND" simulate -c "$T/monitor.toml" --policy "$T/lists.toml" --lookup-names --dns-zone "$T/zone" --json)
check "--lookup-names: the list host is exempted, only the quarantine changes" test \
  "$(j 'd["changed"], d["names_not_looked_up"], d["moves"]' <<<"$named")" = "1 0 {'accept->quarantine': 1}"

# enforce -> monitor: the way back
back=$("$ALIGND" simulate -c "$T/enforced.toml" --policy "$ALIGND_SOURCE_DIR/policies/default.toml" --json)
check "3 reject -> accept" test "$(j 'd["moves"]["reject->accept"]' <<<"$back")" = 3
check "1 quarantine -> accept" test "$(j 'd["moves"]["quarantine->accept"]' <<<"$back")" = 1
text=$("$ALIGND" simulate -c "$T/enforced.toml" --policy "$ALIGND_SOURCE_DIR/policies/default.toml")
check "summary says what would be delivered" grep -q "would have delivered 4 messages that were held or refused" <<<"$text"

# Reports still see only what they did: one row per reportable author domain.
rows=$(sqlite3 "$T/db-monitor.db" "SELECT COUNT(*) FROM evaluations")
check "report rows only for the rua= domain (3)" test "$rows" = 3
check "usage error exits 2" bash -c "\"$ALIGND\" simulate -c \"$T/monitor.toml\" >/dev/null 2>&1; test \$? = 2"
echo "storage: $(stat -c %s "$T/db-monitor.db") bytes for 6 messages ($(sqlite3 "$T/db-monitor.db" "SELECT SUM(LENGTH(evidence)) FROM messages") bytes of evidence)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
