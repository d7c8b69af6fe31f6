#!/usr/bin/env bash
# `make fuzz`: builds every fuzz target (tests/fuzz/<name>_fuzz.cpp) with clang's libFuzzer, ASan
# and UBSan in build-fuzz/ — only those targets and the libraries they link, not the suite — and
# runs each for FUZZ_SECONDS (default 10), starting from its committed seed corpus. Prints the
# executions and coverage of every target; exits non-zero if any target crashed. Crashes are
# written to build-fuzz/crashes/; add them to tests/fuzz/corpus/<name>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${FUZZ_SECONDS:-10}"
BUILD=build-fuzz
targets=()
for source in tests/fuzz/*_fuzz.cpp; do
  name=$(basename "$source" _fuzz.cpp)
  [ -d "tests/fuzz/corpus/$name" ] || { echo "fuzz: $name has no seed corpus (tests/fuzz/corpus/$name)"; exit 1; }
  targets+=("$name")
done
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DFRAUDGOV_LIBFUZZER=ON -DFRAUDGOV_SANITIZE=address,undefined -DFRAUDGOV_BUILD_BENCH=OFF -Wno-dev > /dev/null
cmake --build "$BUILD" -j "$(nproc)" --target "${targets[@]/%/_fuzz}"
mkdir -p "$BUILD/crashes"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=()
summary=()
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  cp tests/fuzz/corpus/"$t"/* "$work"/
  log="$BUILD/$t-fuzz.log"
  echo "== fuzzing $t for ${SECONDS_PER_TARGET}s"
  if ! ./"$BUILD"/tests/"${t}_fuzz" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$BUILD"/crashes/"$t"- "$work" > "$log" 2>&1; then
    failed+=("$t")
    tail -40 "$log"
  fi
  rm -rf "$work"
  # libFuzzer's last status line ("#N DONE cov: C ft: F corp: ...") and its final stats.
  status=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$status")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$status")
  summary+=("$(printf '%-16s runs=%-10s exec/s=%-8s cov=%-6s ft=%s' "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}")")
done
echo "== fuzz summary (${SECONDS_PER_TARGET}s per target)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]} (see $BUILD/crashes/)"
  exit 1
fi
