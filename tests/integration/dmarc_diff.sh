#!/bin/bash
# Differential test, RFC 7489 mode: our record parser and PSL Organizational
# Domain (tests/tools/dmarc_probe) against Debian's Mail::DMARC
# (libmail-dmarc-perl, tests/tools/dmarc_probe.pl) on tests/tools/dmarc_diff_cases.txt.
# Every disagreement must be listed in tests/tools/dmarc_diff_expected.txt (and
# explained in docs/dmarc.md); every listed one must still be a disagreement.
set -euo pipefail
src=${ALIGND_SOURCE_DIR:?}
build=${ALIGND_BUILD_DIR:?}
psl=/usr/share/publicsuffix/public_suffix_list.dat
tools=$src/tests/tools
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -x "$build/dmarc_probe" ]; then
  cmake --build "$build" --target dmarc_probe -j1 >/dev/null
fi
/usr/bin/perl -MMail::DMARC::PurePerl -e1 || { echo "FAIL: Mail::DMARC (libmail-dmarc-perl) missing"; exit 1; }

grep -v '^#' "$tools/dmarc_diff_cases.txt" | grep -v '^$' >"$work/cases"
"$build/dmarc_probe" --psl "$psl" <"$work/cases" >"$work/ours"
/usr/bin/perl "$tools/dmarc_probe.pl" "$psl" <"$work/cases" >"$work/theirs"

n=$(wc -l <"$work/cases")
[ "$(wc -l <"$work/ours")" -eq "$n" ] || { echo "FAIL: dmarc_probe answered $(wc -l <"$work/ours") of $n"; exit 1; }
[ "$(wc -l <"$work/theirs")" -eq "$n" ] || { echo "FAIL: Mail::DMARC answered $(wc -l <"$work/theirs") of $n"; exit 1; }

grep -v '^#' "$tools/dmarc_diff_expected.txt" | grep -v '^$' | cut -f1,2 | sort >"$work/expected"
fail=0 agree=0 listed=0
: >"$work/differ"
while IFS= read -r ours && IFS= read -r theirs <&3; do
  key=$(printf '%s' "$ours" | cut -f1,2)
  if [ "$ours" = "$theirs" ]; then
    agree=$((agree + 1))
  else
    printf '%s\n' "$key" >>"$work/differ"
    if grep -qxF -- "$key" "$work/expected"; then
      listed=$((listed + 1))
    else
      echo "UNEXPECTED DISAGREEMENT:"
      echo "  alignd:      $ours"
      echo "  Mail::DMARC: $theirs"
      fail=1
    fi
  fi
done <"$work/ours" 3<"$work/theirs"

sort "$work/differ" >"$work/differ.sorted"
while IFS= read -r key; do
  if ! grep -qxF -- "$key" "$work/differ.sorted"; then
    echo "LISTED BUT NOW AGREES (remove from dmarc_diff_expected.txt and docs/dmarc.md): $key"
    fail=1
  fi
done <"$work/expected"

echo "dmarc_diff: $n cases, $agree agree, $listed expected disagreements"
[ "$agree" -gt 40 ] || { echo "FAIL: too few agreements ($agree): is the comparison broken?"; exit 1; }
exit $fail
