#!/usr/bin/env bash
# Address + undefined-behaviour sanitizers on the code that parses untrusted input: strict JSON,
# canonical JSON, JWT/JWKS, condition trees and the evaluator, cursors — unit tests and the fuzz
# regressions. Kept to a few targets so CI pays minutes, not the price of a second full build.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build-asan
targets=(common_tests compiler_tests auth_tests json_fuzz jwt_fuzz condition_tree_fuzz cursor_fuzz)
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DFRAUDGOV_SANITIZE=address,undefined -DFRAUDGOV_BUILD_BENCH=OFF -Wno-dev > /dev/null
cmake --build "$BUILD" -j "$(nproc)" --target "${targets[@]}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=0
for t in common_tests compiler_tests auth_tests; do
  "$BUILD/tests/$t" --gtest_brief=1 > "$BUILD/$t.log" 2>&1 || { failed=1; tail -30 "$BUILD/$t.log"; }
  echo "sanitize: $t $(grep -E '^\[  PASSED  \]|FAILED TEST' "$BUILD/$t.log" | tr '\n' ' ')"
done
for f in json jwt condition_tree cursor; do
  "$BUILD/tests/${f}_fuzz" "tests/fuzz/corpus/$f" 5000 > "$BUILD/$f-fuzz.log" 2>&1 || { failed=1; tail -30 "$BUILD/$f-fuzz.log"; }
  echo "sanitize: fuzz $f $(tail -1 "$BUILD/$f-fuzz.log")"
done
exit $failed
