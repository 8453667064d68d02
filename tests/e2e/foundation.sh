#!/usr/bin/env bash
# End to end through a real Postfix: every message gets alignd's
# Authentication-Results on top; forged ones claiming our authserv-id are
# removed; with alignd down, Postfix's milter_default_action (tempfail) holds
# mail back; SIGHUP reloads a good config and keeps the old one on a bad one.
source "$(dirname "$0")/lib.bash"
e2e_setup
alignd_config ""
alignd_start

# (a) a plain inbound message
send --from sender@outside.example --to u@e2e.example --h-Subject "plain-1" --body "hello"
f=$(wait_delivered plain-1) || { fail "plain message delivered"; e2e_finish; }
pass "plain message delivered"
check "our A-R is the first header" grep -q '^Authentication-Results: mx.e2e.example' <(first_header "$f")
# non-SMTP senders aside, a client on 127.0.0.1 is a trusted network: outbound, not judged
check "A-R names the authserv-id once" test "$(grep -c '^Authentication-Results: mx.e2e.example' "$f")" -eq 1

# (b) forged A-R fields claiming our authserv-id (any case) are removed; others stay
send --from sender@outside.example --to u@e2e.example --h-Subject "forged-1" \
  --add-header "Authentication-Results: mx.e2e.example; dkim=pass header.d=bank.example" \
  --add-header "Authentication-Results: MX.E2E.EXAMPLE; spf=pass smtp.mailfrom=bank.example" \
  --add-header "Authentication-Results: other.example; spf=fail smtp.mailfrom=x.example"
f=$(wait_delivered forged-1) || { fail "forged message delivered"; e2e_finish; }
check "forged dkim=pass claim removed" bash -c "! grep -q 'header.d=bank.example' '$f'"
check "forged claim in upper case removed" bash -c "! grep -qi 'MX.E2E.EXAMPLE; spf=pass' '$f'"
check "foreign A-R kept" grep -q '^Authentication-Results: other.example' "$f"
check "ours still on top" grep -q '^Authentication-Results: mx.e2e.example' <(first_header "$f")

# (b2) issue 10 item 7: the same claim with the root's trailing dot, behind a comment
send --from sender@outside.example --to u@e2e.example --h-Subject "forged-2" \
  --add-header "Authentication-Results: (c) mx.e2e.example.; dkim=pass header.d=dot.example" \
  --add-header "Authentication-Results: mx.e2e.example.; spf=pass smtp.mailfrom=semi.example" \
  --add-header "Authentication-Results: (x)MX.E2E.Example.; dmarc=pass header.from=cmt.example" \
  --add-header "Authentication-Results: mx.e2e.example.evil.example; spf=pass smtp.mailfrom=kept.example"
f=$(wait_delivered forged-2) || { fail "forged-2 delivered"; e2e_finish; }
check "forged claim behind a comment with a trailing dot removed" bash -c "! grep -q 'dot.example' '$f'"
check "forged claim 'mx.e2e.example.;' removed" bash -c "! grep -q 'semi.example' '$f'"
check "forged claim '(x)MX.E2E.Example.' removed" bash -c "! grep -q 'cmt.example' '$f'"
check "a longer name is someone else's and stays" grep -q 'kept.example' "$f"
check "exactly one A-R claims us" test "$(grep -ciE '^Authentication-Results: (\([^)]*\) *)?mx\.e2e\.example\.?;' "$f")" -eq 1

# (c) local submission through sendmail (non_smtpd_milters) gets stamped too
printf 'From: root@e2e.example\nTo: u@e2e.example\nSubject: local-1\n\nlocal body\n' |
  sendmail -C "$E2E_DIR/etc" -f root@e2e.example u@e2e.example
f=$(wait_delivered local-1) && check "local submission stamped" grep -q '^Authentication-Results: mx.e2e.example' "$f" \
  || fail "local submission delivered"

# (d) SIGHUP: a valid new config takes effect, a broken one is refused and the old one stays
sed -i 's/authserv_id = "mx.e2e.example"/authserv_id = "mx2.e2e.example"/' "$E2E_DIR/alignd.toml"
kill -HUP "$ALIGND_PID"
for _ in $(seq 50); do grep -q 'reload: configuration loaded' "$E2E_DIR/alignd.log" && break; sleep 0.1; done
check "reload logged" grep -q 'reload: configuration loaded' "$E2E_DIR/alignd.log"
send --from sender@outside.example --to u@e2e.example --h-Subject "reload-1"
f=$(wait_delivered reload-1) && check "new authserv-id after reload" grep -q '^Authentication-Results: mx2.e2e.example' "$f" \
  || fail "message after reload delivered"
sed -i '1i bogus_key = 1' "$E2E_DIR/alignd.toml"
kill -HUP "$ALIGND_PID"
for _ in $(seq 50); do grep -q 'reload failed' "$E2E_DIR/alignd.log" && break; sleep 0.1; done
check "broken reload refused with file:line" grep -q "reload failed.*alignd.toml:[0-9]*:[0-9]*: unknown key 'bogus_key'" "$E2E_DIR/alignd.log"
check "daemon still running" kill -0 "$ALIGND_PID"
send --from sender@outside.example --to u@e2e.example --h-Subject "reload-2"
f=$(wait_delivered reload-2) && check "old config still serves" grep -q '^Authentication-Results: mx2.e2e.example' "$f" \
  || fail "message after broken reload delivered"

# (e) alignd stopped: Postfix applies milter_default_action = tempfail; nothing accepted unchecked
alignd_stop
send --from sender@outside.example --to u@e2e.example --h-Subject "down-1" || true
check "tempfail while alignd is down" grep -qE '^<\*\* +4[0-9][0-9]' "$E2E_DIR/swaks.out"
sleep 1
check "nothing delivered while down" bash -c "! grep -l 'Subject: down-1' '$E2E_DIR'/mail/inbox/new/* >/dev/null 2>&1"

e2e_finish
