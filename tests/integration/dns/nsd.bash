# nsd_conf DIR PORT ZONE...: writes DIR/nsd.conf for an nsd on 127.0.0.1:PORT that
# serves each ZONE from DIR/ZONE.zone, running as the caller, everything in DIR.
# Sourced by the integration tests that need a real authoritative server.
nsd_conf() {
  local dir=$1 port=$2 zone
  shift 2
  {
    cat <<CONF
server:
  ip-address: 127.0.0.1
  port: $port
  do-ip6: no
  username: ""
  chroot: ""
  zonesdir: "$dir"
  database: ""
  pidfile: "$dir/nsd.pid"
  xfrdfile: "$dir/xfrd.state"
  zonelistfile: "$dir/zone.list"
  logfile: "$dir/nsd.log"
  server-count: 1
  verbosity: 1
remote-control:
  control-enable: no
CONF
    for zone in "$@"; do printf 'zone:\n  name: %s\n  zonefile: %s.zone\n' "$zone" "$zone"; done
  } >"$dir/nsd.conf"
}
