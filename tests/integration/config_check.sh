#!/bin/bash
# Integration: what a new admin trips over (issue 15). `alignd config check`
# prints every error as FILE:LINE:COLUMN: message — also those found after the
# TOML is read (a policy glob matching nothing, an unreadable key file) — then
# their count, and exits 1; unknown keys get "did you mean"; socket_mode = 0660
# gets a hint and "0660" and 0o660 both work; a milter port outside 1..65535 is
# refused; an authserv_id without a dot is a warning (exit 0) in `config check`
# and a log line at `serve` start; `serve` logs every error, and a reload with
# errors logs each and keeps the previous configuration. `config keys` prints
# the key table.
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}"
T=$(mktemp -d /tmp/alignd-config-check.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
passed=0
failed=0
check() {  # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok - $name"; else failed=$((failed + 1)); echo "FAIL - $name"; fi
}
has() { grep -qF -- "$2" "$1"; }

# --- every error, each with its position --------------------------------------
cat >"$T/bad.toml" <<CONF
authserv_id = "mx.example.net"
[milter]
socket = "inet:99999@127.0.0.1"
[dns]
timeout = 5
[policy]
files = ["$ALIGND_SOURCE_DIR/policies/*.toml",
         "$T/nope/*.toml"]
[store]
url = "none"
[[signing.keys]]
domain = "example.com"
selector = "s1"
key_file = "$T/keys/missing.key"
CONF
rc=0; "$ALIGND" config check -c "$T/bad.toml" >"$T/bad.out" 2>"$T/bad.err" || rc=$?
sed 's/^/    /' "$T/bad.err"
check "errors: exit 1" test "$rc" = 1
check "errors: the port, at its line" has "$T/bad.err" "$T/bad.toml:3:10: 'milter.socket' port 99999 is outside 1..65535"
check "errors: the unknown key, with did you mean" has "$T/bad.err" "$T/bad.toml:5:1: unknown key 'dns.timeout'; did you mean 'timeout_ms'?"
check "errors: the policy glob, at its array element" has "$T/bad.err" "$T/bad.toml:8:10: policy.files: '$T/nope/*.toml' matches no file"
check "errors: the key file, at key_file" has "$T/bad.err" "$T/bad.toml:14:12: signing.keys: $T/keys/missing.key: No such file or directory"
check "errors: the count" has "$T/bad.err" "$T/bad.toml: 4 errors"
check "errors: nothing else" test "$(wc -l <"$T/bad.err")" = 5

# Bad values are reported once, by the reader, not again when the runtime is built.
printf 'trusted_networks = ["10.0.0.0/33"]\n[dns]\nservers = ["127.0.0.1@0"]\n[store]\nurl = "none"\n' >"$T/once.toml"
rc=0; "$ALIGND" config check -c "$T/once.toml" >/dev/null 2>"$T/once.err" || rc=$?
check "a bad network and server: 2 errors, once each" \
  test "$rc:$(grep -c "^$T/once.toml:[0-9]*:[0-9]*: " "$T/once.err"):$(tail -1 "$T/once.err")" = "1:2:$T/once.toml: 2 errors"

# --- socket_mode ----------------------------------------------------------------
ok_conf() {  # ok_conf FILE EXTRA...: a valid config with the extra lines
  local f=$1; shift
  { printf 'authserv_id = "mx.example.net"\n[store]\nurl = "none"\n'; printf '%s\n' "$@"; } >"$f"
}
ok_conf "$T/m1.toml" "[milter]" "socket_mode = 0660"
rc=0; "$ALIGND" config check -c "$T/m1.toml" >/dev/null 2>"$T/m1.err" || rc=$?
sed 's/^/    /' "$T/m1.err"
check "socket_mode = 0660: exit 1" test "$rc" = 1
check "socket_mode = 0660: line:col and the hint" \
  grep -q "^$T/m1.toml:5:15: .*leading zero.*socket_mode = \"0660\".*socket_mode = 0o660" "$T/m1.err"
ok_conf "$T/m2.toml" "[milter]" "socket_mode = 0o660"
check "socket_mode = 0o660: OK" "$ALIGND" config check -c "$T/m2.toml"
ok_conf "$T/m3.toml" "[milter]" 'socket_mode = "0660"'
check "socket_mode = \"0660\": OK" "$ALIGND" config check -c "$T/m3.toml"

# --- ports ---------------------------------------------------------------------
for good in "unix:$T/m.sock" "inet:8891@127.0.0.1" "inet6:8891@::1" "inet:65535@localhost"; do
  ok_conf "$T/p.toml" "[milter]" "socket = \"$good\""
  check "socket $good: OK" "$ALIGND" config check -c "$T/p.toml"
done
for bad in "inet:99999@127.0.0.1" "inet:0@127.0.0.1" "inet:8891" "inet:127.0.0.1:8891" "inet6:70000@::1"; do
  ok_conf "$T/p.toml" "[milter]" "socket = \"$bad\""
  rc=0; "$ALIGND" config check -c "$T/p.toml" >/dev/null 2>"$T/p.err" || rc=$?
  check "socket $bad: refused at 5:10" test "$rc:$(grep -c "^$T/p.toml:5:10: 'milter.socket'" "$T/p.err")" = 1:1
done
ok_conf "$T/h.toml" "[http]" 'listen = "127.0.0.1:99999"'
rc=0; "$ALIGND" config check -c "$T/h.toml" >/dev/null 2>"$T/h.err" || rc=$?
check "http.listen port 99999: refused at 5:10" test "$rc:$(grep -c "^$T/h.toml:5:10: 'http.listen'" "$T/h.err")" = 1:1

# --- authserv_id without a dot -------------------------------------------------
printf 'authserv_id = "vm"\n[store]\nurl = "none"\n' >"$T/vm.toml"
rc=0; "$ALIGND" config check -c "$T/vm.toml" >"$T/vm.out" 2>"$T/vm.err" || rc=$?
sed 's/^/    /' "$T/vm.err" "$T/vm.out"
check "authserv_id = \"vm\": exit 0" test "$rc" = 0
check "authserv_id = \"vm\": warning at its line, saying why" \
  has "$T/vm.err" "warning: $T/vm.toml:1:15: authserv_id 'vm' has no dot: DMARC reports would go out From: dmarc-reports@vm"
check "authserv_id = \"vm\": OK with 1 warning" grep -q "OK (0 policy rules, 1 warning)" "$T/vm.out"
# Defaulted to a host name without a dot (in a UTS namespace named vm, when we may).
printf '[store]\nurl = "none"\n' >"$T/host.toml"
if unshare --uts true 2>/dev/null; then
  rc=0; unshare --uts sh -c 'hostname vm && exec "$0" config check -c "$1"' "$ALIGND" "$T/host.toml" \
    >/dev/null 2>"$T/host.err" || rc=$?
  check "host name vm: exit 0 and how to set authserv_id" \
    test "$rc:$(grep -c "authserv_id defaults to the host name 'vm'.*set authserv_id = \"mx.example.net\"" "$T/host.err")" = 0:1
  unshare --uts sh -c 'hostname mx.example.net && exec "$0" config check -c "$1"' "$ALIGND" "$T/host.toml" \
    >/dev/null 2>"$T/fqdn.err"
  check "host name mx.example.net: no warning" test ! -s "$T/fqdn.err"
