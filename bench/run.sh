#!/usr/bin/env bash
# `make bench`: the Google benchmarks, then fraudgov over HTTP against a same-machine baseline
# (nginx serving the very same JSON bytes as a static file), reported as ratios because these
# machines are noisy. Ends with ONE table (issue 9 acceptance, SPEC §8): each HTTP answer against
# nginx serving a file of the same byte size in the same run, p99 at a fixed 1,000 req/s, RSS with
# 100,000 rules loaded, governance-write throughput at 1/8/32 clients on PostgreSQL (fsync on) and
# SQLite (synchronous=FULL), and first- vs deep-page list latency over 1,000,000 audit rows.
# BENCH_SECONDS (default 10) is the length of each HTTP measurement; writes run BENCH_SECONDS/2
# per client count. docs/performance.md holds the last run and how to read it.
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
  [ -n "${LIMITED_PID:-}" ] && kill "$LIMITED_PID" 2>/dev/null || true
  [ -n "${NGINX_PID:-}" ] && kill "$NGINX_PID" 2>/dev/null || true
  stop_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT

# The bench's own cluster, durable like production (fsync, synchronous_commit, full_page_writes).
start_postgres "$WORK/pg" durable
PG_ADMIN="$PG_URL"
PG_BASE="${PG_URL%/postgres}"
psql -q "$PG_ADMIN" -c 'CREATE DATABASE writes' -c 'CREATE DATABASE growth'

echo "== activation round trip (create, submit, approve: compile+sign+upload, activate)"
for backend in sqlite postgres; do
  echo "-- $backend"
  FRAUDGOV_TEST_BACKEND=$backend FRAUDGOV_TEST_PG_URL="$PG_URL" FRAUDGOV_TEST_TMP="$WORK" \
    "$BUILD_DIR/bench/publication_bench" 2>/dev/null | grep -E '^BM_' || true
done

TABLE="$WORK/table.txt"
: > "$TABLE"
# row <measurement> <fraudgov> <nginx> <ratio> <target> <met?>
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$TABLE"; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
verdict() { if "$@"; then echo met; else echo "NOT met"; fi; }

WRITE_SECONDS=$(( DURATION / 2 > 2 ? DURATION / 2 : 2 ))
echo "== governance writes (create rule, submit, approve by another user), ${WRITE_SECONDS}s per client count"
for store in postgres sqlite; do
  if [ $store = postgres ]; then url="$PG_BASE/writes"; else url="sqlite:$WORK/writes.db"; fi
  "$BUILD_DIR/bench/write_bench" "$url" "$WRITE_SECONDS" 1 8 32 | grep '^clients=' | tee "$WORK/writes-$store.txt"
  while read -r line; do
    get() { tr ' ' '\n' <<< "$line" | awk -F= -v k="$1" '$1 == k { print $2 }'; }
    label="$store"; [ $store = postgres ] && label="PostgreSQL (fsync on)" || label="SQLite (synchronous=FULL)"
    row "writes $label, $(get clients) clients: round trips/s, p50/p99 ms, write lock busy" \
      "$(get per_s)/s p50 $(get p50_ms) p99 $(get p99_ms) lock $(get lock_busy)" "-" "-" "report" \
      "$([ "$(get failures)" = 0 ] && echo "reported" || echo "$(get failures) failed")"
  done < "$WORK/writes-$store.txt"
done

echo "== ruleset publication and the write lock (100 members, every artifact put delayed 50 ms like an S3 round trip)"
for store in postgres sqlite; do
  if [ $store = postgres ]; then url="$PG_BASE/writes"; else url="sqlite:$WORK/publication.db"; fi
  "$BUILD_DIR/bench/write_bench" --approvals "$url" 5 50 | grep '^step=' | tee "$WORK/publication-$store.txt"
  while read -r line; do
    get() { tr ' ' '\n' <<< "$line" | awk -F= -v k="$1" '$1 == k { print $2 }'; }
    label="$store"; [ $store = postgres ] && label="PostgreSQL (fsync on)" || label="SQLite (synchronous=FULL)"
    # The uploads (2 x 50 ms at approval, 1 at activation) must not count towards the lock's hold.
    row "publication $label, $(get step): call ms, write-lock hold ms (avg/max)" \
      "call $(get call_ms_avg) hold $(get hold_ms_avg)/$(get hold_ms_max)" "-" "-" "hold < upload (50 ms)" \
      "$(verdict awk -v a="$(get hold_ms_avg)" 'BEGIN { exit !(a < 50) }')"
  done < "$WORK/publication-$store.txt"
done

