#!/usr/bin/env bash
# Issue 15 item 5: `make install DESTDIR=...` puts the daemon, the man pages, the
# policies, the docs (README.md, docs/*.md in share/doc/alignd), the units and
# the example configuration in place; `make uninstall` removes all of it but a
# changed /etc/alignd/alignd.toml, keys and state (/var/lib/alignd).
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}"
BUILD=${ALIGND_BUILD_DIR:-$(dirname "$ALIGND")}
D=$(mktemp -d /tmp/alignd-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
fails=0
ok() { echo "ok - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }
check() { local w=$1; shift; if "$@"; then ok "$w"; else bad "$w"; fi; }
mk() { make -s -C "$ALIGND_SOURCE_DIR" BUILD="$BUILD" DESTDIR="$D/root" "$@" >"$D/make.out" 2>&1 || { cat "$D/make.out"; return 1; }; }

check "make install DESTDIR=..." mk install
R=$D/root
check "the daemon" test -x "$R/usr/sbin/alignd"
check "man pages" test -s "$R/usr/share/man/man8/alignd.8" -a -s "$R/usr/share/man/man5/alignd-policy.5"
check "policies" test -f "$R/usr/share/alignd/policies/enforce.toml" -a -d "$R/usr/share/alignd/policies/examples"
for f in "$ALIGND_SOURCE_DIR"/README.md "$ALIGND_SOURCE_DIR"/docs/*.md; do
  cmp -s "$f" "$R/usr/share/doc/alignd/$(basename "$f")" || bad "docs: $(basename "$f") not in share/doc/alignd"
done
ok "docs: README.md and docs/*.md in share/doc/alignd"
check "units" test -f "$R/lib/systemd/system/alignd.service" -a -f "$R/lib/systemd/system/alignd-report.timer"
check "the example configuration" cmp -s "$ALIGND_SOURCE_DIR/contrib/alignd.toml" "$R/etc/alignd/alignd.toml"

# A changed configuration and state survive uninstall; everything else goes.
echo '# changed' >>"$R/etc/alignd/alignd.toml"
mkdir -p "$R/var/lib/alignd" && touch "$R/var/lib/alignd/alignd.db"
check "make uninstall" mk uninstall
check "uninstall keeps the changed configuration" grep -q '# changed' "$R/etc/alignd/alignd.toml"
check "uninstall keeps /var/lib/alignd" test -f "$R/var/lib/alignd/alignd.db"
left=$(cd "$R" && find . -type f ! -path ./etc/alignd/alignd.toml ! -path './var/lib/alignd/*')
check "uninstall leaves no other file${left:+: $left}" test -z "$left"
rm "$R/etc/alignd/alignd.toml"
mk install && mk uninstall
check "an unchanged configuration is removed" test ! -e "$R/etc/alignd/alignd.toml"
exit $((fails > 0))
