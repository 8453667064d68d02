#!/bin/bash
# Integration: the key table (`alignd config keys`, src/app/config_keys.cc), the
# man page man/alignd.toml.5.scd and docs/configuration.md name the same keys:
# every key of the table is documented in both, and every key they document is
# in the table. The man page documents a key as a line "*KEY* = _TYPE_" under a
# "## [SECTION]" heading ("## Top level", "## [[signing.keys]]"); the Markdown
# table as a row "| `[SECTION] KEY` |" (top level: "| `KEY` |"). The man page's
# types are checked against `alignd config keys` too.
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}"
T=$(mktemp -d /tmp/alignd-config-docs.XXXXXX)
trap 'rm -rf "$T"' EXIT
"$ALIGND" config keys --names | sort >"$T/table"
test -s "$T/table"
"$ALIGND" config keys >"$T/keys.out"
/usr/bin/python3 - "$ALIGND_SOURCE_DIR/man/alignd.toml.5.scd" "$ALIGND_SOURCE_DIR/docs/configuration.md" "$T" <<'PY'
import re, sys
man, md, out = sys.argv[1], sys.argv[2], sys.argv[3]
def section_of(heading):
    h = heading.strip()
    if h.startswith("[[") and h.endswith("]]"): return h[2:-2]
    if h.startswith("[") and h.endswith("]"): return h[1:-1]
    return ""  # "Top level"
names, typed = [], []
section = None
for line in open(man, encoding="utf-8"):
    if line.startswith("# "): section = None
    elif line.startswith("## "): section = section_of(line[3:])
    elif section is not None and (m := re.match(r"^\*([a-z0-9_]+)\* = _([a-z ]+)_", line)):
        names.append((section + "." if section else "") + m.group(1))
        typed.append(names[-1] + " " + m.group(2))
open(out + "/man", "w").write("".join(n + "\n" for n in sorted(names)))
open(out + "/man.typed", "w").write("".join(n + "\n" for n in sorted(typed)))
# `alignd config keys`: "[section]" headers, then "KEY  TYPE  DEFAULT" lines.
table, section = [], ""
for line in open(out + "/keys.out", encoding="utf-8"):
    if line.startswith("["): section = section_of(line)
    elif m := re.match(r"^(\S+)\s+(string|integer|boolean|array of strings|octal mode)\s", line):
        table.append((section + "." if section else "") + m.group(1) + " " + m.group(2))
open(out + "/table.typed", "w").write("".join(n + "\n" for n in sorted(table)))
rows = []
for line in open(md, encoding="utf-8"):
    m = re.match(r"^\| `(?:\[\[?([a-z.]+)\]\]? )?([a-z0-9_]+)` \|", line)
    if m: rows.append((m.group(1) + "." if m.group(1) else "") + m.group(2))
open(out + "/md", "w").write("".join(n + "\n" for n in sorted(rows)))
PY
status=0
for doc in man md; do
  name=$([ $doc = man ] && echo man/alignd.toml.5.scd || echo docs/configuration.md)
  if ! diff -u "$T/table" "$T/$doc" >"$T/$doc.diff"; then
    echo "FAIL - $name and the key table differ (- only in the table, + only in $name):"
    sed -n '3,$p' "$T/$doc.diff" | grep '^[-+]' | sed 's/^/    /'
    status=1
  else
    echo "ok - $name documents the $(wc -l <"$T/table") keys of the table, and no other"
  fi
done
if diff -u "$T/table.typed" "$T/man.typed" >"$T/typed.diff"; then
  echo "ok - man/alignd.toml.5.scd gives each key the type of the table"
else
  echo "FAIL - types differ (- the table, + man/alignd.toml.5.scd):"
  sed -n '3,$p' "$T/typed.diff" | grep '^[-+]' | sed 's/^/    /'
  status=1
fi
# The man page renders (another CMake target builds it; scdoc is in contrib/debian-packages.txt).
if command -v scdoc >/dev/null; then
  if scdoc <"$ALIGND_SOURCE_DIR/man/alignd.toml.5.scd" >/dev/null; then echo "ok - scdoc renders the man page"
  else echo "FAIL - scdoc rejects man/alignd.toml.5.scd"; status=1; fi
fi
exit $status
