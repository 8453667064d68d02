#!/bin/bash
# Hostile input through `alignd eval` (issue 10 items 4-5; docs/security.md):
#   - content appended after a DKIM l= limit: dkim=policy and DMARC fails; with
#     [dkim] partial_body = "pass" RFC 6376 as written (dkim=pass, dmarc=pass);
#   - 100,000 header fields: 552 5.3.4, nothing checked;
#   - 20,000 DKIM-Signature fields (header caps raised): exactly max_signatures
#     results, the two real signatures pass, the rest counted in A-R.
# Asserts behaviour only; CPU and RSS are printed for information (the benchmark
# reports them: docs/benchmarks.md).
set -euo pipefail
: "${ALIGND:?}" "${ALIGND_SOURCE_DIR:?}"
DATA=$ALIGND_SOURCE_DIR/tests/data/dkim
work=$(mktemp -d /tmp/alignd-hostile.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # check WHAT PATTERN FILE: FILE must contain PATTERN (grep -F)
  if grep -qF -- "$2" "$3"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAIL: $1: no '$2' in"; sed 's/^/  /' "$3" | head -30; fi
}
expect() { if [ "$2" == "$3" ]; then passed=$((passed + 1)); else
  failed=$((failed + 1)); echo "FAIL: $1: expected '$2', got '$3'"; fi; }

cp "$DATA/fixtures.zone" "$work/zone"
echo '_dmarc.football.example.com. IN TXT "v=DMARC1; p=reject"' >>"$work/zone"
echo 'authserv_id = "mx.test.example"' >"$work/default.toml"
printf 'authserv_id = "mx.test.example"\n[dkim]\npartial_body = "pass"\n' >"$work/pass.toml"
printf 'authserv_id = "mx.test.example"\n[headers]\nmax_fields = 30000\nmax_bytes = 4194304\n' \
  >"$work/big.toml"

ev() {  # ev CONFIG MESSAGE OUT: alignd eval, CPU and peak RSS to OUT.time
  /usr/bin/time -f "%U %S %M" -o "$3.time" "$ALIGND" eval -c "$1" --client-ip 192.0.2.1 \
    --mail-from x@other.example --dns-zone "$work/zone" "$2" >"$3" 2>"$3.err"
  read -r u s m <"$3.time"
  echo "  $(basename "$2"): $(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.0f", (u+s)*1000}') ms CPU, ${m} KB peak RSS"
}

# --- item 4: l= ---
ev "$work/default.toml" "$DATA/body-length.eml" "$work/l-default"
check "l= appended, default" "dkim: policy d=football.example.com" "$work/l-default"
check "l= appended, default: reason" "not used for DMARC" "$work/l-default"
check "l= appended, default: A-R" "dkim=policy" "$work/l-default"
check "l= appended, default: DMARC fails" "dmarc: fail" "$work/l-default"
ev "$work/pass.toml" "$DATA/body-length.eml" "$work/l-pass"
check "l= appended, partial_body = pass" "dkim: pass d=football.example.com" "$work/l-pass"
check "l= appended, partial_body = pass: DMARC" "dmarc: pass" "$work/l-pass"

# --- item 5: header fields and DKIM-Signature fields ---
/usr/bin/python3 - "$work" "$DATA/rfc8463-a3.eml" <<'PY'
import sys
work, a3 = sys.argv[1], sys.argv[2]
head = "From: Joe <joe@football.example.com>\r\nTo: x@example.net\r\nSubject: many\r\n"
with open(f"{work}/fields.eml", "w", newline="") as f:
    f.write(head + "".join(f"X-Filler-{i}: {i}\r\n" for i in range(100000)) + "\r\nbody\r\n")
msg = open(a3, newline="").read().replace("\r\n", "\n").replace("\n", "\r\n")
p = msg.find("\r\n\r\n") + 2
junk = "".join(f"DKIM-Signature: v=1; a=rsa-sha256; d=junk{i}.example; s=s; h=from; "
               f"bh=AAAA; b=AAAA{i}\r\n" for i in range(20000))
open(f"{work}/sigs.eml", "w", newline="").write(msg[:p] + junk + msg[p:])
PY
ev "$work/default.toml" "$work/fields.eml" "$work/fields"
check "100,000 fields: 552 5.3.4" "verdict: reject (552 5.3.4 Message header too large (more than 1000 header fields))" "$work/fields"
expect "100,000 fields: nothing checked" 0 "$(grep -c '^dkim:' "$work/fields" || true)"
ev "$work/default.toml" "$work/sigs.eml" "$work/sigs-default"
check "20,002 signatures, default caps: 552 5.3.4" "552 5.3.4" "$work/sigs-default"
ev "$work/big.toml" "$work/sigs.eml" "$work/sigs"
expect "20,002 signatures: max_signatures (5) results" 5 "$(grep -c '^dkim:' "$work/sigs")"
expect "20,002 signatures: both real ones pass" 2 "$(grep -c '^dkim: pass d=football.example.com' "$work/sigs")"
check "20,002 signatures: A-R says the rest were not examined" "19997 more DKIM-Signature" "$work/sigs"
check "20,002 signatures: a verdict" "verdict: accept" "$work/sigs"
"$ALIGND" eval -c "$work/big.toml" --client-ip 192.0.2.1 --dns-zone "$work/zone" --json \
  "$work/sigs.eml" >"$work/sigs.json"
check "20,002 signatures: JSON dkim_ignored" '"dkim_ignored":19997' "$work/sigs.json"

echo "hostile_eval: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
