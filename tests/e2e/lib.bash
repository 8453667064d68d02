# Shared helpers for end-to-end tests: a private Postfix instance on loopback
# (its own config, queue and maildir under a temp dir; no chroot), alignd on a
# unix socket, swaks to send. Source it; call e2e_setup first. Everything is
# torn down by the EXIT trap. (.bash, not .sh: CMake makes every .sh a test.)
set -euo pipefail

: "${ALIGND:?ALIGND must name the alignd binary}"
: "${ALIGND_SOURCE_DIR:?}"

E2E_DIR=""
PF_PORT=""
ALIGND_PID=""
FAILS=0
PASSES=0

log() { echo "e2e: $*" >&2; }
pass() { PASSES=$((PASSES + 1)); echo "ok - $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL - $*"; }
check() {  # check "description" command...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

e2e_teardown() {
  set +e
  [ -n "$ALIGND_PID" ] && kill "$ALIGND_PID" 2>/dev/null && wait "$ALIGND_PID" 2>/dev/null
  [ -n "$E2E_DIR" ] && postfix -c "$E2E_DIR/etc" stop >/dev/null 2>&1
  if [ -n "$E2E_DIR" ] && [ "${KEEP_E2E:-}" = "" ]; then rm -rf "$E2E_DIR"; fi
}

# e2e_setup: private Postfix delivering *@e2e.example to a maildir; smtpd and
# the non-SMTP (sendmail) path both use the alignd milter socket.
e2e_setup() {
  E2E_DIR=$(mktemp -d /tmp/alignd-e2e.XXXXXX)
  chmod 755 "$E2E_DIR"
  trap e2e_teardown EXIT
  PF_PORT=$(free_port)
  local D=$E2E_DIR
  mkdir -p "$D/etc" "$D/spool" "$D/data" "$D/mail" "$D/run"
  chown postfix "$D/data" "$D/mail"
  cp /etc/postfix/master.cf "$D/etc/"
  sed -i -E "s/^smtp(\s+)inet(\s+)n(\s+)-(\s+)[yn]/127.0.0.1:$PF_PORT inet n - n/" "$D/etc/master.cf"
  cat > "$D/etc/main.cf" <<MAIN
compatibility_level = 3.6
queue_directory = $D/spool
data_directory = $D/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = all
myhostname = mx.e2e.example
mydomain = e2e.example
myorigin = e2e.example
mydestination =
mynetworks = 127.0.0.0/8
smtpd_authorized_xclient_hosts = 127.0.0.0/8
relay_domains =
virtual_mailbox_domains = e2e.example
virtual_mailbox_base = $D/mail
virtual_mailbox_maps = static:inbox/
virtual_uid_maps = static:$(id -u postfix)
virtual_gid_maps = static:$(id -g postfix)
maillog_file_prefixes = $D
maillog_file = $D/maillog
smtpd_milters = unix:$D/run/alignd.sock
non_smtpd_milters = unix:$D/run/alignd.sock
milter_default_action = tempfail
milter_protocol = 6
smtpd_banner = mx.e2e.example ESMTP
MAIN
  postconf -c "$D/etc" -F '*/*/chroot = n'
  postfix -c "$D/etc" start >/dev/null 2>&1 || { cat "$D/maillog" >&2; return 1; }
  for _ in $(seq 50); do
    (echo > /dev/tcp/127.0.0.1/$PF_PORT) 2>/dev/null && return 0
    sleep 0.1
  done
  log "postfix did not start"; cat "$D/maillog" >&2; return 1
}

# alignd_config BODY: writes $E2E_DIR/alignd.toml with the socket and the
# SQLite store set, plus BODY (which may have a [store] table of its own).
alignd_config() {
  local url="url = \"sqlite://$E2E_DIR/alignd.db\""
  local body=$1
  if grep -q '^\[store\]$' <<<"$body"; then
    body=$(sed "s|^\[store\]\$|[store]\n$url|" <<<"$body")
  else
    body=$(printf '%s\n[store]\n%s' "$body" "$url")
  fi
  cat > "$E2E_DIR/alignd.toml" <<CONF
authserv_id = "mx.e2e.example"
[milter]
socket = "unix:$E2E_DIR/run/alignd.sock"
$body
CONF
}

alignd_start() {
  "$ALIGND" serve -c "$E2E_DIR/alignd.toml" >"$E2E_DIR/alignd.out" 2>"$E2E_DIR/alignd.log" &
  ALIGND_PID=$!
  for _ in $(seq 100); do
    [ -S "$E2E_DIR/run/alignd.sock" ] && grep -q 'started' "$E2E_DIR/alignd.log" && return 0
    kill -0 "$ALIGND_PID" 2>/dev/null || { cat "$E2E_DIR/alignd.log" >&2; return 1; }
    sleep 0.1
  done
  log "alignd did not start"; cat "$E2E_DIR/alignd.log" >&2; return 1
}

alignd_stop() {
  [ -n "$ALIGND_PID" ] || return 0
  kill "$ALIGND_PID" 2>/dev/null || true
  wait "$ALIGND_PID" 2>/dev/null || true
  ALIGND_PID=""
}

# send ARGS...: swaks to our Postfix; prints swaks' transcript to $E2E_DIR/swaks.out
send() {
  swaks --server "127.0.0.1:$PF_PORT" --helo client.e2e.example "$@" >"$E2E_DIR/swaks.out" 2>&1
}
last_reply() { grep -E '^<\*\* |^<-  ' "$E2E_DIR/swaks.out" | tail -3; }

# wait_delivered SUBJECT: prints the path of the delivered message with that subject.
wait_delivered() {
  local subj=$1
  for _ in $(seq 100); do
    local f
    f=$(grep -l -F "Subject: $subj" "$E2E_DIR"/mail/inbox/new/* 2>/dev/null | head -1 || true)
    [ -n "$f" ] && { echo "$f"; return 0; }
    sleep 0.1
  done
  return 1
}

# first_header FILE: the first header line that Postfix's delivery agent did not add.
first_header() { grep -vE '^(Return-Path|X-Original-To|Delivered-To):' "$1" | head -1; }

e2e_finish() {
  echo "$PASSES passed, $FAILS failed"
  if [ "$FAILS" -ne 0 ]; then
    echo "--- alignd log"; tail -30 "$E2E_DIR/alignd.log" 2>/dev/null || true
    echo "--- postfix log"; tail -30 "$E2E_DIR/maillog" 2>/dev/null || true
    exit 1
  fi
}