echo "== growth: 100,000 rules and 1,000,000 audit rows (INSERT ... SELECT generate_series)"
GROWTH_URL="$PG_BASE/growth"
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
# Every security property on, rate limiting included (with budgets of 1,000,000 per minute, the maximum the configuration accepts, which the runs do not exhaust).
export APP_ENV=local HTTP_PORT="$PORT" DATABASE_URL="$GROWTH_URL" FRAUDGOV_VAR_DIR="$WORK/var" LOG_LEVEL=warn \
  RATE_LIMIT_ENABLED=true RATE_LIMIT_READ_PER_MINUTE=1000000 RATE_LIMIT_AUTH_FAILURES_PER_MINUTE=1000000 \
  RATE_LIMIT_ANONYMOUS_PER_MINUTE=1000000 HTTP_WORKER_THREADS=8
"$BUILD_DIR/bin/fraudgov-dev" migrate > "$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log"; exit 1; }
SEED_START=$(date +%s)
psql -q -v ON_ERROR_STOP=1 "$GROWTH_URL" -f bench/seed_growth.sql > /dev/null
echo "seeded in $(( $(date +%s) - SEED_START ))s"
# First vs deep keyset page, measured on the seeded rows alone (before the HTTP part adds rows of
# another shape on top), the store's own list statements as prepared statements (pgbench -M
# prepared: every execution after the 5th is where a generic plan would take over), with the
# session settings fraudgov's connections use.
# pg_pages <first.sql> <deep.sql>: both scripts interleaved in ONE pgbench run (so the machine's
# load hits both alike); prints "<first ms> <deep ms>" (mean latency per script).
pg_pages() {
  PGOPTIONS='-c plan_cache_mode=force_custom_plan' "$PG_BIN/pgbench" -n -M prepared -c 1 \
    -T "$(( DURATION / 2 > 2 ? DURATION / 2 : 2 ))" -f "$1" -f "$2" "$GROWTH_URL" 2>/dev/null \
    | awk '/^ - latency average/ { printf "%s ", $5 }'
}
AUDIT_SQL="SELECT seq, audit_id, entity_type, entity_id, action, old_value, new_value, performed_by, performed_by_issuer, performed_at, request_id, prev_hash, row_hash FROM audit_log WHERE (entity_type = NULL::text OR NULL::text IS NULL) AND (entity_id = NULL::uuid OR NULL::uuid IS NULL) AND (action = NULL::text OR NULL::text IS NULL) AND (performed_by = NULL::text OR NULL::text IS NULL) AND (performed_at >= NULL::timestamptz OR NULL::timestamptz IS NULL) AND (performed_at <= NULL::timestamptz OR NULL::timestamptz IS NULL) AND seq < :seq ORDER BY seq DESC LIMIT 51;"
RULES_SQL="SELECT rule_id, rule_name, description, rule_type, status, current_version, version, created_by, created_by_issuer, created_at, updated_at FROM rules WHERE (rule_type = NULL::text OR NULL::text IS NULL) AND (status = NULL::text OR NULL::text IS NULL) AND (rule_name = NULL::text OR NULL::text IS NULL) AND (created_at, rule_id) < ('AT'::timestamptz, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid) ORDER BY created_at DESC, rule_id DESC LIMIT 51;"
printf '\\set seq 9223372036854775807\n%s\n' "$AUDIT_SQL" > "$WORK/audit-first.sql"
printf '\\set seq 1000\n%s\n' "$AUDIT_SQL" > "$WORK/audit-deep.sql"
printf '%s\n' "${RULES_SQL//AT/infinity}" > "$WORK/rules-first.sql"
printf '%s\n' "${RULES_SQL//AT/2026-01-01 00:16:40+00}" > "$WORK/rules-deep.sql"
read -r AUDIT_FIRST AUDIT_DEEP <<< "$(pg_pages "$WORK/audit-first.sql" "$WORK/audit-deep.sql")"
read -r RULES_FIRST RULES_DEEP <<< "$(pg_pages "$WORK/rules-first.sql" "$WORK/rules-deep.sql")"
echo "audit first $AUDIT_FIRST ms, deep $AUDIT_DEEP ms; rules first $RULES_FIRST ms, deep $RULES_DEEP ms"
"$BUILD_DIR/bin/fraudgov-dev" serve > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 300); do curl -sf "$BASE/api/v1/health" > /dev/null && break; sleep 0.1; done
curl -sf "$BASE/api/v1/health" > /dev/null || { cat "$WORK/server.log"; exit 1; }
MAKER=$("$BUILD_DIR/bin/fraudgov-dev" token --user maker)
VIEWER=$("$BUILD_DIR/bin/fraudgov-dev" token --user viewer)
for i in $(seq 60); do
  curl -sf -X POST -H "Authorization: Bearer $MAKER" -H 'Content-Type: application/json' \
    -d "{\"rule_name\":\"bench $i\",\"rule_type\":\"AUTH\",\"condition_tree\":{\"field\":\"amount\",\"op\":\"GT\",\"value\":$i}}" \
    "$BASE/api/v1/rules" > /dev/null
