#!/usr/bin/env bash
# Issue 10 item 8: the shipped systemd/alignd.service starts and serves mail.
# Without systemd as PID 1, tests/tools/unit_sandbox applies the unit's own
# User=, Group=, UMask=, NoNewPrivileges=, SystemCallFilter= and
# SystemCallErrorNumber= (syscall groups from this machine's
# `systemd-analyze syscall-filter`, so they cannot drift), with
# RuntimeDirectory=/StateDirectory= made as systemd makes them; the shipped
# contrib/alignd.toml is the configuration. Then: ExecStartPre (config check),
# ExecStart (serve), a message through a real Postfix; once more with blocked
# calls killing the process (--kill), so the daemon is shown to make none.
# Exit 77 (ctest: skipped) when the sandbox cannot be built or applied here.
source "$(dirname "$0")/lib.bash"
UNIT=$ALIGND_SOURCE_DIR/systemd/alignd.service
SANDBOX=${ALIGND_BUILD_DIR:-$(dirname "$ALIGND")}/unit_sandbox
skip() { echo "SKIP: $*"; exit 77; }
[ -x "$SANDBOX" ] || skip "unit_sandbox not built (install libseccomp-dev, contrib/debian-packages.txt)"
command -v systemd-analyze >/dev/null || skip "systemd-analyze missing (package systemd)"
[ "$(id -u)" -eq 0 ] || skip "needs root to switch to the unit's User="

unit_value() { sed -n "s/^$1=//p" "$UNIT" | tail -1; }
SVC_USER=$(unit_value User)
SVC_GROUP=$(unit_value Group)
# What `make install` does (Makefile): the service user, and Postfix in its group.
if ! getent passwd "$SVC_USER" >/dev/null; then
  log "creating system user $SVC_USER as make install would"
  useradd --system --user-group --home-dir /var/lib/alignd --no-create-home --shell /usr/sbin/nologin "$SVC_USER"
fi
id -nG postfix | grep -qw "$SVC_GROUP" || usermod -aG "$SVC_GROUP" postfix

e2e_setup
SETS=$E2E_DIR/syscall-sets.txt
systemd-analyze syscall-filter >"$SETS" 2>/dev/null || skip "systemd-analyze syscall-filter failed"
# The sandbox itself must refuse chown (in ~@privileged), else it proves nothing.
touch "$E2E_DIR/probe" && chown "$SVC_USER" "$E2E_DIR/probe"
"$SANDBOX" --unit "$UNIT" --syscall-sets "$SETS" -- chown "$SVC_USER:$SVC_GROUP" "$E2E_DIR/probe" 2>"$E2E_DIR/probe.err" \
  && skip "the seccomp filter did not block chown here"
check "the unit's filter refuses chown with EPERM (SystemCallErrorNumber=)" grep -q 'Operation not permitted' "$E2E_DIR/probe.err"
rc=0; "$SANDBOX" --kill --unit "$UNIT" --syscall-sets "$SETS" -- chown "$SVC_USER:$SVC_GROUP" "$E2E_DIR/probe" 2>/dev/null || rc=$?
check "without SystemCallErrorNumber= a blocked call kills (SIGSYS, status $rc)" test "$rc" -eq $((128 + 31))

# RuntimeDirectory= and StateDirectory=, as systemd creates them; the binary
# where the service user can run it; the shipped example configuration.
RT=$E2E_DIR/run
install -d -o "$SVC_USER" -g "$SVC_GROUP" -m "$(unit_value RuntimeDirectoryMode)" "$RT"
install -d -o "$SVC_USER" -g "$SVC_GROUP" -m "$(unit_value StateDirectoryMode)" "$E2E_DIR/state"
install -m 0755 "$ALIGND" "$E2E_DIR/alignd"
sed -e "s|unix:/run/alignd/milter.sock|unix:$RT/alignd.sock|" \
    -e "s|sqlite:///var/lib/alignd/alignd.db|sqlite://$E2E_DIR/state/alignd.db|" \
    -e '1i authserv_id = "mx.e2e.example"' \
    "$ALIGND_SOURCE_DIR/contrib/alignd.toml" >"$E2E_DIR/alignd.toml"
chmod 0644 "$E2E_DIR/alignd.toml"
check "the example config names the unit's user" grep -q "^user = \"$SVC_USER\"" "$E2E_DIR/alignd.toml"

run_unit() {  # run_unit [--kill] ARGS...: the unit's sandbox around alignd ARGS
  local kill=()
  [ "$1" = --kill ] && { kill=(--kill); shift; }
  "$SANDBOX" "${kill[@]}" --unit "$UNIT" --syscall-sets "$SETS" -- "$E2E_DIR/alignd" "$@"
}

serve_one() {  # serve_one [--kill] TAG: ExecStartPre, ExecStart, one message
  local tag=$1 kill=()
  [ "$1" = --kill ] && { kill=(--kill); tag=$2; }
  check "$tag: ExecStartPre (config check as $SVC_USER) passes" run_unit "${kill[@]}" config check -c "$E2E_DIR/alignd.toml"
  : >"$E2E_DIR/alignd.log"
  # exec: the sandbox replaces the subshell and alignd the sandbox, so $! is the daemon.
  (exec "$SANDBOX" "${kill[@]}" --unit "$UNIT" --syscall-sets "$SETS" -- "$E2E_DIR/alignd" \
    serve -c "$E2E_DIR/alignd.toml") >"$E2E_DIR/alignd.out" 2>"$E2E_DIR/alignd.log" &
  ALIGND_PID=$!
  for _ in $(seq 100); do
    grep -q 'started' "$E2E_DIR/alignd.log" && break
    kill -0 "$ALIGND_PID" 2>/dev/null || break
    sleep 0.1
  done
  check "$tag: the daemon started under the unit's filter" grep -q 'started' "$E2E_DIR/alignd.log"
  check "$tag: socket is $SVC_USER:$SVC_GROUP mode 0660" \
    test "$(stat -c '%U:%G %a' "$RT/alignd.sock" 2>/dev/null)" = "$SVC_USER:$SVC_GROUP 660"
  send --from sender@outside.example --to u@e2e.example --h-Subject "unit-$tag"
  local f
  if f=$(wait_delivered "unit-$tag"); then
    check "$tag: message stamped by the sandboxed daemon" grep -q '^Authentication-Results: mx.e2e.example' "$f"
  else
    fail "$tag: message delivered"
  fi
  check "$tag: daemon still running after the message" kill -0 "$ALIGND_PID"
  check "$tag: no warning at start (no chown, no root)" bash -c "! grep -q 'warning' '$E2E_DIR/alignd.log'"
  alignd_stop
  check "$tag: SIGTERM stopped the daemon" bash -c "! pgrep -f '^$E2E_DIR/alignd serve'"
}

serve_one errno
serve_one --kill strict

# The record of `systemd-analyze security` for the unit (docs/security.md).
if systemd-analyze security --offline=yes "$UNIT" >"$E2E_DIR/security.txt" 2>&1; then
  log "$(tail -1 "$E2E_DIR/security.txt")"
fi
e2e_finish
