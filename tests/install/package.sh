#!/usr/bin/env bash
# Issue 15 items 4 and 6: the Debian package on this machine. Builds it
# (contrib/make-deb.sh, lintian included), installs it with apt-get, checks
# what the postinst made (user, groups, modes, conffile, units, man page),
# runs alignd.service as its unit file says and sends mail through a private
# Postfix to the package's socket (/run/alignd/milter.sock, group alignd);
# then upgrades to repacked newer versions: one restarts the daemon (SIGTERM
# drains: a message in flight is finished; store migrations run once) and mail
# flows; with a configuration the
# new binary rejects, the old daemon keeps running and the upgrade says why;
# finally purges and checks nothing is left.
# No systemd as PID 1 here: apt-get runs in a private mount namespace where
# /run/systemd/system exists, systemctl is tests/install/fake_systemctl.bash
# and policy-rc.d allows starting, so the maintainer scripts drive the service
# exactly as they would drive systemd. Exit 77 (skipped) when that cannot be
# set up, or when an alignd is already installed on this machine.
source "$(dirname "$0")/../e2e/lib.bash"
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (apt-get install)"
for t in dpkg-buildpackage apt-get unshare setpriv man; do
  command -v "$t" >/dev/null || skip "$t missing (contrib/debian-packages.txt)"
done
# The package's state: installed, config-files, ... ("" or not-installed: absent).
pkg_state() { dpkg-query -W -f='${db:Status-Status}' alignd 2>/dev/null || true; }
present() { case $(pkg_state) in "" | not-installed) return 1 ;; esac; }
if present || [ -e /usr/sbin/alignd ] || [ -e /etc/alignd ]; then
  skip "an alignd is installed here already (package or make install); not touching it"
fi
unshare -m true 2>/dev/null || skip "cannot create a mount namespace (unshare -m)"

DEB_OUT=${ALIGND_BUILD_DIR:-$ALIGND_SOURCE_DIR/build}/deb
T=$(mktemp -d /tmp/alignd-pkg.XXXXXX)
SVC=$T/svc
mkdir -p "$T/bin" "$SVC"
cp "$ALIGND_SOURCE_DIR/tests/install/fake_systemctl.bash" "$T/bin/systemctl"
printf '#!/bin/sh\nexit 0\n' >"$T/policy-rc.d"
chmod 755 "$T/bin/systemctl" "$T/policy-rc.d"
MADE_RUN_SYSTEMD=""
[ -d /run/systemd ] || { mkdir /run/systemd; MADE_RUN_SYSTEMD=1; }

