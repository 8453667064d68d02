#!/usr/bin/env bash
# The benchmark (`make bench`): alignd against the anchors (OpenDKIM + OpenDMARC,
# chained as Postfix chains them) in one run, on one corpus, through one local
# authoritative DNS server (nsd on a 127/8 address), driven by bench/milter_load over
# unix sockets. Prints msgs/s, latency p50/p99, daemon CPU per message and peak RSS,
# and the ratios alignd/anchors. Loopback only; every daemon is stopped on exit.
# Not a test: it is not in ctest and asserts nothing about speed.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
ALIGND=${ALIGND:-$SRC/build/alignd}
MILTER_LOAD=${MILTER_LOAD:-$SRC/build-bench/milter_load}
NULL_MILTER=${NULL_MILTER:-$(dirname "$MILTER_LOAD")/null_milter}
PY=/usr/bin/python3

CORPUS=300        # messages in the corpus (70% ~2 KB, 25% ~50 KB, 5% ~1 MB)
MESSAGES=50000    # upper bound of messages per measured run
DURATION=8        # upper bound of seconds per measured run
ROUNDS=3          # measured runs per stack, alternating with the other stack
CONNS=4           # concurrent milter connections (smtpd processes)
PER_CONN=5        # messages per connection
WARMUP=200        # unmeasured messages before each run
POSTFIX=1         # also the inbound rows through a real Postfix (bench/smtp_load.py)
P1_MESSAGES=3000  # one-message-per-connection run through Postfix (smtp-source): messages per round
P1_SESSIONS=10    # ... and its parallel SMTP sessions
OUT=""            # also write the table to this file (markdown)
PERF=""           # --perf FILE: perf record -g of alignd during its measured runs
SOAK=0            # --soak N: also N messages through alignd, RSS sampled every 5 s (docs/benchmarks.md)
MSGLOG=0          # --log: milter_load writes $T/NAME.log, one line per message (with --keep)
HOSTILE_ONLY=0    # --hostile-only: only the hostile rows (docs/security.md), then stop
usage() {
  cat <<EOF
usage: bench/run.sh [--corpus N=$CORPUS] [--messages N=$MESSAGES] [--duration S=$DURATION]
                    [--rounds R=$ROUNDS] [--connections C=$CONNS] [--per-conn K=$PER_CONN] [--warmup N=$WARMUP]
                    [--no-postfix] [--out FILE] [--keep] [--log] [--perf FILE] [--soak N] [--hostile-only]
Defaults keep the whole run under 5 minutes. Needs root (nsd on port 53 of a 127/8
address; the anchors' resolv.conf is bind-mounted in a private mount namespace).
EOF
}
while [ $# -gt 0 ]; do
  case $1 in
    --corpus) CORPUS=$2; shift ;;
    --messages) MESSAGES=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    --per-conn) PER_CONN=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --postfix) POSTFIX=1 ;;
    --no-postfix) POSTFIX=0 ;;
    --out) OUT=$2; shift ;;
    --keep) KEEP=1 ;;
    --log) MSGLOG=1 ;;
    --perf) PERF=$2; shift ;;
    --soak) SOAK=$2; shift ;;
    --hostile-only) HOSTILE_ONLY=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done
for bin in "$ALIGND" "$MILTER_LOAD" "$NULL_MILTER" /usr/sbin/smtp-source /usr/sbin/opendkim /usr/sbin/opendmarc /usr/sbin/nsd; do
  [ -x "$bin" ] || { echo "bench: missing $bin (make bench builds alignd and milter_load)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench: run as root" >&2; exit 1; }

# Not under /tmp: OpenDKIM refuses configuration and key files below a world-writable directory.
T=$(mktemp -d /run/alignd-bench.XXXXXX)
chmod 755 "$T"
declare -A PID=()
log() { echo "bench: $*" >&2; }

# ---- teardown: stop every daemon we started (libmilter daemons take 5-10 s) ----
cleanup() {
  set +e
  for n in "${!PID[@]}"; do kill -TERM "${PID[$n]}" 2>/dev/null; done
  for _ in $(seq 150); do
    local alive=0
    for n in "${!PID[@]}"; do kill -0 "${PID[$n]}" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for n in "${!PID[@]}"; do kill -KILL "${PID[$n]}" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "${PF_DIR:-}" ] && postfix -c "$PF_DIR/etc" stop >/dev/null 2>&1
  if [ -z "${KEEP:-}" ]; then rm -rf "$T"; else log "kept $T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