done


mkdir -p "$WORK/static"
curl -sf -H "Authorization: Bearer $VIEWER" "$BASE/api/v1/rules?limit=50" > "$WORK/static/rules.json"
curl -sf -H "Authorization: Bearer $VIEWER" "$BASE/api/v1/rule-fields/amount" > "$WORK/static/field.json"
curl -s -H "Authorization: Bearer not-a-token" "$BASE/api/v1/rules?limit=50" > "$WORK/static/unauthorized.json"
RULES_ETAG=$(curl -sfD - -o /dev/null -H "Authorization: Bearer $VIEWER" "$BASE/api/v1/rules?limit=50" \
  | awk -F': ' 'tolower($1) == "etag" { sub(/\r$/, "", $2); print $2 }')

# A second instance whose read budget is exhausted at once: every request is a 429.
LIMITED_PORT=$(free_port)
# Same FRAUDGOV_VAR_DIR: the dev token issuer's key lives there.
HTTP_PORT="$LIMITED_PORT" RATE_LIMIT_READ_PER_MINUTE=1 \
  "$BUILD_DIR/bin/fraudgov-dev" serve > "$WORK/server-limited.log" 2>&1 &
LIMITED_PID=$!
LIMITED="http://127.0.0.1:$LIMITED_PORT"
for _ in $(seq 300); do curl -sf "$LIMITED/api/v1/health" > /dev/null && break; sleep 0.1; done
# The dev issuer's URL (the token's iss) carries the instance's port: a token of its own.
LIMITED_VIEWER=$(HTTP_PORT="$LIMITED_PORT" "$BUILD_DIR/bin/fraudgov-dev" token --user viewer)
for _ in 1 2 3; do curl -s -o /dev/null -H "Authorization: Bearer $LIMITED_VIEWER" "$LIMITED/api/v1/rules?limit=50"; done
curl -s -H "Authorization: Bearer $LIMITED_VIEWER" "$LIMITED/api/v1/rules?limit=50" > "$WORK/static/limited.json"
LIMITED_STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $LIMITED_VIEWER" "$LIMITED/api/v1/rules?limit=50")
[ "$LIMITED_STATUS" = 429 ] || echo "WARNING: the rate-limited instance answered $LIMITED_STATUS, not 429"
UNAUTH_STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer not-a-token" "$BASE/api/v1/rules?limit=50")
[ "$UNAUTH_STATUS" = 401 ] || echo "WARNING: a bad token got $UNAUTH_STATUS, not 401"

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
NGINX="http://127.0.0.1:$NGINX_PORT"
NGINX_ETAG=$(curl -sfD - -o /dev/null "$NGINX/rules.json" | awk -F': ' 'tolower($1) == "etag" { sub(/\r$/, "", $2); print $2 }')

