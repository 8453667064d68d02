#!/usr/bin/env bash
# Issue 10 item 7 through the real daemon: a header edit the MTA refuses fails
# closed. libmilter's smfi_chgheader/insheader/addheader return MI_FAILURE when the
# MTA did not grant SMFIF_CHGHDRS / SMFIF_ADDHDRS at option negotiation; alignd then
# answers 451 4.3.0 and names the refused edit in its log (src/milter/mta_edits.h),
# since a forged Authentication-Results it could not remove would otherwise reach
# the mailbox looking like ours. bench/milter_load plays the MTA (--actions).
#   (a) all actions: a forged "A-R: mx.test.example; dkim=pass" is removed, ours added;
#   (b) no SMFIF_CHGHDRS: the same message is tempfailed, nothing half-applied;
#   (c) no SMFIF_ADDHDRS: a plain message is tempfailed (no A-R can be stamped);
#   (d) the daemon still runs and serves the next message.
WORK=$(mktemp -d /tmp/alignd-refused.XXXXXX)
source "$(dirname "$0")/milter_client.bash"

cat >"$WORK/zone" <<'ZONE'
sender.example.        300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.sender.example. 300 IN TXT "v=DMARC1; p=none"
; every other name under example. from here too (the DMARC tree walk asks above
; sender.example), not from the dead forwarder
example.               300 IN NS  ns.example.
ZONE
cat >"$WORK/alignd.toml" <<CONF
authserv_id = "mx.test.example"
[milter]
socket = "unix:$WORK/d.sock"
[dns]
zone_file = "$WORK/zone"
servers = ["127.0.0.1@$(free_port)"]
timeout_ms = 500
[store]
url = "none"
CONF
printf 'From: a@sender.example\nTo: u@mx.test.example\nSubject: forged\nAuthentication-Results: mx.test.example; dkim=pass header.d=sender.example\n\nhello\n' >"$WORK/forged.eml"
printf 'From: a@sender.example\nTo: u@mx.test.example\nSubject: plain\n\nhello\n' >"$WORK/plain.eml"
start_alignd d "$WORK/alignd.toml"

ALL=0x1FF NO_CHGHDRS=0x1EF NO_ADDHDRS=0x1FE

# (a) everything granted: the forged field goes, ours comes.
send_one d "$WORK/forged.eml" "$WORK/a" --actions $ALL
check "(a) all actions: accepted" test "$(outcome "$WORK/a")" = a
check "(a) alignd's A-R added" grep -qE '\| Authentication-Results: mx\.test\.example;[[:space:]]+spf=pass' "$WORK/a"
check "(a) the forged A-R removed" has "| removed Authentication-Results: mx.test.example; dkim=pass header.d=sender.example" "$WORK/a"

# (b) CHGHDRS withheld: the forged field cannot be removed, so 451, and no field added.
send_one d "$WORK/forged.eml" "$WORK/b" --actions $NO_CHGHDRS
check "(b) without SMFIF_CHGHDRS: tempfail" test "$(outcome "$WORK/b")" = t
check "(b) no edit half-applied" bash -c "! grep -qF ' | ' '$WORK/b'"
check "(b) log names the refused removal and the 451" \
  has "the MTA refused removing Authentication-Results #1 (message deferred: 451 4.3.0" "$WORK/d.log"

# (c) ADDHDRS withheld: nothing to remove, but no A-R can be added, so 451.
send_one d "$WORK/plain.eml" "$WORK/c" --actions $NO_ADDHDRS
check "(c) without SMFIF_ADDHDRS: tempfail" test "$(outcome "$WORK/c")" = t
check "(c) log names the refused insertion" grep -qE 'the MTA refused (inserting|adding) .*\(message deferred: 451 4\.3\.0' "$WORK/d.log"

# (d) still serving.
check "(d) daemon still running" running d
send_one d "$WORK/plain.eml" "$WORK/d" --actions $ALL
check "(d) next message accepted" test "$(outcome "$WORK/d")" = a
check "(d) next message gets A-R" grep -qE '\| Authentication-Results: mx\.test\.example;[[:space:]]+spf=pass' "$WORK/d"
check "(d) no internal error logged" bash -c "! grep -q 'internal error' '$WORK/d.log'"
for f in a b c d; do echo "  ($f) $(cut -c1-200 "$WORK/$f")"; done
finish