wait_socket() {  # wait_socket NAME PATH
  for _ in $(seq 100); do
    [ -S "$2" ] && return 0
    kill -0 "${PID[$1]}" 2>/dev/null || { log "$1 died"; cat "$T/$1.log" >&2; return 1; }
    sleep 0.1
  done
  log "$1 did not create $2"; cat "$T/$1.log" >&2; return 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime
peak_rss_mb() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# ---- keys, corpus, zone -------------------------------------------------------
log "keys and a corpus of $CORPUS messages in $T"
mkdir -p "$T/keys" "$T/corpus"
: >"$T/keys.zone"
# arc1-3.example: the three ARC sealers of the 3-hop chain row (corpus/arc3/).
for d in news shop bank friends forger out arc1 arc2 arc3; do
  # --group -: root-only keys (OpenDKIM refuses a key in a group with other members)
  "$ALIGND" keygen --domain $d.example --selector s2026 --group - --out "$T/keys" >>"$T/keys.zone" 2>/dev/null
done
$PY "$SRC/bench/make_corpus.py" --out "$T/corpus" --count "$CORPUS" --keys "$T/keys" \
  --arc-sealers arc1.example,arc2.example,arc3.example >"$T/corpus.kinds"
log "corpus: $(cat "$T/corpus.kinds")"

# nsd answers the zone `example.` on port 53 of a random 127/8 address (libresolv,
# which OpenDMARC and libspf2 use, cannot take a port).
NS_IP=127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).53
cat >"$T/example.zone" <<ZONE
\$ORIGIN example.
\$TTL 300
@ IN SOA ns.example. hostmaster.example. 1 3600 600 86400 300
@ IN NS ns.example.
ns IN A $NS_IP
ZONE
cat "$T/corpus/zone.records" "$T/keys.zone" >>"$T/example.zone"
cat >"$T/nsd.conf" <<CONF
server:
  ip-address: $NS_IP
  port: 53
  do-ip6: no
  username: ""
  chroot: ""
  zonesdir: "$T"
  database: ""
  pidfile: "$T/nsd.pid"
  xfrdfile: "$T/xfrd.state"
  zonelistfile: "$T/zone.list"
  logfile: "$T/nsd.log"
  server-count: 1
  verbosity: 1
  # no response rate limiting: it would drop the anchors' uncached repeats (and
  # libresolv would wait 5 s for each)
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: example
  zonefile: example.zone
CONF
nsd-checkconf "$T/nsd.conf"
nsd -d -c "$T/nsd.conf" >"$T/nsd.out" 2>&1 &
PID[nsd]=$!
for _ in $(seq 50); do
  $PY -c "import socket,sys; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(0.2); \
q=b'\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x00\x00\x06\x00\x01'; \
s.sendto(q,('$NS_IP',53)); sys.exit(0 if s.recv(512)[3]&15==0 else 1)" 2>/dev/null && break
  sleep 0.1
done
echo "nameserver $NS_IP" >"$T/resolv.conf"