else
  echo "skip - host name checks (no UTS namespace)"
fi

# --- serve: the warning at start; a reload with errors logs each, keeps the old -----
printf 'authserv_id = "vm"\n[milter]\nsocket = "unix:%s/s.sock"\n[store]\nurl = "none"\n' "$T" >"$T/serve.toml"
"$ALIGND" serve -c "$T/serve.toml" >/dev/null 2>"$T/serve.log" & PID=$!
for _ in $(seq 100); do grep -q started "$T/serve.log" && break; sleep 0.1; done
check "serve: started" grep -q started "$T/serve.log"
check "serve: logs the authserv_id warning at start" grep -q "warning.*authserv_id 'vm' has no dot" "$T/serve.log"
printf 'authserv_id = "vm"\nfoo = 1\n[milter]\nsocket = "unix:%s/s.sock"\n[store]\nurl = "none"\n[policy]\nfiles = ["%s/none/*.toml"]\n' "$T" "$T" >"$T/serve.toml"
kill -HUP "$PID"
for _ in $(seq 100); do [ "$(grep -c 'reload failed' "$T/serve.log")" -ge 2 ] && break; sleep 0.1; done
sed -n '/reload/s/^/    /p' "$T/serve.log"
check "reload: each error logged with its position" \
  test "$(grep -c "reload failed, keeping the previous configuration: $T/serve.toml:[0-9]*:[0-9]*: " "$T/serve.log")" = 2
check "reload: still running" kill -0 "$PID"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
rc=0; "$ALIGND" serve -c "$T/serve.toml" >/dev/null 2>"$T/serve2.log" || rc=$?
check "serve with 2 errors: exit 1, logs both" \
  test "$rc:$(grep -c "cannot start: $T/serve.toml:[0-9]*:[0-9]*: " "$T/serve2.log")" = 1:2

# --- config keys ---------------------------------------------------------------
"$ALIGND" config keys >"$T/keys.out"
check "config keys: a section and a key with type and default" \
  grep -q '^socket_mode  *octal mode  *"0660"$' "$T/keys.out"
check "config keys --names" grep -qx 'signing.keys.key_file' <("$ALIGND" config keys --names)

echo "config check: $passed passed, $failed failed"
[ "$failed" = 0 ]
