#!/usr/bin/env bash
# SPF end to end through Postfix (issue 4): XCLIENT makes the client look like
# an outside host; DNS answers come from dns.zone_file. An authorised IP gets
# spf=pass, an unauthorised one spf=fail, and a policy rule can refuse SPF
# fail at MAIL FROM with 550 5.7.23 (RFC 7372).
source "$(dirname "$0")/lib.bash"
e2e_setup
cat > "$E2E_DIR/zone" <<'ZONE'
sender.example.           300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
mail.sender.example.      300 IN A   192.0.2.10
strict.example.           300 IN TXT "v=spf1 ip4:198.51.100.0/24 -all"
v6.example.               300 IN TXT "v=spf1 ip6:2001:db8::/32 -all"
ZONE
cat > "$E2E_DIR/early.toml" <<'POL'
[[rule]]
name = "early-spf-reject"
stage = "mail_from"
action = "reject"
[rule.when]
spf = ["fail"]
mail_from_domain = ["strict.example"]
POL
alignd_config "[dns]
zone_file = \"$E2E_DIR/zone\"
[policy]
files = [\"$E2E_DIR/early.toml\"]"
sed -i '1a trusted_networks = []' "$E2E_DIR/alignd.toml"
alignd_start

xc() { echo "ADDR=$1 NAME=mail.sender.example HELO=mail.sender.example"; }

send --xclient "$(xc 192.0.2.10)" --from alice@sender.example --to u@e2e.example --h-Subject spf-pass
f=$(wait_delivered spf-pass) || fail "authorised message delivered"
check "spf=pass in A-R" grep -qE '^\s*spf=pass smtp.mailfrom=sender.example' "$f"
check "Received-SPF pass" grep -q '^Received-SPF: pass' "$f"

send --xclient "$(xc 203.0.113.5)" --from alice@sender.example --to u@e2e.example --h-Subject spf-fail
f=$(wait_delivered spf-fail) || fail "unauthorised message delivered (monitor)"
check "spf=fail in A-R" grep -qE '^\s*spf=fail smtp.mailfrom=sender.example' "$f"

# IPv6 clients (XCLIENT hands Postfix an IPv6 address; alignd sees AF_INET6)
send --xclient "$(xc IPV6:2001:db8::25)" --from carol@v6.example --to u@e2e.example --h-Subject spf-v6-pass
f=$(wait_delivered spf-v6-pass) || fail "IPv6 message delivered"
check "IPv6 client: spf=pass" grep -qE '^\s*spf=pass smtp.mailfrom=v6.example' "$f"
check "IPv6 client-ip in Received-SPF" grep -q 'client-ip="2001:db8::25"' "$f"
send --xclient "$(xc IPV6:2001:db9::25)" --from carol@v6.example --to u@e2e.example --h-Subject spf-v6-fail
f=$(wait_delivered spf-v6-fail) || fail "IPv6 fail message delivered"
check "IPv6 client outside the record: spf=fail" grep -qE '^\s*spf=fail smtp.mailfrom=v6.example' "$f"

send --xclient "$(xc 203.0.113.5)" --from bob@strict.example --to u@e2e.example --h-Subject spf-early || true
check "early reject 550 5.7.23" grep -qE '^<\*\* +550 5\.7\.23' "$E2E_DIR/swaks.out"
sleep 0.5
check "early-rejected message not delivered" bash -c "! grep -l 'Subject: spf-early' '$E2E_DIR'/mail/inbox/new/* >/dev/null 2>&1"

e2e_finish
