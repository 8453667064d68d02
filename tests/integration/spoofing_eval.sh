#!/bin/bash
# Issue 10 items 1-3 through `alignd eval` with policies/enforce.toml (its
# list-host placeholder replaced by *.lists.example.org) and a zone file: a
# spoof of From: service@bank.example (p=reject) with List-Id & co. and the
# attacker's own DKIM signature, every broken From, and DKIM key temperrors,
# each with the SMTP reply and the rule expected (tests/integration/spoof/).
# Offline: --dns-zone is the whole DNS.
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}"
work=$(mktemp -d /tmp/alignd-spoofing.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

install -m 600 "$ALIGND_SOURCE_DIR/tests/data/dkim/rfc8463-rsa.key" "$work/attacker.key"
/usr/bin/python3 "$ALIGND_SOURCE_DIR/tests/integration/spoof/make_messages.py" "$work" "$work/attacker.key"
sed 's/"\*\.lists\.invalid"/"*.lists.example.org"/' "$ALIGND_SOURCE_DIR/policies/enforce.toml" >"$work/enforce.toml"
grep -q 'lists.example.org' "$work/enforce.toml" || { echo "FAIL: placeholder not found in enforce.toml"; exit 1; }
cat >"$work/alignd.toml" <<CONF
authserv_id = "mx.e2e.example"
[store]
url = "none"
[policy]
files = ["$work/enforce.toml"]
CONF

while IFS=$'\t' read -r name ip mail_from reply rule; do
  out=$("$ALIGND" eval -c "$work/alignd.toml" --client-ip "$ip" --helo mail.example \
    --mail-from "$mail_from" --rcpt victim@e2e.example --dns-zone "$work/zone" "$work/$name.eml")
  verdict=$(grep '^verdict:' <<<"$out")
  if [ "$reply" = "-" ]; then want="verdict: accept"; else want="verdict: [a-z]* ($reply "; fi
  if [ "$rule" = "-" ]; then want_rule="no rule matched"; else want_rule="rule $rule)"; fi
  if grep -q "^$want" <<<"$verdict" && grep -qF "$want_rule" <<<"$verdict"; then
    passed=$((passed + 1)); echo "ok - $name: $verdict"
  else
    failed=$((failed + 1)); echo "FAIL - $name: want '$want' by '$want_rule', got '$verdict'"
    grep -E '^(dmarc|dkim|spf|from):|^  - ' <<<"$out" | sed 's/^/    /'
  fi
done <"$work/cases"

# The reply text says why: the From problem, or the DMARC policy.
out=$("$ALIGND" eval -c "$work/alignd.toml" --client-ip 203.0.113.5 --mail-from a@attacker.example \
  --dns-zone "$work/zone" "$work/two-from-spoof-first.eml")
if grep -qF 'does not name one author (multiple-from)' <<<"$out"; then passed=$((passed + 1)); else
  failed=$((failed + 1)); echo "FAIL - broken-From reply names the problem"; fi

# The shipped enforce.toml refuses the old forgeable list rule outright.
cat >"$work/old-lists.toml" <<'TOML'
[[rule]]
name = "mailing-lists"
when = { dmarc = "fail", dkim = "pass", header = { name = "List-Id" } }
action = "accept"
override = "mailing_list"
TOML
printf '[store]\nurl = "none"\n[policy]\nfiles = ["%s"]\n' "$work/old-lists.toml" >"$work/old.toml"
if "$ALIGND" config check -c "$work/old.toml" >"$work/check.out" 2>&1; then
  failed=$((failed + 1)); echo "FAIL - config check accepted a forgeable exemption"
elif grep -q 'any sender can forge' "$work/check.out"; then
  passed=$((passed + 1)); echo "ok - config check refuses the forgeable List-Id exemption"
else
  failed=$((failed + 1)); echo "FAIL - config check error does not explain:"; cat "$work/check.out"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
