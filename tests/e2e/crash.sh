#!/usr/bin/env bash
# kill -9 under load (issue 7): alignd is killed while mail flows; the SQLite
# store stays intact (integrity_check ok), loses at most what was not yet
# flushed, and a restarted alignd records again. Postfix holds mail back
# (tempfail) while alignd is down: nothing is lost.
source "$(dirname "$0")/lib.bash"
e2e_setup
cat > "$E2E_DIR/zone" <<'ZONE'
alpha.example.          300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.alpha.example.   300 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@e2e.example"
ZONE
cat > "$E2E_DIR/alignd.toml" <<CONF
authserv_id = "mx.e2e.example"
[milter]
socket = "unix:$E2E_DIR/run/alignd.sock"
[dns]
zone_file = "$E2E_DIR/zone"
[store]
url = "sqlite://$E2E_DIR/alignd.db"
flush_interval_ms = 200
batch_size = 5
CONF
alignd_start

xc="ADDR=192.0.2.7 NAME=mail.alpha.example HELO=mail.alpha.example"
sent=0
for i in $(seq 40); do
  send --xclient "$xc" --from a@alpha.example --h-From a@alpha.example --to u@e2e.example --h-Subject "load-$i" && sent=$((sent + 1))
  if [ "$i" -eq 25 ]; then kill -9 "$ALIGND_PID"; wait "$ALIGND_PID" 2>/dev/null || true; ALIGND_PID=""; fi
done
delivered=$(grep -l '^Subject: load-' "$E2E_DIR"/mail/inbox/new/* 2>/dev/null | wc -l)
rows=$(sqlite3 "$E2E_DIR/alignd.db" 'select count(*) from evaluations')
check "store intact after kill -9" test "$(sqlite3 "$E2E_DIR/alignd.db" 'pragma integrity_check')" = ok
check "nothing accepted while alignd was down (delivered=$delivered of 25)" test "$delivered" -le 25
check "at most the unflushed batch lost (rows=$rows, delivered=$delivered)" \
  bash -c "[ $rows -le $delivered ] && [ $rows -ge $((delivered - 10)) ]"

alignd_start
send --xclient "$xc" --from a@alpha.example --h-From a@alpha.example --to u@e2e.example --h-Subject after-restart
wait_delivered after-restart >/dev/null || fail "delivered after restart"
alignd_stop
check "recording resumes after restart" test "$(sqlite3 "$E2E_DIR/alignd.db" 'select count(*) from evaluations')" -eq $((rows + 1))
e2e_finish