# as_systemd CMD...: CMD where the maintainer scripts see "systemd" (the fake).
as_systemd() {
  FAKE_SYSTEMD_STATE=$SVC PATH="$T/bin:$PATH" DEBIAN_FRONTEND=noninteractive \
    unshare -m --propagation private bash -c '
      mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system || exit 1
      [ -e /usr/sbin/policy-rc.d ] && { mount --bind "$0" /usr/sbin/policy-rc.d || exit 1; }
      exec "$@"' "$T/policy-rc.d" "$@"
}
# apt-get runs dpkg with PATH=DPkg::Path: the fake systemctl goes first there too.
apt_q() { as_systemd apt-get -o DPkg::Lock::Timeout=300 -o DPkg::Path="$T/bin:/usr/sbin:/usr/bin:/sbin:/bin" -y "$@"; }
daemon_pid() { cat "$SVC/alignd.service.pid" 2>/dev/null || true; }
cleanup() {
  set +e
  present && apt_q purge alignd >/dev/null 2>&1
  [ -n "$(daemon_pid)" ] && kill "$(daemon_pid)" 2>/dev/null
  [ -n "$MADE_RUN_SYSTEMD" ] && rmdir /run/systemd 2>/dev/null
  e2e_teardown
  [ -n "${KEEP_E2E:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

# ---- build -----------------------------------------------------------------
# ALIGND_DEB=FILE: test that package instead of building one (for iterating on the test).
t0=$(date +%s)
if [ -n "${ALIGND_DEB:-}" ]; then
  DEB=$ALIGND_DEB
elif "$ALIGND_SOURCE_DIR/contrib/make-deb.sh" "$DEB_OUT" >"$T/make-deb.out" 2>&1; then
  pass "package built and lintian clean in $(( $(date +%s) - t0 )) s"
  DEB=$(ls "$DEB_OUT"/alignd_*.deb | head -1)
else
  cat "$T/make-deb.out"; fail "make-deb.sh built the package (lintian clean)"; e2e_finish
fi
VERSION=$(dpkg-deb -f "$DEB" Version)
log "$DEB ($VERSION)"

# ---- install ---------------------------------------------------------------
apt_q install "$DEB" >"$T/install.out" 2>&1 || { cat "$T/install.out"; fail "apt-get install"; e2e_finish; }
check "apt-get install ./$(basename "$DEB")" test "$(dpkg-query -W -f='${Version}' alignd)" = "$VERSION"
check "alignd --version says $VERSION and a commit" grep -qE "^alignd ${VERSION%%+*} \(commit [0-9a-f]{7,}" <(/usr/sbin/alignd --version)
check "alignd config check passes as user alignd" setpriv --reuid=alignd --regid=alignd --init-groups /usr/sbin/alignd config check
check "system user alignd, shell nologin" test "$(getent passwd alignd | cut -d: -f7)" = /usr/sbin/nologin
if getent passwd postfix >/dev/null; then
  check "postfix is in group alignd" grep -qw alignd <(id -nG postfix)
fi
check "/etc/alignd/alignd.toml is a conffile" grep -q '/etc/alignd/alignd.toml' <(dpkg-query -W -f='${Conffiles}' alignd)
check "the conffile is contrib/alignd.toml (monitor only)" cmp -s /etc/alignd/alignd.toml "$ALIGND_SOURCE_DIR/contrib/alignd.toml"
check "/var/lib/alignd is alignd:alignd 0750" test "$(stat -c '%U:%G %a' /var/lib/alignd)" = "alignd:alignd 750"
check "/etc/alignd/keys is root:alignd 0750" test "$(stat -c '%U:%G %a' /etc/alignd/keys)" = "root:alignd 750"
check "units installed" test -f /lib/systemd/system/alignd.service -a -f /lib/systemd/system/alignd-report.service -a -f /lib/systemd/system/alignd-report.timer
check "alignd.service enabled (multi-user.target.wants)" test -L /etc/systemd/system/multi-user.target.wants/alignd.service
check "alignd-report.timer enabled (timers.target.wants)" test -L /etc/systemd/system/timers.target.wants/alignd-report.timer
check "policies in /usr/share/alignd/policies" test -f /usr/share/alignd/policies/enforce.toml -a -d /usr/share/alignd/policies/examples
check "the unit's Documentation= exists" test -f "$(sed -n 's|^Documentation=file:||p' /lib/systemd/system/alignd.service)"
check "the report unit's Documentation= exists" test -f "$(sed -n 's|^Documentation=file:||p' /lib/systemd/system/alignd-report.service)"
check "man alignd" grep -q 'alignd config check' <(MANPAGER=cat man alignd 2>/dev/null)
check "man alignd-policy" grep -q 'first rule' <(MANPAGER=cat man 5 alignd-policy 2>/dev/null)
PID1=$(daemon_pid)
check "postinst started alignd.service" kill -0 "${PID1:-0}"
check "the daemon runs as alignd" test "$(ps -o user= -p "${PID1:-0}" 2>/dev/null)" = alignd
check "socket /run/alignd/milter.sock is alignd:alignd 0660" \
  test "$(stat -c '%U:%G %a' /run/alignd/milter.sock 2>/dev/null)" = "alignd:alignd 660"

# ---- mail through Postfix to the package's socket -----------------------------
e2e_setup
trap cleanup EXIT  # e2e_setup set its own; cleanup calls it
postconf -c "$E2E_DIR/etc" -e 'smtpd_milters = unix:/run/alignd/milter.sock' \
  'non_smtpd_milters = unix:/run/alignd/milter.sock'
postfix -c "$E2E_DIR/etc" reload >/dev/null 2>&1
sleep 1
mail_flows() {  # mail_flows TAG: a message is delivered with alignd's Authentication-Results
  send --from sender@outside.example --to u@e2e.example --h-Subject "pkg-$1"
  local f
  f=$(wait_delivered "pkg-$1") || { fail "$1: message delivered"; last_reply; return; }
  check "$1: delivered with alignd's Authentication-Results" grep -qE '^Authentication-Results: [^ ;]+;' "$f"
}
mail_flows installed
# The writer creates the store at its first batch (flush interval): wait for it.
for _ in $(seq 100); do [ -s /var/lib/alignd/alignd.db ] && break; sleep 0.1; done
check "the daemon created its store in /var/lib/alignd" test "$(stat -c %U /var/lib/alignd/alignd.db 2>/dev/null)" = alignd

# ---- upgrade: a newer version restarts the daemon --------------------------------
repack() {  # repack NEWVERSION: prints the path of the package with that version
  local d=$T/repack-$1
  rm -rf "$d"; dpkg-deb -R "$DEB" "$d"
  sed -i "s/^Version: .*/Version: $1/" "$d/DEBIAN/control"
  dpkg-deb -b "$d" "$T/alignd_$1.deb" >/dev/null && echo "$T/alignd_$1.deb"
}
# Read as alignd, read-only: a root-owned -journal/-shm file would lock the daemon out.
schema_rows() {
  setpriv --reuid=alignd --regid=alignd --init-groups sqlite3 -readonly /var/lib/alignd/alignd.db \
    'SELECT COUNT(*), MAX(version) FROM schema_version'
}
ROWS1=$(schema_rows)
V2=$VERSION+up1
# A message in flight across the restart: its SMTP session (and so Postfix's milter
# connection to the old daemon) is open, the body sent but not its final dot, when
# the upgrade's try-restart sends SIGTERM; the old daemon must finish it.
smtp_reply() {  # the last line's code of the next SMTP reply, in REPLY_CODE
  local line
  REPLY_CODE=""
  while IFS= read -r -t 60 line <&3; do
    line=${line%$'\r'}
    echo "S: $line" >>"$T/smtp.log"
    [[ $line =~ ^([0-9]{3})\  ]] && { REPLY_CODE=${BASH_REMATCH[1]}; return 0; }
  done
  return 1
}
smtp() { echo "C: $1" >>"$T/smtp.log"; printf '%s\r\n' "$1" >&3; smtp_reply || true; }
exec 3<>"/dev/tcp/127.0.0.1/$PF_PORT"
smtp_reply || true
smtp "EHLO client.e2e.example"
smtp "MAIL FROM:<sender@outside.example>"
smtp "RCPT TO:<u@e2e.example>"
smtp "DATA"
check "in flight: DATA accepted before the upgrade ($REPLY_CODE)" test "$REPLY_CODE" = 354
printf 'From: sender@outside.example\r\nTo: u@e2e.example\r\nSubject: pkg-inflight\r\n\r\nsent across the restart\r\n' >&3
stops=$(grep -c '^--- stop' "$SVC/alignd.service.log" || true)
apt_q install "$(repack "$V2")" >"$T/up1.out" 2>&1 &
APT=$!
for _ in $(seq 600); do
  [ "$(grep -c '^--- stop' "$SVC/alignd.service.log")" -gt "$stops" ] && break
  kill -0 "$APT" 2>/dev/null || break
  sleep 0.1
done
sleep 1  # SIGTERM is delivered; the old daemon is draining
check "in flight: the old daemon ($PID1) is draining, not gone" kill -0 "$PID1"
smtp "."
# The old daemon finishes it: on SIGTERM alignd removes the socket's name and
# waits for the sessions in progress before libmilter stops (Debian's libmilter,
# a worker pool, would never serve this idle session again: 451 after 30 s).
check "in flight: the message sent across SIGTERM is finished by the old daemon ($REPLY_CODE)" \
  test "$REPLY_CODE" = 250
smtp "QUIT"
exec 3<&-
wait "$APT" || { cat "$T/up1.out"; fail "upgrade to $V2"; }
if f=$(wait_delivered pkg-inflight); then
  check "in flight: delivered with alignd's Authentication-Results" grep -qE '^Authentication-Results: [^ ;]+;' "$f"
else
  fail "in flight: the accepted message was delivered"
fi
check "in flight: the old daemon logged the drain" grep -q 'SIGTERM: finishing 1 milter sessions' "$SVC/alignd.service.log"
PID2=$(daemon_pid)
check "upgrade to $V2 installed" test "$(dpkg-query -W -f='${Version}' alignd)" = "$V2"
check "upgrade: postinst accepted the configuration and restarted" grep -q 'configuration accepted; restarting' "$T/up1.out"
check "upgrade: the old daemon ($PID1) stopped" sh -c "! kill -0 $PID1 2>/dev/null"
check "upgrade: it stopped cleanly (SIGTERM drained the store)" grep -qE 'alignd(\[[a-z]+\])?: stopped' "$SVC/alignd.service.log"
check "upgrade: a new daemon ($PID2) runs" kill -0 "${PID2:-0}"
mail_flows upgraded
check "upgrade: store migrations ran once (schema_version $ROWS1)" test "$(schema_rows)" = "$ROWS1"

# ---- upgrade with a configuration the new binary rejects ---------------------------
cp /etc/alignd/alignd.toml "$T/alignd.toml.good"
echo 'no_such_key = 1' >>/etc/alignd/alignd.toml
V3=$VERSION+up2
apt_q install "$(repack "$V3")" >"$T/up2.out" 2>&1
check "bad config: the upgrade itself completes" test "$(dpkg-query -W -f='${Version}' alignd)" = "$V3"
check "bad config: the upgrade says it does not restart, and why" \
  grep -q 'NOT restarting alignd.service' "$T/up2.out"
check "bad config: ... naming the key" grep -q 'no_such_key' "$T/up2.out"
check "bad config: the old daemon ($PID2) keeps running" test "$(daemon_pid)" = "$PID2" -a -n "$PID2"
kill -0 "${PID2:-0}" 2>/dev/null || fail "bad config: daemon $PID2 alive"
mail_flows kept
cp "$T/alignd.toml.good" /etc/alignd/alignd.toml
sed -n '/^alignd:/p' "$T/up2.out" | head -8

# ---- purge -------------------------------------------------------------------------
dpkg-query -L alignd >"$T/files"
apt_q purge alignd >"$T/purge.out" 2>&1 || { cat "$T/purge.out"; fail "apt-get purge"; }
st=$(pkg_state)
check "purge: the package is gone (dpkg state '${st:-none}')" test -z "$st" -o "$st" = not-installed
check "purge: the daemon was stopped" sh -c "! kill -0 $PID2 2>/dev/null"
left=$(while read -r f; do if [ -e "$f" ] && [ ! -d "$f" ]; then echo "$f"; fi; done <"$T/files")
check "purge: no file of dpkg -L is left${left:+: $left}" test -z "$left"
for p in /etc/alignd /var/lib/alignd /run/alignd /usr/sbin/alignd /usr/share/alignd /usr/share/doc/alignd \
  /usr/share/man/man8/alignd.8.gz /usr/share/man/man5/alignd-policy.5.gz; do
  check "purge: $p is gone" test ! -e "$p"
done
check "purge: no unit symlinks left" test -z "$(find /etc/systemd/system -name 'alignd*' 2>/dev/null)"
e2e_finish