# ---- hostile rows (issue 10 item 5; docs/security.md) ----------------------------
# One message each, through a fresh alignd with the given [headers] settings: its CPU
# (/proc/PID/stat) and peak RSS above its idle RSS (VmRSS after 20 ordinary messages;
# VmHWM reset through clear_refs, then read after the hostile message).
# message|[headers] settings ("" = the defaults, 1,000 fields / 1 MiB)
HOSTILE_ROWS=(
  "sigs-20000|max_fields = 30000, max_bytes = 4194304"
  "sigs-20000|"
  "fields-100000|"
)
rss_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
hostile_row() {  # hostile_row NAME SETTINGS: prints one table row
  local name=$1 settings=$2 p t0 t1 idle peak res
  {
    printf 'authserv_id = "mx.bench.example"\n[milter]\nsocket = "unix:%s"\n' "$T/hostile.sock"
    printf '[dns]\nservers = ["%s"]\n[store]\nurl = "none"\n' "$NS_IP"
    [ -z "$settings" ] || printf '[headers]\n%s\n' "${settings//, /$'\n'}"
  } >"$T/hostile.toml"
  rm -f "$T/hostile.sock"
  "$ALIGND" serve -c "$T/hostile.toml" >>"$T/hostile.out" 2>>"$T/hostile.log" &
  PID[hostile]=$!
  p=${PID[hostile]}
  wait_socket hostile "$T/hostile.sock"
  "$MILTER_LOAD" --socket "$T/hostile.sock" --manifest "$T/corpus/in.manifest" --connections 1 \
    --messages 20 --label warmup >/dev/null
  idle=$(rss_kb "$p" VmRSS)
  echo 5 >"/proc/$p/clear_refs"  # VmHWM := VmRSS
  t0=$(cpu_ticks "$p")
  res=$("$MILTER_LOAD" --socket "$T/hostile.sock" --manifest "$T/corpus/hostile-$name.manifest" \
    --connections 1 --per-conn 1 --messages 1 --count dkim=pass --count DKIM-Signature \
    --label "$name" | grep '^RESULT')
  t1=$(cpu_ticks "$p")
  peak=$(rss_kb "$p" VmHWM)
  kill -KILL "$p"; wait "$p" 2>/dev/null || true; unset 'PID[hostile]'
  # The same message through the do-nothing milter: what the milter protocol and
  # libmilter cost alone (one packet per header field), the floor for this row.
  rm -f "$T/hostile-null.sock"
  "$NULL_MILTER" "unix:$T/hostile-null.sock" >>"$T/hostile-null.log" 2>&1 &
  PID[hostile_null]=$!
  p=${PID[hostile_null]}
  wait_socket hostile_null "$T/hostile-null.sock"
  "$MILTER_LOAD" --socket "$T/hostile-null.sock" --manifest "$T/corpus/in.manifest" --connections 1 \
    --messages 20 --label warmup >/dev/null
  local n0 n1
  n0=$(cpu_ticks "$p")
  "$MILTER_LOAD" --socket "$T/hostile-null.sock" --manifest "$T/corpus/hostile-$name.manifest" \
    --connections 1 --per-conn 1 --messages 1 --label "$name-null" >/dev/null
  n1=$(cpu_ticks "$p")
  kill -KILL "$p"; wait "$p" 2>/dev/null || true; unset 'PID[hostile_null]'
  local verdict=accept
  [ "$(sed -E 's/.* reject=([0-9]+).*/\1/' <<<"$res")" = 1 ] && verdict="reject (552 5.3.4)"
  [ "$(sed -E 's/.* count0=([0-9]+).*/\1/' <<<"$res")" = 1 ] && verdict="$verdict, dkim=pass"
  [ "$(sed -E 's/.* count1=([0-9]+).*/\1/' <<<"$res")" = 1 ] && verdict="$verdict, rest not examined"
  echo "| $name | ${settings:-defaults} | $verdict | $(( (t1 - t0) * 1000 / $(getconf CLK_TCK) )) | $(( (n1 - n0) * 1000 / $(getconf CLK_TCK) )) | $(awk -v a="$idle" 'BEGIN{printf "%.1f", a / 1024}') | $(awk -v a="$peak" -v b="$idle" 'BEGIN{printf "%.1f", (a - b) / 1024}') |"
}
log "hostile rows (one message each, fresh alignd)"
{
  echo
  echo "Hostile input — $(date -u +%Y-%m-%d), alignd daemon, one message over one milter connection"
  echo
  echo "| message | [headers] | verdict | daemon CPU ms | do-nothing milter CPU ms | idle RSS MB | peak RSS above idle MB |"
  echo "|---|---|---|---:|---:|---:|---:|"
  for row in "${HOSTILE_ROWS[@]}"; do hostile_row "${row%%|*}" "${row#*|}"; done
} | tee "$T/hostile.md"
[ -z "$OUT" ] || cp "$T/hostile.md" "$OUT.hostile"
[ "$HOSTILE_ONLY" = 1 ] && exit 0

# ---- alignd: verify + SPF + DMARC inbound, sign outbound; DNS through nsd ------
cat >"$T/alignd.toml" <<CONF
authserv_id = "mx.bench.example"
trusted_networks = ["127.0.0.0/8"]   # not ::1: the smtp-source run connects from ::1 as a stranger
[milter]
socket = "unix:$T/alignd.sock"
[dns]
servers = ["$NS_IP"]
[store]
url = "sqlite://$T/alignd.db"
[[signing.keys]]
domain = "out.example"
selector = "s2026"
key_file = "$T/keys/out.example.s2026.key"
CONF
"$ALIGND" serve -c "$T/alignd.toml" >"$T/alignd.out" 2>"$T/alignd.log" &
PID[alignd]=$!

# ---- the anchors: OpenDKIM (verify inbound, sign outbound) then OpenDMARC -------
# OpenDKIM resolves with libunbound forwarding to nsd (Nameservers: ub_ctx_set_fwd;
# its ResolverConfiguration file is re-read per message by racing threads, which
# crashes it); OpenDMARC and its libspf2 use libresolv, so both run in a mount
# namespace whose /etc/resolv.conf names nsd.
cat >"$T/opendkim.conf" <<CONF
Syslog no
Mode sv
Socket local:$T/opendkim.sock
PidFile $T/opendkim.pid
AuthservID mx.bench.example
Canonicalization relaxed/relaxed
Domain out.example
Selector s2026
KeyFile $T/keys/out.example.s2026.key
OversignHeaders From,To,Subject
Nameservers $NS_IP
UMask 0000
CONF
cat >"$T/opendmarc.conf" <<CONF
Syslog false
Socket local:$T/opendmarc.sock
PidFile $T/opendmarc.pid
AuthservID mx.bench.example
TrustedAuthservIDs mx.bench.example
SPFSelfValidate true
SPFIgnoreResults true
HistoryFile $T/opendmarc.history
PublicSuffixList /usr/share/publicsuffix/public_suffix_list.dat
RejectFailures false
UMask 0000
CONF
in_ns() {  # in_ns CMD...: CMD with $T/resolv.conf as /etc/resolv.conf (same PID)
  exec unshare -m sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$T/resolv.conf" "$@"
}
in_ns /usr/sbin/opendkim -f -x "$T/opendkim.conf" >"$T/opendkim.log" 2>&1 &
PID[opendkim]=$!
in_ns /usr/sbin/opendmarc -f -c "$T/opendmarc.conf" >"$T/opendmarc.log" 2>&1 &
PID[opendmarc]=$!
# ---- the floor: a libmilter daemon that receives everything and checks nothing ----
"$NULL_MILTER" "unix:$T/null.sock" >"$T/null.log" 2>&1 &
PID[null]=$!
wait_socket null "$T/null.sock"
wait_socket alignd "$T/alignd.sock"
wait_socket opendkim "$T/opendkim.sock"
wait_socket opendmarc "$T/opendmarc.sock"
log "daemons up (nsd on $NS_IP:53)"

