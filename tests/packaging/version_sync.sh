#!/usr/bin/env bash
# Issue 15: the version has one source, project(alignd VERSION) in CMakeLists.txt.
# debian/changelog's top entry must carry it (contrib/make-deb.sh refuses too),
# and `alignd --version` prints it with the commit it was configured from.
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}"
fails=0
ok() { echo "ok - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }

version=$(sed -nE 's/^project\(alignd VERSION ([0-9.]+).*/\1/p' "$ALIGND_SOURCE_DIR/CMakeLists.txt")
changelog=$(dpkg-parsechangelog -l "$ALIGND_SOURCE_DIR/debian/changelog" -S Version 2>/dev/null ||
  sed -nE '1s/^alignd \(([^)]+)\).*/\1/p' "$ALIGND_SOURCE_DIR/debian/changelog")
if [ "${changelog%%-*}" = "$version" ]; then ok "debian/changelog $changelog matches project() $version"
else bad "debian/changelog says $changelog, CMakeLists.txt project() says $version: add a changelog entry (dch -v $version)"; fi

out=$("$ALIGND" --version)
if [[ $out =~ ^alignd\ ([0-9.]+)\ \(commit\ ([^\)]+)\)$ ]]; then
  [ "${BASH_REMATCH[1]}" = "$version" ] && ok "alignd --version: $out" || bad "alignd --version says ${BASH_REMATCH[1]}, not $version"
  commit=${BASH_REMATCH[2]%-dirty}
  if git -C "$ALIGND_SOURCE_DIR" rev-parse --git-dir >/dev/null 2>&1; then
    # Configured in a git checkout: the commit is one of its commits.
    git -C "$ALIGND_SOURCE_DIR" cat-file -e "$commit^{commit}" 2>/dev/null &&
      ok "the commit $commit is in this repository" || bad "commit '$commit' is not a commit of this repository"
  fi
else
  bad "alignd --version printed '$out', not 'alignd VERSION (commit C)'"
fi
exit $((fails > 0))
