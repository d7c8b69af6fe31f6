#!/usr/bin/env bash
# `make bench`: the Google benchmarks, then fraudgov over HTTP against a same-machine baseline
# (nginx serving the very same JSON bytes as a static file), reported as ratios because these
# machines are noisy. SPEC §8 targets: GET /api/v1/rules?limit=50 on PostgreSQL at least half
# of nginx's throughput; p99 < 10 ms and RSS < 100 MiB at 1,000 req/s.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
DURATION="${BENCH_SECONDS:-10}"
source scripts/lib.sh

echo "== micro-benchmarks"
for b in "$BUILD_DIR"/bench/*_bench; do
  [ "$(basename "$b")" = publication_bench ] && continue  # needs a database: below
  "$b" --benchmark_min_time=0.5 2>/dev/null | grep -E '^BM_' || true
done

WORK=$(mktemp -d /tmp/fraudgov-bench.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null || true
  stop_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT

start_postgres "$WORK/pg"

echo "== activation round trip (create, submit, approve: compile+sign+upload, activate)"
for backend in sqlite postgres; do
  echo "-- $backend"
  FRAUDGOV_TEST_BACKEND=$backend FRAUDGOV_TEST_PG_URL="$PG_URL" FRAUDGOV_TEST_TMP="$WORK" \
    "$BUILD_DIR/bench/publication_bench" 2>/dev/null | grep -E '^BM_' || true
done
PORT=$(free_port)
export APP_ENV=local HTTP_PORT="$PORT" DATABASE_URL="$PG_URL" FRAUDGOV_VAR_DIR="$WORK/var" LOG_LEVEL=warn \
  RATE_LIMIT_ENABLED=false HTTP_WORKER_THREADS=8
"$BUILD_DIR/bin/fraudgov-dev" serve > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$BASE/api/v1/health" > /dev/null && break; sleep 0.1; done
MAKER=$("$BUILD_DIR/bin/fraudgov-dev" token --user maker)
VIEWER=$("$BUILD_DIR/bin/fraudgov-dev" token --user viewer)
for i in $(seq 60); do
  curl -sf -X POST -H "Authorization: Bearer $MAKER" -H 'Content-Type: application/json' \
    -d "{\"rule_name\":\"bench $i\",\"rule_type\":\"AUTH\",\"condition_tree\":{\"field\":\"amount\",\"op\":\"GT\",\"value\":$i}}" \
    "$BASE/api/v1/rules" > /dev/null
done
mkdir -p "$WORK/static"
curl -sf -H "Authorization: Bearer $VIEWER" "$BASE/api/v1/rules?limit=50" > "$WORK/static/rules.json"
BYTES=$(stat -c %s "$WORK/static/rules.json")

NGINX_PORT=$(free_port)
cat > "$WORK/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/static; location / { default_type application/json; } }
}
CONF
nginx -c "$WORK/nginx.conf" &
NGINX_PID=$!
sleep 0.5

rps() { grep 'Requests/sec' | awk '{print $2}'; }
echo "== HTTP: GET /api/v1/rules?limit=50 ($BYTES bytes) on PostgreSQL vs nginx static, wrk -c50 ${DURATION}s"
NGINX_RPS=$(wrk -t2 -c50 -d"${DURATION}s" "http://127.0.0.1:$NGINX_PORT/rules.json" | rps)
FG_RPS=$(wrk -t2 -c50 -d"${DURATION}s" -H "Authorization: Bearer $VIEWER" "$BASE/api/v1/rules?limit=50" | rps)
echo "nginx static:  $NGINX_RPS req/s"
echo "fraudgov:      $FG_RPS req/s"
awk -v a="$FG_RPS" -v b="$NGINX_RPS" 'BEGIN { printf "ratio fraudgov/nginx: %.2f (target >= 0.50)\n", a / b }'

echo "== HTTP: 1,000 req/s for ${DURATION}s (hey, 10 workers x 100 q/s)"
hey -z "${DURATION}s" -c 10 -q 100 -H "Authorization: Bearer $VIEWER" "$BASE/api/v1/rules?limit=50" > "$WORK/hey.txt" &
HEY_PID=$!
sleep $((DURATION / 2))
RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
wait $HEY_PID
grep -E 'Requests/sec|99% in|95% in|50% in' "$WORK/hey.txt"
grep -E '^\s+\[[0-9]+\]' "$WORK/hey.txt" | head -5
echo "RSS during the run: $((RSS_KB / 1024)) MiB (target < 100 MiB)"
