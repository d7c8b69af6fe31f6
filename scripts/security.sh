#!/usr/bin/env bash
# `make security`: fraudgov on a throwaway PostgreSQL 15, seeded with a rule, an approval and
# audit rows, then sqlmap (batch mode, bounded time) against every authenticated list and filter
# endpoint. Fails on any injection finding, on a sqlmap run that did not finish, or on a 5xx
# answer in the server's access log. Prints one line per target and the summary that
# docs/security.md quotes.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
SQLMAP_SECONDS="${SQLMAP_SECONDS:-240}"  # per target; the whole run stays well under CI's budget
source scripts/lib.sh

if ! dpkg-query -W -f='${Status}' sqlmap 2>/dev/null | grep -q "install ok installed"; then
  echo "security: installing sqlmap"
  SUDO=$([ "$(id -u)" -ne 0 ] && echo sudo || true)
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq sqlmap > /tmp/fraudgov-sqlmap-apt.log 2>&1 \
    || { cat /tmp/fraudgov-sqlmap-apt.log; exit 1; }
fi

WORK=$(mktemp -d /tmp/fraudgov-security.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  stop_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT

start_postgres "$WORK/pg"
PORT=$(free_port)
# Rate limiting off: sqlmap sends thousands of requests from one address, and a 429 would hide
# what the handler does with the payload. Everything else (auth, limits, headers) stays on.
export APP_ENV=local HTTP_PORT="$PORT" DATABASE_URL="$PG_URL" FRAUDGOV_VAR_DIR="$WORK/var" \
  LOG_LEVEL=info RATE_LIMIT_ENABLED=false
"$BUILD_DIR/bin/fraudgov-dev" serve > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$BASE/api/v1/health" > /dev/null && break; sleep 0.1; done
curl -sf "$BASE/api/v1/health" > /dev/null || { echo "fraudgov did not start"; cat "$WORK/server.log"; exit 1; }

MAKER=$("$BUILD_DIR/bin/fraudgov-dev" token --user maker)
ADMIN=$("$BUILD_DIR/bin/fraudgov-dev" token --user admin --ttl 7200)
rule=$(curl -sf -X POST -H "Authorization: Bearer $MAKER" -H 'Content-Type: application/json' \
  -d '{"rule_name":"sqlmap seed","rule_type":"AUTH","condition_tree":{"field":"amount","op":"GT","value":10}}' \
  "$BASE/api/v1/rules")
rule_id=$(jq -r .rule_id <<< "$rule")
version_id=$(curl -sf -H "Authorization: Bearer $MAKER" "$BASE/api/v1/rules/$rule_id/versions" | jq -r '.[0].rule_version_id')
curl -sf -X POST -H "Authorization: Bearer $MAKER" -H 'Content-Type: application/json' -d '{}' \
  "$BASE/api/v1/rule-versions/$version_id/submit" > /dev/null
ruleset_id=$(curl -sf -X POST -H "Authorization: Bearer $MAKER" -H 'Content-Type: application/json' \
  -d '{"environment":"test","region":"APAC","country":"IN","rule_type":"AUTH"}' "$BASE/api/v1/rulesets" | jq -r .ruleset_id)
curl -sf -X POST -H "Authorization: Bearer $MAKER" -H 'Content-Type: application/json' \
  -d "{\"rule_version_ids\":[\"$version_id\"]}" "$BASE/api/v1/rulesets/$ruleset_id/versions" > /dev/null || true

# Every list endpoint with every filter the contract documents (predecessor-openapi.json).
targets=(
  "/api/v1/rules?limit=10&direction=next"
  "/api/v1/rule-fields?limit=10"
  "/api/v1/approvals?status=PENDING&entity_type=RULE_VERSION&limit=10&direction=next"
  "/api/v1/audit-log?entity_type=RULE&entity_id=$rule_id&action=CREATE&performed_by=maker&since=2020-01-01T00:00:00Z&until=2099-01-01T00:00:00Z&limit=10&direction=next"
  "/api/v1/rulesets?rule_type=AUTH&environment=prod&region=EU&country=DE&limit=10&direction=next"
  "/api/v1/rulesets/$ruleset_id/versions?status=DRAFT&limit=10&direction=next"
)

findings=0
unfinished=0
for path in "${targets[@]}"; do
  out="$WORK/sqlmap-$(echo "$path" | md5sum | cut -c1-8)"
  set +e
  timeout "$SQLMAP_SECONDS" sqlmap -u "$BASE$path" --batch --level=3 --risk=2 --time-sec=2 \
    --headers="Authorization: Bearer $ADMIN" --flush-session --disable-coloring \
    --output-dir="$out" > "$out.log" 2>&1
  rc=$?
  set -e
  if grep -qE "identified the following injection point|is vulnerable|appears to be injectable" "$out.log"; then
    verdict="FINDING"
    findings=$((findings + 1))
  elif [ $rc -eq 124 ]; then
    verdict="UNFINISHED (over ${SQLMAP_SECONDS}s)"
    unfinished=$((unfinished + 1))
  else
    verdict="no injection ($(grep -c 'testing ' "$out.log") tests)"
  fi
  printf '%-50s %s\n' "$(sed "s/$ruleset_id/{ruleset_id}/" <<< "${path%%\?*}")" "$verdict"
  [ "$verdict" = "FINDING" ] && grep -E "Parameter:|Type:|Payload:" "$out.log" | head -20
done

# The answers sqlmap got: mostly 200 (it was authenticated and reached the handlers) and 4xx
# problems for the payloads the validators refused.
echo "answers: $(grep -oE '"status":[0-9]+' "$WORK/server.log" | cut -d: -f2 | sort | uniq -c | sort -rn | awk '{printf "%s x%s  ", $2, $1}')"
server_errors=$(grep -cE '"status":5[0-9][0-9]' "$WORK/server.log" || true)
echo "sqlmap $(sqlmap --version 2>/dev/null | head -1): ${#targets[@]} targets, $findings findings, $unfinished unfinished; 5xx answers: $server_errors"
if [ "$findings" -ne 0 ] || [ "$unfinished" -ne 0 ] || [ "$server_errors" -ne 0 ]; then
  [ "$server_errors" -ne 0 ] && grep -E '"status":5[0-9][0-9]' "$WORK/server.log" | head -5
  exit 1
fi
