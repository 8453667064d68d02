# Shared by the integration tests that drive `alignd serve` over the milter
# protocol with bench/milter_load (built with the tests) in the MTA's place:
# check/expect counters, starting and stopping a daemon, sending one message.
# Leaves out Postfix (tests/e2e/lib.bash has that). Source it after setting WORK.
# (.bash, not .sh: CMake makes every .sh a test.)
set -euo pipefail
# At exit: the daemons stopped, then BEFORE_CLEANUP (a command, may be empty), then
# WORK removed unless KEEP is set.
BEFORE_CLEANUP=""
declare -A DAEMONS=()
cleanup() {
  stop_all
  eval "$BEFORE_CLEANUP"
  [ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}" "${WORK:?set WORK to a temp dir first}"
MILTER_LOAD=${MILTER_LOAD:-${ALIGND_BUILD_DIR:-$(dirname "$ALIGND")}/milter_load}
[ -x "$MILTER_LOAD" ] || { echo "FAIL: no milter_load at $MILTER_LOAD (built with the tests)"; exit 1; }

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
bad() { failed=$((failed + 1)); echo "FAIL - $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }  # check WHAT CMD...
has() { grep -qF -- "$1" "$2"; }  # has TEXT FILE

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_alignd NAME CONFIG: `alignd serve` with log $WORK/NAME.log; CONFIG must set
# [milter] socket = "unix:$WORK/NAME.sock" (a fresh path a start: libmilter lets a
# socket go only seconds after SIGTERM).
start_alignd() {
  local name=$1 conf=$2
  "$ALIGND" serve -c "$conf" >"$WORK/$name.out" 2>"$WORK/$name.log" &
  DAEMONS[$name]=$!
  for _ in $(seq 100); do
    [ -S "$WORK/$name.sock" ] && grep -q started "$WORK/$name.log" && return 0
    kill -0 "${DAEMONS[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "FAIL: alignd $name did not start"; cat "$WORK/$name.log"; return 1
}
running() { kill -0 "${DAEMONS[$1]}" 2>/dev/null; }
stop_all() {
  local p
  [ "${#DAEMONS[@]}" -gt 0 ] || return 0
  for p in "${DAEMONS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${DAEMONS[@]}"; do wait "$p" 2>/dev/null || true; done
  DAEMONS=()
}

# send_one DAEMON MESSAGE OUT [milter_load options...]: one message over one
# connection from 192.0.2.10 (HELO mail.sender.example, MAIL FROM a@sender.example);
# milter_load's --log line to OUT, its summary to OUT.run.
send_one() {
  local name=$1 msg=$2 out=$3
  shift 3
  echo "$msg 192.0.2.10 mail.sender.example a@sender.example u@mx.test.example" >"$out.manifest"
  "$MILTER_LOAD" --socket "unix:$WORK/$name.sock" --manifest "$out.manifest" --connections 1 \
    --messages 1 --per-conn 1 --log "$out" "$@" >"$out.run" 2>&1 || true
}
outcome() { awk '{print $3}' "$1"; }  # a r t d, from a --log line
took_ms() { awk '{sub(/ms$/, "", $4); printf "%d", $4}' "$1"; }

finish() {
  echo "$(basename "$0" .sh): $passed passed, $failed failed"
  if [ "$failed" -ne 0 ]; then
    for f in "$WORK"/*.log; do echo "--- $f"; tail -15 "$f"; done
    return 1
  fi
}
