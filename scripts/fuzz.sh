#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer, ASan, UBSan) in build-fuzz/ and runs each for
# FUZZ_SECONDS (default 60), starting from the committed seed corpus. Crashes are written to
# build-fuzz/crashes/; add them to tests/fuzz/corpus/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DFRAUDGOV_LIBFUZZER=ON -DFRAUDGOV_SANITIZE=address,undefined -DFRAUDGOV_BUILD_BENCH=OFF -Wno-dev > /dev/null
targets=(json jwt condition_tree cursor)
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]/%/_fuzz}"
mkdir -p build-fuzz/crashes
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  cp tests/fuzz/corpus/"$t"/* "$work"/
  echo "== fuzzing $t for ${SECONDS_PER_TARGET}s"
  ./build-fuzz/tests/"${t}_fuzz" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 \
    -artifact_prefix=build-fuzz/crashes/"$t"- "$work" 2>&1 | tail -3
  rm -rf "$work"
done