rps() { awk '/Requests\/sec/ { print $2 }'; }
status_of() { awk '/Non-2xx/ { print "non-2xx " $NF }'; }
# compare <measurement> <target> <nginx path> <nginx header> <fraudgov url> <fraudgov header>...
compare() {
  local name="$1" target="$2" npath="$3" nh="$4" url="$5"
  shift 5
  local fh=() h n f ratio
  for h in "$@"; do fh+=(-H "$h"); done
  n=$(wrk -t2 -c50 -d"${DURATION}s" -H "$nh" "$NGINX$npath" | rps)
  f=$(wrk -t2 -c50 -d"${DURATION}s" "${fh[@]}" "$url" | rps)
  ratio=$(awk -v a="$f" -v b="$n" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  echo "$name: fraudgov $f req/s, nginx $n req/s, ratio $ratio"
  row "$name" "$f req/s" "$n req/s" "$ratio" ">= $target" "$(verdict ge "$ratio" "$target")"
}
echo "== HTTP, wrk -t2 -c50 ${DURATION}s each, nginx first (same bytes, same run)"
compare "GET /api/v1/rules?limit=50 ($(stat -c %s "$WORK/static/rules.json") B, PostgreSQL, cache on)" 0.5 \
  /rules.json "X-Bench: 1" "$BASE/api/v1/rules?limit=50" "Authorization: Bearer $VIEWER"
compare "GET /api/v1/rule-fields/amount ($(stat -c %s "$WORK/static/field.json") B)" 0.6 \
  /field.json "X-Bench: 1" "$BASE/api/v1/rule-fields/amount" "Authorization: Bearer $VIEWER"
compare "$UNAUTH_STATUS (want 401), bad token ($(stat -c %s "$WORK/static/unauthorized.json") B; nginx: 200, same size)" 0.6 \
  /unauthorized.json "X-Bench: 1" "$BASE/api/v1/rules?limit=50" "Authorization: Bearer not-a-token"
compare "$LIMITED_STATUS (want 429), read budget spent ($(stat -c %s "$WORK/static/limited.json") B; nginx: 200, same size)" 0.6 \
  /limited.json "X-Bench: 1" "$LIMITED/api/v1/rules?limit=50" "Authorization: Bearer $LIMITED_VIEWER"
kill "$LIMITED_PID" 2>/dev/null || true
LIMITED_PID=
compare "304, If-None-Match: current ETag (nginx: 304 for its own ETag)" 0.6 \
  /rules.json "If-None-Match: $NGINX_ETAG" "$BASE/api/v1/rules?limit=50" "Authorization: Bearer $VIEWER" \
  "If-None-Match: $RULES_ETAG"

# Where a cached GET spends its time: perf samples of the server under the same wrk load
# (BENCH_PERF=0 skips it; needs perf, e.g. apt-get install linux-perf).
if [ "${BENCH_PERF:-1}" != 0 ] && command -v perf > /dev/null; then
  echo "== perf: fraudgov under wrk GET /api/v1/rules?limit=50, top symbols (self time)"
  wrk -t2 -c50 -d"$(( DURATION / 2 + 2 ))s" -H "Authorization: Bearer $VIEWER" "$BASE/api/v1/rules?limit=50" > /dev/null &
  WRK_PID=$!
  sleep 1
  # DWARF call graphs: the build keeps no frame pointers, and the inclusive view needs real stacks.
  perf record -q -F 499 --call-graph dwarf,16384 -p "$SERVER_PID" -o "$WORK/perf.data" -- sleep "$(( DURATION / 2 ))" \
    > /dev/null 2>&1 || true
  wait "$WRK_PID" || true
  tidy() { grep -E '^ +[0-9.]+%' | cut -c1-150 | sed 's/ *$//'; }
  perf report -i "$WORK/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | tidy | head -30 || true
  echo "-- fraudgov's own functions, inclusive (children) time"
  perf report -i "$WORK/perf.data" --children --sort symbol --stdio -g none 2>/dev/null | grep 'fraudgov::' | tidy \
    | head -30 || true
  echo "-- by shared object"
  perf report -i "$WORK/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | tidy | head -12 || true
fi

echo "== fixed 1,000 req/s for ${DURATION}s (hey: 10 workers x 100 q/s; -q is per worker)"
hey -z "${DURATION}s" -c 10 -q 100 -H "Authorization: Bearer $VIEWER" "$BASE/api/v1/rules?limit=50" > "$WORK/hey.txt" &
HEY_PID=$!
sleep $((DURATION / 2))
RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
wait $HEY_PID
grep -E 'Requests/sec|99% in|95% in|50% in' "$WORK/hey.txt"
grep -E '^\s+\[[0-9]+\]' "$WORK/hey.txt" | head -5
P99_MS=$(awk '/99% in/ { printf "%.2f", $3 * 1000 }' "$WORK/hey.txt")
HEY_RPS=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$WORK/hey.txt")
row "p99, GET /rules?limit=50 at a fixed 1,000 req/s (got $HEY_RPS req/s)" "$P99_MS ms" "-" "-" "< 5 ms" \
  "$(verdict awk -v a="$P99_MS" 'BEGIN { exit !(a < 5) }')"
RSS_MIB=$(( RSS_KB / 1024 ))
row "RSS at 1,000 req/s, 100,000 rules + 1,000,000 audit rows" "$RSS_MIB MiB" "-" "-" "< 100 MiB" \
  "$(verdict test "$RSS_MIB" -lt 100)"
within20() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(b <= a * 1.2 && a <= b * 1.2) }'; }
row "audit-log page (1,000,000 rows): first vs deep (seq < 1000), SQL, prepared" "first $AUDIT_FIRST ms" \
  "deep $AUDIT_DEEP ms" "$(awk -v a="$AUDIT_DEEP" -v b="$AUDIT_FIRST" 'BEGIN { printf "%.2f", a / b }')" "within 20 %" \
  "$(verdict within20 "$AUDIT_FIRST" "$AUDIT_DEEP")"
row "rules page (100,000 rules): first vs deep (row ~99,000), SQL, prepared" "first $RULES_FIRST ms" \
  "deep $RULES_DEEP ms" "$(awk -v a="$RULES_DEEP" -v b="$RULES_FIRST" 'BEGIN { printf "%.2f", a / b }')" "within 20 %" \
  "$(verdict within20 "$RULES_FIRST" "$RULES_DEEP")"

echo
echo "== machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== RESULT (ratios: fraudgov / nginx in the same run)"
{ printf 'measurement\tfraudgov\tnginx\tratio\ttarget\tresult\n'; cat "$TABLE"; } | column -t -s $'\t'
