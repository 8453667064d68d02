#!/usr/bin/env bash
# kill -9 of alignd serve: loses at most the batch not yet committed, and never
# corrupts the SQLite store. batch_size = 5 and a long flush interval make the
# loss exact: after 12 accepted messages, 10 rows are committed, 2 are lost.
# Then a kill during concurrent sends: integrity_check ok, a restarted alignd
# records again. Uses the e2e harness (tests/e2e/lib.bash); loopback only.
source "$(dirname "$0")/../e2e/lib.bash"
e2e_setup
cat > "$E2E_DIR/zone" <<'ZONE'
a.example.          300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.a.example.   300 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@a.example"
ZONE
# record_messages = false: the queue then holds only report rows, so a batch of 5
# is 5 evaluations (simulate's message rows would share the batches).
alignd_config "[store]
batch_size = 5
flush_interval_ms = 600000
record_messages = false
[dns]
zone_file = \"$E2E_DIR/zone\"
servers = [\"127.0.0.1@$(free_port)\"]
timeout_ms = 500"
alignd_start
db=$E2E_DIR/alignd.db
count() { sqlite3 "$db" 'SELECT COUNT(*) FROM evaluations' 2>/dev/null || echo 0; }
msg() { send --xclient "ADDR=192.0.2.10 NAME=m.a.example HELO=m.a.example" --from x@a.example \
  --h-From x@a.example --to u@e2e.example --h-Subject "$1"; }

for i in $(seq 12); do msg "k-$i" || fail "message k-$i accepted"; done
for _ in $(seq 50); do [ "$(count)" = 10 ] && break; sleep 0.1; done
kill -9 "$ALIGND_PID"; wait "$ALIGND_PID" 2>/dev/null || true; ALIGND_PID=""
check "12 accepted, 10 committed: only the unflushed batch is lost" test "$(count)" = 10
check "store intact after kill -9" test "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok

# Kill under concurrent load.
alignd_start
pids=()
for i in $(seq 16); do
  swaks --server "127.0.0.1:$PF_PORT" --helo c.example --xclient "ADDR=192.0.2.11 NAME=m.a.example HELO=m.a.example" \
    --from x@a.example --h-From x@a.example --to u@e2e.example --h-Subject "load-$i" >/dev/null 2>&1 &
  pids+=($!)
done
sleep 1.5
kill -9 "$ALIGND_PID"; wait "$ALIGND_PID" 2>/dev/null || true; ALIGND_PID=""
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
n=$(count)
check "store intact after kill -9 under load" test "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok
check "committed rows are whole batches ($n)" test $(( (n - 10) % 5 )) = 0

# A new alignd opens the same store and records again.
alignd_start
for i in $(seq 5); do msg "after-$i" || fail "message after-$i accepted"; done
for _ in $(seq 50); do [ "$(count)" = $((n + 5)) ] && break; sleep 0.1; done
check "restarted alignd records again" test "$(count)" = $((n + 5))
e2e_finish
