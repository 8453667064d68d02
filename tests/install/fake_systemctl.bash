#!/usr/bin/env bash
# A stand-in for systemctl for tests/install/package.sh on machines without
# systemd as PID 1: the package's maintainer scripts (debhelper's snippets and
# alignd.postinst, through deb-systemd-invoke) drive it as they would drive
# systemd. It runs alignd.service the way the installed unit file says:
# RuntimeDirectory=/StateDirectory= with their modes, UMask=, User=/Group=,
# ExecStartPre= then ExecStart= (ready when the daemon logs "started", as
# Type=notify waits for READY=1); stop sends KillSignal= (SIGTERM) and waits up
# to TimeoutStopSec=, then removes the RuntimeDirectory= as systemd does.
# Other units (the report timer) are accepted and not run. State and logs live
# in $FAKE_SYSTEMD_STATE: UNIT.pid, UNIT.log, calls.log. (.bash: not a test.)
set -uo pipefail
state=${FAKE_SYSTEMD_STATE:?FAKE_SYSTEMD_STATE must name a directory}
unitdir=${FAKE_SYSTEMD_UNITDIR:-/lib/systemd/system}
echo "systemctl $*" >>"$state/calls.log"
args=()
for a in "$@"; do
  case $a in -*) ;; *) args+=("$a") ;; esac
done
verb=${args[0]:-}
real=$(PATH=/usr/bin:/bin command -v systemctl)
units=("${args[@]:1}")

value() { sed -n "s/^$2=//p" "$unitdir/$1" | tail -1; }
pid_of() { cat "$state/$1.pid" 2>/dev/null; }
active() { local p; p=$(pid_of "$1") && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
started='alignd(\[[a-z]+\])?: started '  # the daemon's "ready" log line
runs_here() { [ "$1" = alignd.service ] && [ -f "$unitdir/$1" ]; }

start_unit() {
  local u=$1 log=$state/$1.log
  runs_here "$u" || return 0
  active "$u" && return 0
  local user group um pre exec
  user=$(value "$u" User) group=$(value "$u" Group) um=$(value "$u" UMask)
  install -d -o "$user" -g "$group" -m "$(value "$u" RuntimeDirectoryMode)" "/run/$(value "$u" RuntimeDirectory)"
  install -d -o "$user" -g "$group" -m "$(value "$u" StateDirectoryMode)" "/var/lib/$(value "$u" StateDirectory)"
  local as=(setpriv --reuid="$user" --regid="$group" --init-groups --)
  pre=$(value "$u" ExecStartPre) exec=$(value "$u" ExecStart)
  echo "--- start $(date +%T)" >>"$log"
  if [ -n "$pre" ] && ! (umask "$um" && "${as[@]}" $pre) >>"$log" 2>&1; then
    echo "fake systemctl: $u: ExecStartPre failed" >&2
    return 1
  fi
  local n
  n=$(grep -cE "$started" "$log")
  (umask "$um" && exec setsid "${as[@]}" $exec) </dev/null >>"$log" 2>&1 &
  echo $! >"$state/$u.pid"
  for _ in $(seq 150); do
    [ "$(grep -cE "$started" "$log")" -gt "$n" ] && break
    active "$u" || { echo "fake systemctl: $u exited at start" >&2; return 1; }
    sleep 0.1
  done
  [ "$(grep -cE "$started" "$log")" -gt "$n" ] || { echo "fake systemctl: $u not ready in 15 s" >&2; return 1; }
}

stop_unit() {
  local u=$1 p
  runs_here "$u" || return 0
  if active "$u"; then
    p=$(pid_of "$u")
    echo "--- stop $(date +%T)" >>"$state/$u.log"
    kill -TERM "$p"
    local limit=$(( $(value "$u" TimeoutStopSec) * 10 ))
    for _ in $(seq "$limit"); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && { kill -KILL "$p"; echo "--- killed after TimeoutStopSec" >>"$state/$u.log"; }
  fi
  rm -f "$state/$u.pid"
  rm -rf "/run/$(value "$u" RuntimeDirectory)"
}

rc=0
case $verb in
  start) for u in "${units[@]}"; do start_unit "$u" || rc=1; done ;;
  stop) for u in "${units[@]}"; do stop_unit "$u"; done ;;
  restart) for u in "${units[@]}"; do stop_unit "$u"; start_unit "$u" || rc=1; done ;;
  try-restart | condrestart)
    for u in "${units[@]}"; do
      if active "$u"; then stop_unit "$u"; start_unit "$u" || rc=1; fi
    done ;;
  is-active) for u in "${units[@]}"; do runs_here "$u" && ! active "$u" && rc=3; done ;;
  # Unit files and symlinks: the real systemctl does that offline with --root=/.
  is-enabled | enable | disable | reenable | preset | mask | unmask)
    "$real" --root=/ "$@"
    rc=$? ;;
  daemon-reload | reset-failed) ;;
  *) echo "fake systemctl: '$verb' not emulated" >&2; rc=1 ;;
esac
exit $rc
