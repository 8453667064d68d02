#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (ASan + UBSan, the alignd libraries
# instrumented) in build-fuzz/ and runs each for SECONDS (default 60), one after
# another. New inputs go to build-fuzz/corpus/<name>/ (the seeds in
# tests/fuzz/corpus/<name>/ are read, never written); crashes to
# build-fuzz/artifacts/<name>/. Exit status 1 if any target crashed.
#   tests/fuzz/run.sh [SECONDS] [NAME...]     e.g. tests/fuzz/run.sh 180 dkim spf_check
# Environment: BUILD (default <repo>/build-fuzz), JOBS (default 1), FUZZ_FLAGS (extra
# libFuzzer flags, e.g. "-max_len=8192 -jobs=2").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${BUILD:-$src/build-fuzz}
seconds=${1:-60}
[ $# -gt 0 ] && shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "$here"/fuzz_*.cc; do n=$(basename "$f" .cc); names+=("${n#fuzz_}"); done
fi

# Warnings in code under test are not this script's business: -DALIGND_WERROR=OFF.
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALIGND_FUZZ=ON -DALIGND_WERROR=OFF >/dev/null
targets=()
for n in "${names[@]}"; do targets+=("fuzz_$n"); done
cmake --build "$build" -j"${JOBS:-1}" --target "${targets[@]}" -- --no-print-directory

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for n in "${names[@]}"; do
  corpus=$build/corpus/$n
  artifacts=$build/artifacts/$n
  mkdir -p "$corpus" "$artifacts"
  echo "== fuzz_$n for ${seconds}s"
  # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
  if ! "$build/fuzz_$n" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" ${FUZZ_FLAGS:-} \
      "$corpus" "$here/corpus/$n" 2>"$build/fuzz_$n.log"; then
    failed+=("$n")
    echo "   CRASH: see $build/fuzz_$n.log and $artifacts/"
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|cov: ' \
    "$build/fuzz_$n.log" | tail -4 | sed 's/^/   /'
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashed: ${failed[*]}"
  exit 1
fi
echo "no crash in: ${names[*]}"