# ---- runs -----------------------------------------------------------------------
# Each pair of stacks runs ROUNDS times, alternating, so that other load on the
# machine hits both alike; the table shows the median of each figure.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
HZ=$(getconf CLK_TCK)
declare -A ROW=()
# measure NAME "DAEMONS" LOADER-CMD...: one measured run; ROW[NAME] = its RESULT line
# plus cpu_ms, the CPU time the daemons used per message.
measure() {
  local name=$1 daemons=$2 before=0 after=0 d res n; shift 2
  local perf_pid=""
  if [ -n "$PERF" ] && [[ " $daemons " == *" alignd "* ]]; then
    perf record -q -g -F 499 -p "${PID[alignd]}" -o "$PERF.$name" >/dev/null 2>&1 &
    perf_pid=$!
    sleep 0.3
  fi
  for d in $daemons; do before=$((before + $(cpu_ticks "${PID[$d]}"))); done
  local log=()
  [ "$MSGLOG" = 1 ] && [[ $1 != *python* ]] && log=(--log "$T/$name.log")
  "$@" --messages "$MESSAGES" --duration "$DURATION" --label "$name" "${log[@]}" | tee "$T/$name.out" >&2
  for d in $daemons; do after=$((after + $(cpu_ticks "${PID[$d]}"))); done
  [ -n "$perf_pid" ] && { kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true; }
  res=$(grep '^RESULT' "$T/$name.out")
  n=$(sed -E 's/.* messages=([0-9]+).*/\1/' <<<"$res")
  ROW[$name]="$res cpu_ms=$(awk -v t=$((after - before)) -v hz="$HZ" -v n="$n" 'BEGIN{printf "%.2f", n ? t * 1000 / hz / n : 0}')"
}
field() { sed -E "s/.* $2=([^ ]+).*/\1/" <<<"${ROW[$1]} "; }
# combine NAME: ROW[NAME] from ROW[NAME.1..ROUNDS]: medians of rates, latencies and
# CPU; the largest max; sums of counts.
combine() {
  local name=$1 r
  ROW[$name]=$(for r in $(seq "$ROUNDS"); do echo "${ROW[$name.$r]}"; done | awk '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1], NR] = kv[2]; keys[kv[1]] = 1 } }
    END {
      out = "RESULT"
      for (k in keys) {
        if (k == "label") continue
        if (k == "max_ms") {
          x = 0; for (r = 1; r <= NR; r++) if (v[k, r] + 0 > x) x = v[k, r] + 0
          out = out sprintf(" %s=%.2f", k, x)
        } else if (k ~ /^(msgs_per_s|p50_ms|p99_ms|eom_p50_ms|eom_p99_ms|cpu_ms|secs)$/) {
          n = 0; for (r = 1; r <= NR; r++) a[++n] = v[k, r] + 0
          for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
          x = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2; delete a
          out = out sprintf(" %s=%.2f", k, x)
        } else { t = 0; for (r = 1; r <= NR; r++) t += v[k, r]; out = out " " k "=" t }
      }
      print out
    }')
}
# stacks A "DAEMONS_A" "CMD_A" B "DAEMONS_B" "CMD_B" ...: warm each up, then run
# them in turn, ROUNDS times.
stacks() {
  local args=("$@") i r
  for ((i = 0; i < ${#args[@]}; i += 3)); do eval "${args[i + 2]} --messages $WARMUP --label warmup" >/dev/null; done
  for r in $(seq "$ROUNDS"); do
    for ((i = 0; i < ${#args[@]}; i += 3)); do eval "measure ${args[i]}.$r \"${args[i + 1]}\" ${args[i + 2]}"; done
  done
  for ((i = 0; i < ${#args[@]}; i += 3)); do combine "${args[i]}"; done
}
DRIVE="\"$MILTER_LOAD\" --connections $CONNS --per-conn $PER_CONN"
IN="--manifest \"$T/corpus/in.manifest\" --count dkim=pass --count dmarc=pass --count dmarc=fail"
OUTB="--manifest \"$T/corpus/out.manifest\" --count DKIM-Signature:"

# The same inbound messages, each with a 3-hop ARC chain (arc1 -> arc2 -> arc3.example,
# sealed by dkimpy, changing nothing): alignd_arc3 / alignd_in is the cost of verifying
# the chain (RFC 8617 §5.2: 3 AMS, 3 AS, 3 key lookups) per message; null_arc3 /
# null_in is what the 12 extra header fields (about 4 KB) cost the milter protocol alone.
ARC3="--manifest \"$T/corpus/arc3.manifest\" --count arc=pass --count dkim=pass --count dmarc=pass"

log "inbound (verify DKIM + SPF + DMARC; and with a 3-hop ARC chain), $ROUNDS rounds"
stacks alignd_in alignd "$DRIVE --socket \"$T/alignd.sock\" $IN" \
  anchors_in "opendkim opendmarc" "$DRIVE --socket \"$T/opendkim.sock\" --socket \"$T/opendmarc.sock\" $IN" \
  null_in null "$DRIVE --socket \"$T/null.sock\" $IN" \
  alignd_arc3 alignd "$DRIVE --socket \"$T/alignd.sock\" $ARC3" \
  null_arc3 null "$DRIVE --socket \"$T/null.sock\" $ARC3"
# End-of-message latency with DNS cached (every message seen before), messages up to
# 64 KB, 8 connections: from EOM sent to the final reply.
awk '{ f = "'"$T"'/corpus/" $1; cmd = "stat -c %s " f; cmd | getline sz; close(cmd); if (sz <= 65536) print }' \
  "$T/corpus/in.manifest" >"$T/corpus/small.manifest"
log "end-of-message latency: $(wc -l <"$T/corpus/small.manifest") messages ≤ 64 KB, 8 connections, $ROUNDS rounds"
RSS_IDLE=$(rss_mb "${PID[alignd]}")
SMALL="--manifest \"$T/corpus/small.manifest\""
LAT="\"$MILTER_LOAD\" --connections 8 --per-conn $PER_CONN"
stacks lat_alignd alignd "$LAT --socket \"$T/alignd.sock\" $SMALL" lat_null null "$LAT --socket \"$T/null.sock\" $SMALL"
log "100 concurrent connections"
measure c100_alignd alignd "$MILTER_LOAD" --connections 100 --per-conn $PER_CONN --socket "$T/alignd.sock" \
  --manifest "$T/corpus/in.manifest"
RSS_100=$(rss_mb "${PID[alignd]}")

log "outbound (sign, RSA 2048), $ROUNDS rounds"
stacks alignd_out alignd "$DRIVE --socket \"$T/alignd.sock\" $OUTB" \
  opendkim_out opendkim "$DRIVE --socket \"$T/opendkim.sock\" $OUTB" \
  null_out null "$DRIVE --socket \"$T/null.sock\" $OUTB"
# The cryptographic floor of signing: what OpenSSL alone signs per second on one core.
OPENSSL_SIGN=$(openssl speed -seconds 2 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}')

# ---- the same inbound corpus through a real Postfix ----------------------------------
# One private Postfix on loopback with two smtpd listeners (one per stack), mail
# discarded after the queue; bench/smtp_load.py announces each client with XCLIENT.
if [ "$POSTFIX" = 1 ]; then
  log "inbound through Postfix (smtpd_milters), mail discarded after the queue, $ROUNDS rounds"
  PF_DIR=$T/postfix
  PF_A=$(free_port)
  PF_B=$(free_port)
  PF_N=$(free_port)
  P1_PORTS=()
  for _ in 1 2 3 4; do P1_PORTS+=("$(free_port)"); done  # none, null, alignd, anchors on [::1]
  mkdir -p "$PF_DIR/etc" "$PF_DIR/spool" "$PF_DIR/data"
  chown postfix "$PF_DIR/data"
  sed -E '/^smtp[[:space:]]+inet/d' /etc/postfix/master.cf >"$PF_DIR/etc/master.cf"
  cat >>"$PF_DIR/etc/master.cf" <<MASTER
127.0.0.1:$PF_A inet n - n - - smtpd -o smtpd_milters=unix:$T/alignd.sock
127.0.0.1:$PF_B inet n - n - - smtpd -o smtpd_milters=unix:$T/opendkim.sock,unix:$T/opendmarc.sock
127.0.0.1:$PF_N inet n - n - - smtpd -o smtpd_milters=unix:$T/null.sock
[::1]:${P1_PORTS[0]} inet n - n - - smtpd -o smtpd_milters=
[::1]:${P1_PORTS[1]} inet n - n - - smtpd -o smtpd_milters=unix:$T/null.sock
[::1]:${P1_PORTS[2]} inet n - n - - smtpd -o smtpd_milters=unix:$T/alignd.sock
[::1]:${P1_PORTS[3]} inet n - n - - smtpd -o smtpd_milters=unix:$T/opendkim.sock,unix:$T/opendmarc.sock
MASTER
  cat >"$PF_DIR/etc/main.cf" <<MAIN
compatibility_level = 3.6
queue_directory = $PF_DIR/spool
data_directory = $PF_DIR/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1, [::1]
inet_protocols = all
myhostname = mx.bench.example
mydomain = bench.example
mydestination =
mynetworks = 127.0.0.0/8, [::1]/128
relay_domains = bench.example
default_transport = discard:bench
relay_transport = discard:bench
alias_maps =
smtpd_peername_lookup = no
# the corpus clients too: XCLIENT is checked against the client it last announced
smtpd_authorized_xclient_hosts = 127.0.0.0/8, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24
milter_default_action = tempfail
milter_protocol = 6
maillog_file = $PF_DIR/maillog
maillog_file_prefixes = $PF_DIR
MAIN
  postconf -c "$PF_DIR/etc" -F '*/*/chroot = n'
  postfix -c "$PF_DIR/etc" start >/dev/null 2>&1 || { cat "$PF_DIR/maillog" >&2; exit 1; }
  for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/$PF_B) 2>/dev/null && break; sleep 0.1; done
  SMTP="$PY \"$SRC/bench/smtp_load.py\" --connections $CONNS --per-conn $PER_CONN --manifest \"$T/corpus/in.manifest\""
  stacks alignd_pf alignd "$SMTP --port $PF_A" anchors_pf "opendkim opendmarc" "$SMTP --port $PF_B" \
    null_pf null "$SMTP --port $PF_N"

  # One ~5.5 KB RSA-2048-signed message per connection, P1_SESSIONS sessions in
  # parallel, from ::1 (a stranger to alignd: SPF, DKIM, DMARC all pass): the
  # Postfix + milter cost per message, against no milter and the do-nothing milter.
  log "one message per connection through Postfix (smtp-source, $P1_SESSIONS sessions), $ROUNDS rounds"
  p1_load() {  # p1_load --port P --messages N --duration S --label L: smtp-source, RESULT line
    local port messages label t0 t1 rc=0
    while [ $# -gt 0 ]; do
      case $1 in --port) port=$2 ;; --messages) messages=$2 ;; --label) label=$2 ;; esac
      shift 2
    done
    [ "$messages" -gt "$P1_MESSAGES" ] && messages=$P1_MESSAGES
    t0=$(date +%s.%N)
    smtp-source -s "$P1_SESSIONS" -m "$messages" -F "$T/corpus/p1.eml" -M v6.bank.example \
      -f bounce@v6.bank.example -t user@bench.example "[::1]:$port" >"$T/p1.err" 2>&1 || rc=1
    t1=$(date +%s.%N)
    awk -v n="$messages" -v a="$t0" -v b="$t1" -v e="$rc" -v l="$label" \
      'BEGIN{printf "RESULT label=%s messages=%d secs=%.2f msgs_per_s=%.1f errors=%d\n", l, n, b - a, n / (b - a), e}'
  }
  P1="p1_load --port"
  stacks p1_none "" "$P1 ${P1_PORTS[0]}" p1_null null "$P1 ${P1_PORTS[1]}" \
    p1_alignd alignd "$P1 ${P1_PORTS[2]}" p1_anchors "opendkim opendmarc" "$P1 ${P1_PORTS[3]}"
  P1_REJECTS=$(grep -c 'milter-reject' "$PF_DIR/maillog" || true)
  P1_PASS=$(grep 'client=::1 ' "$T/alignd.log" | grep -c 'dmarc=pass' || true)
  P1_SEEN=$(grep -c 'client=::1 ' "$T/alignd.log" || true)
fi

# --soak N: N messages through alignd (4 connections), RSS sampled every 5 s.
if [ "$SOAK" -gt 0 ]; then
  log "soak: $SOAK messages through alignd, RSS every 5 s in $T/soak.csv"
  echo "seconds,rss_mb" >"$T/soak.csv"
  "$MILTER_LOAD" --connections 4 --per-conn $PER_CONN --socket "$T/alignd.sock" \
    --manifest "$T/corpus/in.manifest" --messages "$SOAK" --duration 100000 --label soak >"$T/soak.out" 2>&1 &
  soak_pid=$!
  s0=$(date +%s)
  while kill -0 $soak_pid 2>/dev/null; do
    echo "$(($(date +%s) - s0)),$(rss_mb "${PID[alignd]}")" >>"$T/soak.csv"
    sleep 5
  done
  wait $soak_pid || log "soak run reported errors"
  SOAK_RESULT=$(grep '^RESULT' "$T/soak.out" || true)
  [ -n "$OUT" ] && cp "$T/soak.csv" "${OUT%.md}.soak.csv"
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
RSS_A=$(peak_rss_mb "${PID[alignd]}")
RSS_K=$(peak_rss_mb "${PID[opendkim]}")
RSS_M=$(peak_rss_mb "${PID[opendmarc]}")

# ---- the table --------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "-" }'; }
{
  echo
  echo "alignd vs OpenDKIM + OpenDMARC — $(date -u +%Y-%m-%d), $(nproc) cores, corpus $CORPUS msgs ($(cat "$T/corpus.kinds")), $CONNS connections, $PER_CONN msgs/connection; median of $ROUNDS alternating runs of ≤ ${DURATION} s each (msgs: the total)"
  echo
  echo "| run | stack | msgs | msgs/s | p50 ms | p99 ms | max ms | daemon CPU ms/msg | checks |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
  rows=(alignd_in:alignd "anchors_in:opendkim → opendmarc" "null_in:do-nothing milter" "alignd_arc3:alignd, 3-hop ARC chain" "null_arc3:do-nothing milter, 3-hop ARC chain" alignd_out:alignd opendkim_out:opendkim "null_out:do-nothing milter")
  [ "$POSTFIX" = 1 ] && rows+=(alignd_pf:"Postfix → alignd" "anchors_pf:Postfix → opendkim → opendmarc" "null_pf:Postfix → do-nothing milter")
  for r in "${rows[@]}"; do
    name=${r%%:*}; stack=${r#*:}
    case $name in
      *_pf) checks="SMTP 250 $(field "$name" accept), 4xx $(field "$name" tempfail), 5xx $(field "$name" reject)" ;;
      null_in | null_out | null_arc3) checks="-" ;;
      *_in) checks="dkim=pass $(field "$name" count0), dmarc=pass $(field "$name" count1), dmarc=fail $(field "$name" count2)" ;;
      *_arc3) checks="arc=pass $(field "$name" count0), dkim=pass $(field "$name" count1), dmarc=pass $(field "$name" count2)" ;;
      *) checks="signed $(field "$name" count0)" ;;
    esac
    errs=$(field "$name" errors); [ "$errs" = 0 ] || checks="$checks, ERRORS $errs"
    run=${name##*_}bound; [ "$run" = pfbound ] && run="inbound, SMTP"; [ "$run" = arc3bound ] && run=inbound
    echo "| $run | $stack | $(field "$name" messages) | $(field "$name" msgs_per_s) | $(field "$name" p50_ms) | $(field "$name" p99_ms) | $(field "$name" max_ms) | $(field "$name" cpu_ms) | $checks |"
  done
  echo
  echo "| ratio alignd / anchors | msgs/s | p50 | p99 | CPU/msg |"
  echo "|---|---:|---:|---:|---:|"
  pairs=(alignd_in:anchors_in:inbound alignd_out:opendkim_out:outbound)
  [ "$POSTFIX" = 1 ] && pairs+=("alignd_pf:anchors_pf:inbound through Postfix")
  for pair in "${pairs[@]}"; do
    IFS=: read -r a b label <<<"$pair"
    echo "| $label | $(ratio "$(field "$a" msgs_per_s)" "$(field "$b" msgs_per_s)") | $(ratio "$(field "$a" p50_ms)" "$(field "$b" p50_ms)") | $(ratio "$(field "$a" p99_ms)" "$(field "$b" p99_ms)") | $(ratio "$(field "$a" cpu_ms)" "$(field "$b" cpu_ms)") |"
  done
  echo
  echo "| ratio with a 3-hop ARC chain / plain inbound (same messages, same rounds) | msgs/s | p50 | p99 | CPU/msg | CPU ms/msg added |"
  echo "|---|---:|---:|---:|---:|---:|"
  for pair in alignd_arc3:alignd_in:alignd null_arc3:null_in:"do-nothing milter (the 12 extra fields)"; do
    IFS=: read -r a b label <<<"$pair"
    echo "| $label | $(ratio "$(field "$a" msgs_per_s)" "$(field "$b" msgs_per_s)") | $(ratio "$(field "$a" p50_ms)" "$(field "$b" p50_ms)") | $(ratio "$(field "$a" p99_ms)" "$(field "$b" p99_ms)") | $(ratio "$(field "$a" cpu_ms)" "$(field "$b" cpu_ms)") | $(awk -v a="$(field "$a" cpu_ms)" -v b="$(field "$b" cpu_ms)" 'BEGIN{printf "%.2f", a - b}') |"
  done
  echo
  echo "ARC verification (3 hops) costs alignd $(awk -v a="$(field alignd_arc3 cpu_ms)" -v b="$(field alignd_in cpu_ms)" -v c="$(field null_arc3 cpu_ms)" -v d="$(field null_in cpu_ms)" 'BEGIN{printf "%.2f", (a - b) - (c - d)}') ms CPU per message beyond what the extra header fields cost the do-nothing milter."
  echo
  echo "| ratio alignd / do-nothing milter (the floor) | msgs/s | p50 | p99 | alignd CPU ms/msg above the floor |"
  echo "|---|---:|---:|---:|---:|"
  pairs=(alignd_in:null_in:inbound alignd_out:null_out:outbound)
  [ "$POSTFIX" = 1 ] && pairs+=("alignd_pf:null_pf:inbound through Postfix")
  for pair in "${pairs[@]}"; do
    IFS=: read -r a b label <<<"$pair"
    echo "| $label | $(ratio "$(field "$a" msgs_per_s)" "$(field "$b" msgs_per_s)") | $(ratio "$(field "$a" p50_ms)" "$(field "$b" p50_ms)") | $(ratio "$(field "$a" p99_ms)" "$(field "$b" p99_ms)") | $(awk -v a="$(field "$a" cpu_ms)" -v b="$(field "$b" cpu_ms)" 'BEGIN{printf "%.2f", a - b}') |"
  done
  if [ "$POSTFIX" = 1 ]; then
    echo
    echo "One ~5.5 KB RSA-2048-signed message per connection through Postfix (smtp-source, $P1_SESSIONS sessions, ≤ $P1_MESSAGES msgs a round, median of $ROUNDS): alignd saw $P1_SEEN, dmarc=pass $P1_PASS; milter rejects $P1_REJECTS"
    echo
    echo "| stack | msgs/s | ratio to no milter | ratio to do-nothing milter | milter CPU ms/msg | above the floor |"
    echo "|---|---:|---:|---:|---:|---:|"
    for r in "p1_none:no milter" "p1_null:do-nothing milter" "p1_alignd:alignd" "p1_anchors:opendkim → opendmarc"; do
      name=${r%%:*}; stack=${r#*:}
      cpu=$(field "$name" cpu_ms); above=$(awk -v a="$cpu" -v b="$(field p1_null cpu_ms)" 'BEGIN{printf "%.2f", a - b}')
      [ "$name" = p1_none ] && { cpu="-"; above="-"; }
      [ "$name" = p1_null ] && above="-"
      errs=$(field "$name" errors); [ "$errs" = 0 ] || stack="$stack (ERRORS $errs)"
      echo "| $stack | $(field "$name" msgs_per_s) | $(ratio "$(field "$name" msgs_per_s)" "$(field p1_none msgs_per_s)") | $(ratio "$(field "$name" msgs_per_s)" "$(field p1_null msgs_per_s)") | $cpu | $above |"
    done
  fi
  echo
  awk -v a="$(field alignd_out cpu_ms)" -v f="$(field null_out cpu_ms)" -v o="$OPENSSL_SIGN" 'BEGIN {
    printf "Outbound RSA-2048 signing per core: alignd %.0f msgs/s (1000 / %.2f ms CPU), %.0f msgs/s counting only the CPU above the do-nothing milter; `openssl speed rsa2048` signs %.0f/s: ratios %.2f and %.2f.\n",
      1000 / a, a, 1000 / (a - f), o, 1000 / a / o, 1000 / (a - f) / o }'
  echo
  echo "End of message (EOM sent → final reply), messages ≤ 64 KB, DNS cached, 8 connections (median of $ROUNDS):"
  echo
  echo "| stack | msgs/s | EOM p50 ms | EOM p99 ms | whole message p99 ms | CPU ms/msg |"
  echo "|---|---:|---:|---:|---:|---:|"
  for r in "lat_alignd:alignd" "lat_null:do-nothing milter"; do
    name=${r%%:*}
    echo "| ${r#*:} | $(field "$name" msgs_per_s) | $(field "$name" eom_p50_ms) | $(field "$name" eom_p99_ms) | $(field "$name" p99_ms) | $(field "$name" cpu_ms) |"
  done
  echo
  echo "RSS of alignd: $RSS_IDLE MB before the latency runs; $RSS_100 MB after $(field c100_alignd messages) messages over 100 concurrent connections ($(field c100_alignd msgs_per_s) msgs/s, errors $(field c100_alignd errors))."
  if [ "$SOAK" -gt 0 ]; then
    echo
    echo "Soak: $(sed -E 's/.* messages=([0-9]+) secs=([0-9.]+) msgs_per_s=([0-9.]+).* errors=([0-9]+).*/\1 messages in \2 s (\3 msgs\/s, errors \4)/' <<<"$SOAK_RESULT"); alignd RSS first sample $(sed -n 2p "$T/soak.csv" | cut -d, -f2) MB, last $(tail -1 "$T/soak.csv" | cut -d, -f2) MB, max $(tail -n +2 "$T/soak.csv" | cut -d, -f2 | sort -n | tail -1) MB."
  fi
  echo
  echo "Load average before the runs: $LOAD_BEFORE; after: $LOAD_AFTER (other work on the machine skews the figures)."
  echo
  echo "Peak RSS (VmHWM) over the whole run: do-nothing milter $(peak_rss_mb "${PID[null]}") MB; alignd $RSS_A MB; opendkim $RSS_K MB + opendmarc $RSS_M MB = $(awk -v a="$RSS_K" -v b="$RSS_M" 'BEGIN{printf "%.1f", a + b}') MB"
} | tee "$T/table.md"
[ -z "$OUT" ] || cp "$T/table.md" "$OUT"
