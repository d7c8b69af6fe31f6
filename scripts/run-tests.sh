#!/usr/bin/env bash
# Runs the whole suite: unit tests, store and API tests against SQLite and a throwaway
# PostgreSQL 15, and prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
source scripts/lib.sh

# The cluster lives in memory when there is room (about 8 MB per test database, a few hundred of
# them): writing them to disk and deleting them afterwards cost more than the tests themselves.
# Containers often have a 64 MB /dev/shm; then it is /tmp.
shm_free_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
if [ "${shm_free_kb:-0}" -ge $((4 * 1024 * 1024)) ]; then
  WORK=$(mktemp -d /dev/shm/fraudgov-test.XXXXXX)
else
  WORK=$(mktemp -d /tmp/fraudgov-test.XXXXXX)
fi
chmod 755 "$WORK"
cleanup() {
  stop_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT

start_postgres "$WORK/pg" || { echo "could not start PostgreSQL"; exit 1; }
export FRAUDGOV_TEST_PG_URL="$PG_URL"

RESULTS="$BUILD_DIR/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

ctest --test-dir "$BUILD_DIR" -j "${TEST_JOBS:-2}" --output-on-failure --timeout 900 ${CTEST_ARGS:-}
ctest_rc=$?

python3 - "$RESULTS" "$ctest_rc" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
results, ctest_rc = sys.argv[1], int(sys.argv[2])
passed = failed = 0
for path in sorted(glob.glob(results + "/*.xml")):
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        if case.get("status") == "notrun" or case.find("skipped") is not None:
            continue
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
            print("FAILED:", path.split("/")[-1][:-4], case.get("classname") + "." + case.get("name"))
        else:
            passed += 1
if ctest_rc != 0 and failed == 0:
    failed += 1  # a test binary crashed or timed out before writing its report
    print("FAILED: a test executable did not complete (see ctest output above)")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
