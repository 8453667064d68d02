#!/usr/bin/env bash
# Issue 10 item 10 end to end through Postfix: with [signing] sender_login_map, a
# client that authenticated as alice (XCLIENT LOGIN=alice: Postfix hands the
# milter {auth_authen}) gets From: alice@sign.example signed, but not
# From: ceo@other.example; the milter log says why.
source "$(dirname "$0")/lib.bash"
e2e_setup
mkdir -p "$E2E_DIR/keys"
for d in sign.example other.example; do
  "$ALIGND" keygen --domain "$d" --selector ed1 --type ed25519 --out "$E2E_DIR/keys" >> "$E2E_DIR/zone" 2>/dev/null
done
printf 'alice@sign.example  alice\n' > "$E2E_DIR/logins"
alignd_config "[dns]
zone_file = \"$E2E_DIR/zone\"
[signing]
sender_login_map = \"texthash:$E2E_DIR/logins\"
[[signing.keys]]
domain = \"sign.example\"
selector = \"ed1\"
key_file = \"$E2E_DIR/keys/sign.example.ed1.key\"
[[signing.keys]]
domain = \"other.example\"
selector = \"ed1\"
key_file = \"$E2E_DIR/keys/other.example.ed1.key\""
alignd_start

send --xclient "ADDR=203.0.113.20 NAME=client.e2e.example LOGIN=alice" \
  --from alice@sign.example --to u@e2e.example --h-From alice@sign.example --h-Subject login-own
f=$(wait_delivered login-own) || fail "own address delivered"
check "alice as alice@sign.example: signed d=sign.example" grep -q 'd=sign.example' "$f"
check "the milter saw the login" grep -q 'auth=alice' "$E2E_DIR/alignd.log"

send --xclient "ADDR=203.0.113.21 NAME=client.e2e.example LOGIN=alice" \
  --from alice@sign.example --to u@e2e.example --h-From ceo@other.example --h-Subject login-other
f=$(wait_delivered login-other) || fail "other address delivered"
check "alice as ceo@other.example: not signed" bash -c "! grep -q '^DKIM-Signature:' '$f'"
check "log says why" grep -q 'not_signed="login alice may not use ceo@other.example' "$E2E_DIR/alignd.log"

e2e_finish
