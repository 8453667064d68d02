#!/bin/bash
# Integration for issue 10 items 6 and 10 (docs/security.md), through the binary:
#  6. hostile rua= mailto URIs (encoded TAB/NUL/CR LF, "(", several "@", "%2C",
#     quoted local parts) show up as record errors in `alignd eval` and never
#     become a destination in `alignd report send --dry-run`; file names stay in
#     --out; reporting.max_destinations caps the list.
# 10. with [signing] sender_login_map, `alignd eval --auth alice` signs only
#     From addresses alice owns; trusted networks without a login sign as before;
#     `alignd config check` names the bad map line.
# Offline; no network.
set -euo pipefail
SRC=${ALIGND_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
ALIGND=${ALIGND:?set ALIGND to the alignd binary}
SEED=$SRC/tests/tools/report_seed.py
PY=/usr/bin/python3

T=$(mktemp -d /tmp/alignd-rua-signing.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# ---- item 6: rua= through eval ------------------------------------------------
cat >"$T/zone" <<'ZONE'
attacker.example. 300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.attacker.example. 300 IN TXT "v=DMARC1; p=none; rua=mailto:victim@other.example%09x@attacker.example," "mailto:victim@other.example%00@attacker.example,mailto:victim@other.example(x@attacker.example," "mailto:victim@other.example@attacker.example,mailto:victim@other.example%2Cx@attacker.example," "mailto:%22victim@other.example%22@attacker.example,mailto:victim@other.example%0D%0Ax@attacker.example," "mailto:dmarc@attacker.example"
ZONE
printf 'From: a@attacker.example\r\nTo: b@receiver.example\r\nSubject: hi\r\n\r\nhi\r\n' >"$T/in.eml"
cat >"$T/eval.toml" <<TOML
authserv_id = "mx.receiver.example"
[store]
url = "none"
TOML
"$ALIGND" eval -c "$T/eval.toml" --dns-zone "$T/zone" --client-ip 192.0.2.1 --helo mx.attacker.example \
  --mail-from a@attacker.example --rcpt b@receiver.example --json "$T/in.eml" >"$T/eval.json" \
  || fail "eval"
$PY - "$T/eval.json" <<'PYEOF' || fail "eval: hostile rua= not reported as record errors"
import json, sys
d = json.load(open(sys.argv[1]))["dmarc"]
errs = [e for e in d["errors"] if "invalid rua URI" in e]
assert len(errs) == 7, errs
assert all("victim" in e for e in errs), errs
assert not any("dmarc@attacker.example" in e for e in d["errors"]), d["errors"]
PYEOF

# ---- item 6: rua= through report send --dry-run -------------------------------
DAY=1795219200
NOW=$((DAY + 86400 + 3600))
cat >"$T/report.toml" <<TOML
authserv_id = "mx.receiver.example"
[store]
url = "sqlite://$T/db/alignd.db"
[reporting]
email = "dmarc-reports@receiver.example"
send_command = "/bin/false"
TOML
"$ALIGND" report send -c "$T/report.toml" --now "$NOW" 2>/dev/null || fail "create the store"
$PY "$SEED" --day "$DAY" --domains 1 --per-domain 3 --prefix hostile \
  --rua 'mailto:victim@other.example%09x@{d},mailto:victim@other.example%00@{d},mailto:victim@other.example(x@{d},mailto:victim@other.example@{d},mailto:victim%40other.example@{d},mailto:victim@other.example%2Cx@{d},mailto:%22victim@other.example%22@{d},mailto:%2Fetc%2Fpasswd@{d},mailto:..%2F..%2Fx@{d},mailto:dmarc@{d}' \
  | sqlite3 "$T/db/alignd.db"
mkdir "$T/dry"
"$ALIGND" report send -c "$T/report.toml" --now "$NOW" --dry-run --out "$T/dry/out" 2>"$T/err" \
  || { cat "$T/err"; fail "dry run"; }
ls -A "$T/dry/out" >"$T/files"
[ "$(ls -A "$T/dry")" = out ] || { ls -laR "$T/dry"; fail "a file outside --out"; }
[ "$(grep -c '\.eml$' "$T/files")" = 2 ] || { cat "$T/files" "$T/err"; fail "want 2 .eml (/etc/passwd@ and dmarc@)"; }
grep -q '!_etc_passwd@hostile0.example\.eml$' "$T/files" || { cat "$T/files"; fail "sanitised name"; }
grep -q '!dmarc@hostile0.example\.eml$' "$T/files" || { cat "$T/files"; fail "dmarc@ missing"; }
if grep -l victim "$T/dry/out"/*.eml; then fail "a report addressed to the victim"; fi
grep -q '^To: <dmarc@hostile0.example>$' "$T/dry/out"/*dmarc@hostile0.example.eml || fail "To: of dmarc@"

# reporting.max_destinations
rm -rf "$T/db" "$T/dry"
printf '[reporting]\nemail = "dmarc-reports@receiver.example"\nmax_destinations = 3\n[store]\nurl = "sqlite://%s/db/alignd.db"\n' "$T" >"$T/cap.toml"
"$ALIGND" report send -c "$T/cap.toml" --now "$NOW" 2>/dev/null || fail "create the store"
$PY "$SEED" --day "$DAY" --domains 1 --per-domain 2 --prefix many \
  --rua 'mailto:r1@{d},mailto:r2@{d},mailto:r3@{d},mailto:r4@{d},mailto:r5@{d},mailto:r6@{d}' \
  | sqlite3 "$T/db/alignd.db"
"$ALIGND" report send -c "$T/cap.toml" --now "$NOW" --dry-run --out "$T/dry" 2>"$T/err" || fail "cap dry run"
[ "$(ls "$T/dry"/*.eml | wc -l)" = 3 ] || { ls "$T/dry"; fail "want 3 .eml with max_destinations = 3"; }
grep -q "over the limit" "$T/err" || { cat "$T/err"; fail "cap not logged"; }

# ---- item 10: eval --auth with a sender login map -----------------------------
mkdir -m 700 "$T/keys"
for d in example.com other.example; do
  "$ALIGND" keygen --domain "$d" --selector s1 --type ed25519 --out "$T/keys" >/dev/null 2>&1
done
cat >"$T/logins" <<'MAP'
# Postfix smtpd_sender_login_maps format
alice@example.com    alice
@other.example       bob, carol
MAP
cat >"$T/sign.toml" <<TOML
authserv_id = "mx.example.com"
[store]
url = "none"
[signing]
sender_login_map = "texthash:$T/logins"
[[signing.keys]]
domain = "example.com"
selector = "s1"
key_file = "$T/keys/example.com.s1.key"
[[signing.keys]]
domain = "other.example"
selector = "s1"
key_file = "$T/keys/other.example.s1.key"
TOML
: >"$T/empty.zone"
msg() { printf 'From: %s\r\nTo: x@rcpt.example\r\nSubject: hi\r\n\r\nhi\r\n' "$1" >"$T/out.eml"; }
ev() { "$ALIGND" eval -c "$T/sign.toml" --dns-zone "$T/empty.zone" "$@" "$T/out.eml"; }

msg ceo@other.example
ev --client-ip 203.0.113.9 --auth alice >"$T/r" || fail "eval"
grep -q '^not signed: login alice may not use ceo@other.example' "$T/r" || { cat "$T/r"; fail "alice as ceo@other.example: no refusal"; }
if grep -q 'DKIM-Signature' "$T/r"; then fail "alice got other.example signed"; fi
ev --client-ip 203.0.113.9 --auth alice --json >"$T/r.json" || fail "eval --json"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["signatures"]==[] and "alice" in d["signing_refused"], d' "$T/r.json" \
  || fail "eval --json: signing_refused"
ev --client-ip 203.0.113.9 --auth bob >"$T/r" || fail "eval bob"
grep -q 'add: DKIM-Signature:.*d=other.example' "$T/r" || { cat "$T/r"; fail "bob owns @other.example"; }
ev --client-ip 127.0.0.1 >"$T/r" || fail "eval trusted"
grep -q 'add: DKIM-Signature:.*d=other.example' "$T/r" || { cat "$T/r"; fail "trusted network without login"; }
msg 'Alice <alice@example.com>'
ev --client-ip 203.0.113.9 --auth alice --json >"$T/r.json" || fail "eval alice"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["signatures"])==1 and d["signing_refused"] is None, d' "$T/r.json" \
  || fail "alice as alice@example.com must be signed"

# config check names the bad line
printf 'alice@example.com alice\nbob@example.com\n' >"$T/logins"
if "$ALIGND" config check -c "$T/sign.toml" >"$T/r" 2>&1; then fail "config check accepted a bad map"; fi
grep -q "$T/logins:2: bob@example.com has no login" "$T/r" || { cat "$T/r"; fail "config check message"; }
echo "report_rua_signing: OK"
