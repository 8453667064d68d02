#!/usr/bin/env bash
# make-deb.sh [OUTDIR]: builds OUTDIR/alignd_<version>_<arch>.deb (default
# build/deb) with Debian's tooling (dpkg-buildpackage -us -uc -b, debian/) from a
# copy of this checkout in OUTDIR/src, so nothing is written beside the clone.
# Refuses when debian/changelog and project(alignd VERSION) disagree. Runs
# lintian on the result unless LINTIAN=0. Used by `make deb` and tests/install/.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$src/build/deb}" && cd "${1:-$src/build/deb}" && pwd)

version=$(sed -nE 's/^project\(alignd VERSION ([0-9.]+).*/\1/p' "$src/CMakeLists.txt")
deb_version=$(sed -nE '1s/^alignd \(([^)]+)\).*/\1/p' "$src/debian/changelog")
if [ "${deb_version%%-*}" != "$version" ]; then
  echo "make-deb: debian/changelog says $deb_version, CMakeLists.txt project() says $version" >&2
  exit 1
fi

# The copy: what git sees (tracked and untracked, not ignored), else all but build*/.
rm -rf "$out/src" "$out"/alignd_* "$out"/alignd-dbgsym_*
mkdir -p "$out/src"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$out/src"
  ALIGND_GIT_COMMIT=$(git -C "$src" describe --always --dirty --abbrev=12)
else
  tar -C "$src" --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$out/src"
  ALIGND_GIT_COMMIT=unknown
fi
export ALIGND_GIT_COMMIT

# debhelper points HOME at a scratch directory: keep ccache's cache and settings.
if command -v ccache >/dev/null; then
  CCACHE_DIR=$(ccache -k cache_dir)
  export CCACHE_DIR
  for c in "${XDG_CONFIG_HOME:-$HOME/.config}/ccache/ccache.conf" "$HOME/.ccache/ccache.conf"; do
    [ -f "$c" ] && { export CCACHE_CONFIGPATH=$c; break; }
  done
fi

# The source package too (seconds), for lintian's source checks: before the build
# dirties the copy.
(cd "$out" && dpkg-source -b src) >"$out/source.log" 2>&1 || { cat "$out/source.log" >&2; exit 1; }

export DEB_BUILD_OPTIONS="parallel=${JOBS:-2} nocheck ${DEB_BUILD_OPTIONS:-}"
(cd "$out/src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
  tail -40 "$out/build.log" >&2
  echo "make-deb: dpkg-buildpackage failed; the whole log is $out/build.log" >&2
  exit 1
}
deb=$(ls "$out"/alignd_"$deb_version"_*.deb)
echo "make-deb: built $deb (commit $ALIGND_GIT_COMMIT)"

if [ "${LINTIAN:-1}" != 0 ] && command -v lintian >/dev/null; then
  # Tags we accept are overridden, each with its reason, in debian/alignd.lintian-overrides
  # (the .deb) and debian/source/lintian-overrides (the source).
  status=0
  lintian --fail-on error,warning --info "$deb" "$out/alignd_$deb_version.dsc" >"$out/lintian.raw" 2>&1 || status=$?
  grep -v 'running with root privileges' "$out/lintian.raw" | tee "$out/lintian.txt" || true
  [ "$status" -eq 0 ] || { echo "make-deb: lintian found problems ($out/lintian.txt)" >&2; exit 1; }
  echo "make-deb: lintian: $(grep -c '^[EWIXP]:' "$out/lintian.txt" || true) tags not overridden"
fi
