#!/usr/bin/env bash
# DMARC enforcement end to end through Postfix with policies/enforce.toml
# (issue 6): p=reject failing mail is refused 550 5.7.1 and not delivered;
# p=quarantine failing mail goes to Postfix's HOLD queue; p=none failing mail is
# delivered with dmarc=fail; aligned mail is delivered with dmarc=pass; a DNS
# temperror gets 451. DNS: dns.zone_file; every other name goes to a forwarder
# on a port where nothing listens, so it fails temporarily.
source "$(dirname "$0")/lib.bash"
e2e_setup
cat > "$E2E_DIR/zone" <<'ZONE'
reject.example.           300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.reject.example.    300 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@reject.example"
quarantine.example.       300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.quarantine.example. 300 IN TXT "v=DMARC1; p=quarantine"
none.example.             300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.none.example.      300 IN TXT "v=DMARC1; p=none"
ZONE
dead_port=$(free_port)
alignd_config "[dns]
zone_file = \"$E2E_DIR/zone\"
servers = [\"127.0.0.1@$dead_port\"]
timeout_ms = 500
[policy]
files = [\"$ALIGND_SOURCE_DIR/policies/enforce.toml\"]"
alignd_start

from_ip() { echo "ADDR=$1 NAME=mail.sender.example HELO=mail.sender.example"; }

# aligned: SPF passes for reject.example from 192.0.2.10
send --xclient "$(from_ip 192.0.2.10)" --from a@reject.example --h-From a@reject.example --to u@e2e.example --h-Subject aligned-1
f=$(wait_delivered aligned-1) || fail "aligned message delivered"
check "aligned: dmarc=pass" grep -qE 'dmarc=pass .*header.from=reject.example' "$f"

# p=reject, SPF fails (wrong IP), no DKIM: 550 5.7.1, not delivered
send --xclient "$(from_ip 203.0.113.5)" --from a@reject.example --h-From a@reject.example --to u@e2e.example --h-Subject reject-1 || true
check "p=reject failing: 550 5.7.1" grep -qE '^<\*\* +550 5\.7\.1 ' "$E2E_DIR/swaks.out"
check "reject reply names the DMARC policy" grep -qE '^<\*\* +550 5\.7\.1 .*reject\.example.*reject' "$E2E_DIR/swaks.out"

# p=quarantine failing: accepted into the HOLD queue
send --xclient "$(from_ip 203.0.113.6)" --from a@quarantine.example --h-From a@quarantine.example --to u@e2e.example --h-Subject quarantine-1
sleep 1
check "p=quarantine failing: held" bash -c "postqueue -c '$E2E_DIR/etc' -j | grep -q '\"queue_name\": *\"hold\"'"
check "held message not delivered" bash -c "! grep -l 'Subject: quarantine-1' '$E2E_DIR'/mail/inbox/new/* >/dev/null 2>&1"

# p=none failing: delivered with dmarc=fail
send --xclient "$(from_ip 203.0.113.7)" --from a@none.example --h-From a@none.example --to u@e2e.example --h-Subject none-1
f=$(wait_delivered none-1) || fail "p=none message delivered"
check "p=none failing: dmarc=fail" grep -qE 'dmarc=fail .*header.from=none.example' "$f"

# DNS failure: the sender's domain is not in the zone file and the forwarder is dead
send --xclient "$(from_ip 203.0.113.8)" --from a@unreachable.example --h-From a@unreachable.example --to u@e2e.example --h-Subject temp-1 || true
check "DNS temperror: 451" grep -qE '^<\*\* +451 ' "$E2E_DIR/swaks.out"

check "log line names the rule" grep -q 'rule=dmarc-reject' "$E2E_DIR/alignd.log"
e2e_finish
