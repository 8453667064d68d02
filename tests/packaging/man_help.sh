#!/usr/bin/env bash
# Issue 15: man/alignd.8.scd documents every command `alignd --help` lists and,
# in that command's section ("## alignd COMMAND ..."), every option
# `alignd COMMAND --help` prints, so the page cannot drift from the binary.
# Also: CMake built every man/*.scd into build/man/, and man renders them.
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}"
BUILD=${ALIGND_BUILD_DIR:-$(dirname "$ALIGND")}
PAGE=$ALIGND_SOURCE_DIR/man/alignd.8.scd
fails=0
ok() { echo "ok - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }

options() { grep -oE '(^|[][ (,|])--?[a-z][a-z0-9-]*' | sed -E 's/^[][ (,|]//' | sort -u; }
# section CMD: the lines of "## alignd CMD ..." up to the next heading.
section() { awk -v h="## alignd $1" 'index($0, h) == 1 && (length($0) == length(h) || substr($0, length(h) + 1, 1) == " ") {p = 1; next} /^#/ {p = 0} p' "$PAGE"; }
has_option() { grep -qF -- "*$1*"; }

for opt in $("$ALIGND" --help | options); do
  has_option "$opt" <"$PAGE" && ok "alignd $opt" || bad "alignd --help prints $opt; man/alignd.8.scd does not name *$opt*"
done
mapfile -t commands < <("$ALIGND" --help | sed -n '/^commands:/,/^$/p' | grep -E '^  [a-z]' |
  sed -E 's/^  //' | awk '{c = $1; if ($2 ~ /^[a-z][a-z-]*$/) c = c " " $2; print c}')
[ "${#commands[@]}" -ge 7 ] || bad "found only ${#commands[@]} commands in alignd --help"
for cmd in "${commands[@]}"; do
  text=$(section "$cmd")
  if [ -z "$text" ]; then bad "no section '## alignd $cmd' in man/alignd.8.scd"; continue; fi
  # shellcheck disable=SC2086
  for opt in $("$ALIGND" $cmd --help | options); do
    case $opt in -h | --help) continue ;; esac
    has_option "$opt" <<<"$text" && ok "alignd $cmd $opt" ||
      bad "alignd $cmd --help prints $opt; the man page's section '## alignd $cmd' does not name *$opt*"
  done
done

for src in "$ALIGND_SOURCE_DIR"/man/*.scd; do
  page=$(basename "$src" .scd)
  if [ -s "$BUILD/man/$page" ]; then
    warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$BUILD/man/$page" 2>&1 >/dev/null || true)
    [ -z "$warn" ] && ok "build/man/$page renders without warnings" || bad "man -l build/man/$page: $warn"
  else
    bad "build/man/$page was not built from man/$page.scd"
  fi
done
exit $((fails > 0))
