#!/usr/bin/env bash
# Issue 10 items 1-3 through Postfix and the alignd daemon with
# policies/enforce.toml (its list-host placeholder set to *.lists.example.org):
# spoofs of From: service@bank.example (p=reject) — List-Id, Precedence,
# Sender and the attacker's own valid DKIM signature; two From fields either
# way round; no From; an unparseable From; too many author domains; a DKIM key
# temperror for the attacker's signature — are refused 550 5.7.1, a key
# temperror for an aligned signature gets 451, a list host verified by FCrDNS is
# accepted, and the broken-From spoofs are recorded for bank.example's reports.
# Messages and zone: tests/integration/spoof/make_messages.py. Every name
# outside the zone goes to a dead forwarder (temporary failure).
source "$(dirname "$0")/lib.bash"
e2e_setup
# Postfix's cleanup adds a missing From: (the envelope sender) for clients in
# local_header_rewrite_clients, which includes the test's loopback connection;
# a remote client's message reaches the milter without one. Treat ours as remote.
postconf -c "$E2E_DIR/etc" -e 'local_header_rewrite_clients =' 'always_add_missing_headers = no'
postfix -c "$E2E_DIR/etc" reload >/dev/null 2>&1
install -m 600 "$ALIGND_SOURCE_DIR/tests/data/dkim/rfc8463-rsa.key" "$E2E_DIR/attacker.key"
mkdir "$E2E_DIR/msg"
/usr/bin/python3 "$ALIGND_SOURCE_DIR/tests/integration/spoof/make_messages.py" "$E2E_DIR/msg" "$E2E_DIR/attacker.key"
sed 's/"\*\.lists\.invalid"/"*.lists.example.org"/' "$ALIGND_SOURCE_DIR/policies/enforce.toml" >"$E2E_DIR/enforce.toml"
dead_port=$(free_port)
alignd_config "[dns]
zone_file = \"$E2E_DIR/msg/zone\"
servers = [\"127.0.0.1@$dead_port\"]
timeout_ms = 500
[policy]
files = [\"$E2E_DIR/enforce.toml\"]
[store]
flush_interval_ms = 100"
alignd_start

while IFS=$'\t' read -r name ip mail_from reply rule; do
  xclient="ADDR=$ip NAME=[UNAVAILABLE] HELO=mail.sender.example"
  send --xclient "$xclient" --from "$mail_from" --to victim@e2e.example --data "$E2E_DIR/msg/$name.eml" || true
  if [ "$reply" = "-" ]; then
    f=$(wait_delivered "$name") && pass "$name: delivered" || fail "$name: delivered"
  else
    check "$name: $reply" grep -qE "^<\*\* +${reply//./\\.} " "$E2E_DIR/swaks.out"
    check "$name: rule $rule" bash -c "grep verdict= \"$E2E_DIR/alignd.log\" | tail -1 | grep -q \"rule=$rule \""
  fi
done <"$E2E_DIR/msg/cases"

send --xclient "ADDR=203.0.113.5 HELO=x" --from a@attacker.example --to victim@e2e.example \
  --data "$E2E_DIR/msg/two-from-spoof-first.eml" || true
check "broken-From reply says why" grep -qE '^<\*\* +550 5\.7\.1 .*does not name one author \(multiple-from\)' "$E2E_DIR/swaks.out"
check "only the list host's message and the attacker's own were delivered" \
  test "$(ls "$E2E_DIR"/mail/inbox/new | wc -l)" -eq 2

alignd_stop   # SIGTERM drains the store queue
rows() { sqlite3 "$E2E_DIR/alignd.db" "select count(*) from evaluations where header_from = 'bank.example' and $1"; }
# Rejected spoofs recorded for bank.example (rua=): list-spoof, list-spoof-no-list-id,
# from-group-with-bank, dkim-temperror-unaligned, and — new with issue 10 —
# the three two-From sends and the multi-address From (one row each for bank.example;
# attacker.example publishes no rua), and the two From fields that do not parse
# but name bank.example (unterminated comment, control character). Before, a
# broken From was never recorded. Not recorded: bank.example as the sixth domain
# (past max_author_domains nothing is looked up).
check "rejected spoofs of bank.example recorded, broken From included" \
  test "$(rows "envelope_from = 'attacker.example' and dmarc_result = 'fail' and disposition = 'reject'")" -eq 10
e2e_finish
