#!/usr/bin/env bash
# The Debian package and its systemd units, checked from the outside:
#   package_test.sh SOURCE_DIR BUILD_DIR
# Builds the .deb from the already built build/bin/fraudgov into a temporary directory, checks
# its file list, control data and binary, runs the extracted binary (--version, migrate against a
# temporary SQLite, the sample configuration under prod rules) and has systemd-analyze verify the
# units and rate the server's sandbox. Writes a JUnit report for scripts/run-tests.sh. A check
# whose tool is missing is skipped with a message; exit 77 (ctest SKIP) when nothing could run.
set -euo pipefail
SOURCE_DIR=$(cd "${1:?source dir}" && pwd)
BUILD_DIR=$(cd "${2:?build dir}" && pwd)
# The highest exposure level accepted for fraudgov.service (systemd-analyze calls <= 1.5 "OK").
MAX_EXPOSURE=1.5

WORK=$(mktemp -d /tmp/fraudgov-package-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
REPORT_DIR="$BUILD_DIR/test-results"
mkdir -p "$REPORT_DIR"
cases=()
failures=0
passes=0

xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
record() {  # record <name> pass|fail|skip [message]
  local name=$1 outcome=$2 message=${3:-} body=""
  message=$(printf '%s' "$message" | xml_escape)
  case $outcome in
    pass) passes=$((passes + 1)); echo "PASS  $name" ;;
    fail) failures=$((failures + 1)); body="<failure message=\"$message\"/>"; echo "FAIL  $name: ${3:-}" ;;
    skip) body="<skipped message=\"$message\"/>"; echo "SKIP  $name: ${3:-}" ;;
  esac
  cases+=("<testcase classname=\"Package\" name=\"$name\">$body</testcase>")
}
write_report() {
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<testsuites><testsuite name=\"Package\" tests=\"${#cases[@]}\" failures=\"$failures\">"
    printf '%s\n' "${cases[@]}"
    echo '</testsuite></testsuites>'
  } > "$REPORT_DIR/package.xml"
}
# check <name> <command...>: the command prints why it failed on stdout/stderr.
check() {
  local name=$1
  shift
  local out
  if out=$("$@" 2>&1); then
    record "$name" pass
    [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/      /'
  else
    record "$name" fail "$out"
  fi
  return 0
}

for tool in dpkg-deb dpkg-shlibdeps dpkg-architecture strip; do
  if ! command -v "$tool" > /dev/null; then
    echo "SKIP  package tests: $tool is missing (scripts/install-deps.sh installs dpkg-dev)"
    record PackageBuilds skip "$tool is missing"
    write_report
    exit 77
  fi
done

# ---- the package ------------------------------------------------------------------------------
if ! DEB=$(bash "$SOURCE_DIR/scripts/package.sh" "$BUILD_DIR" "$WORK/out" 2> "$WORK/package.log" | tail -1) ||
  [ ! -f "$DEB" ]; then
  record PackageBuilds fail "$(cat "$WORK/package.log")"
  write_report
  exit 1
fi
record PackageBuilds pass
echo "      $(basename "$DEB") ($(du -h "$DEB" | cut -f1))"

ROOT="$WORK/root"
dpkg-deb -x "$DEB" "$ROOT"
dpkg-deb -e "$DEB" "$WORK/control"

file_list() {
  local expected actual listing
  listing=$(dpkg-deb -c "$DEB")
  expected=$(printf '%s\n' ./ ./etc/ ./etc/fraudgov/ ./etc/fraudgov/credentials/ ./etc/fraudgov/fraudgov.toml \
    ./lib/ ./lib/systemd/ ./lib/systemd/system/ ./lib/systemd/system/fraudgov-migrate.service \
    ./lib/systemd/system/fraudgov.service ./usr/ ./usr/bin/ ./usr/bin/fraudgov ./usr/share/ ./usr/share/doc/ \
    ./usr/share/doc/fraudgov/ ./usr/share/doc/fraudgov/README.md)
  actual=$(awk '{print $6}' <<< "$listing" | sort)
  if [ "$actual" != "$(sort <<< "$expected")" ]; then
    echo "unexpected file list:"
    diff <(sort <<< "$expected") <(echo "$actual") || true
    return 1
  fi
  # Owners and modes that matter: root everywhere, credentials readable by root only.
  awk '$2 != "root/root" {print "not owned by root: " $6; bad=1} END {exit bad}' <<< "$listing" || return 1
  grep -q '^drwx------ root/root .* ./etc/fraudgov/credentials/$' <<< "$listing" ||
    { echo "/etc/fraudgov/credentials/ is not 0700"; return 1; }
  grep -q '^-rwxr-xr-x root/root .* ./usr/bin/fraudgov$' <<< "$listing" ||
    { echo "/usr/bin/fraudgov is not 0755"; return 1; }
  grep -Ei 'fraudgov-dev|test|fixture|\.sqlite|\.db$|\.pem$|\.key$' <<< "$actual" &&
    { echo "development or test files in the package"; return 1; }
  echo "$actual" | tr '\n' ' '
}
check FileListIsExact file_list

control_data() {
  local depends
  depends=$(sed -n 's/^Depends: //p' "$WORK/control/control")
  echo "Depends: $depends"
  # The libraries the binary links, each as a versioned dependency from dpkg-shlibdeps.
  for lib in libc6 libstdc++6 libssl3 libpq5 libsqlite3-0 libcurl4; do
    grep -qF ", $lib (>= " <<< ", $depends" || { echo "Depends lacks $lib"; return 1; }
  done
  # Nothing a server does not need at run time.
  grep -Eq -- '-dev\b|libgtest|libgmock|libbenchmark' <<< "$depends" && { echo "build-only dependency"; return 1; }
  [ "$(cat "$WORK/control/conffiles")" = /etc/fraudgov/fraudgov.toml ] ||
    { echo "conffiles: $(cat "$WORK/control/conffiles")"; return 1; }
  grep -q "^Version: $(awk '{print $2}' <<< "$("$ROOT/usr/bin/fraudgov" --version)")$" "$WORK/control/control" ||
    { echo "package version differs from fraudgov --version"; return 1; }
  grep -q '^Architecture: amd64$' "$WORK/control/control" || { echo "not amd64"; return 1; }
  for script in postinst prerm postrm; do
    sh -n "$WORK/control/$script" || return 1
  done
}
check ControlDataAndDependencies control_data

# Depends is exactly the packages of the shared libraries the binary links (NEEDED), nothing
# more and nothing missing; a package may be named through what it Provides (libspdlog1.10
# provides libspdlog1.10-fmt9).
depends_match_needed() {
  local depends needed so path pkg provided all="" dep missing=0
  depends=$(sed -n 's/^Depends: //p' "$WORK/control/control" | tr ',' '\n' | awk '{print $1}' | sort -u)
  needed=$(objdump -p "$ROOT/usr/bin/fraudgov" | awk '/NEEDED/ {print $2}')
  for so in $needed; do
    path=$("$(command -v ldconfig || echo /sbin/ldconfig)" -p | awk -v s="$so" '$1 == s && /x86-64/ {print $NF; exit}')
    [ -n "$path" ] || { echo "$so: not found by ldconfig"; return 1; }
    # With merged /usr, dpkg knows a library under whichever spelling its package ships.
    pkg=$(for candidate in "$path" "$(readlink -f "$path")" "/usr${path#/usr}" "${path#/usr}"; do
      dpkg -S "$candidate" 2> /dev/null; done | head -1 | cut -d: -f1)
    [ -n "$pkg" ] || { echo "$so: no package owns $path"; return 1; }
    provided=$(printf '%s\n' "$pkg" $(dpkg-query -W -f='${Provides}' "$pkg" | tr ',' '\n' | awk '{print $1}'))
    all+="$provided"$'\n'
    grep -qxF -f <(echo "$provided") <<< "$depends" || { echo "$so ($pkg) is linked but not in Depends"; missing=1; }
  done
  for dep in $depends; do
    grep -qxF -- "$dep" <<< "$all" || { echo "$dep is in Depends but no linked library needs it"; missing=1; }
  done
  [ $missing -eq 0 ] && echo "$(wc -w <<< "$needed") NEEDED libraries from $(wc -w <<< "$depends") packages: Depends is exactly those"
  return $missing
}
if command -v objdump > /dev/null; then
  check DependsMatchLinkedLibraries depends_match_needed
else
  record DependsMatchLinkedLibraries skip "objdump is missing (binutils)"
fi

# Same markers as tests/api/binary_test.cpp (development issuer routes, key file, identities,
# symbols), searched in the stripped binary that ships.
no_dev_issuer() {
  local marker found=0
  for marker in test-user-token /api/v1/test-token dev-issuer-key dev-maker "Development Rule Maker" 8devtools \
    DevIssuer dev-automation; do
    if grep -qaF -- "$marker" "$ROOT/usr/bin/fraudgov"; then
      echo "'$marker' found in the packaged binary"
      found=1
    fi
  done
  [ -x "$BUILD_DIR/bin/fraudgov-dev" ] && ! grep -qaF test-user-token "$BUILD_DIR/bin/fraudgov-dev" &&
    { echo "the scan does not even find the marker in fraudgov-dev"; return 1; }
  return $found
}
check BinaryHasNoDevelopmentIssuer no_dev_issuer

# The extracted binary alone, in a clean environment: what a server sees after installing.
run_clean() { env -i PATH=/usr/bin:/bin HOME="$WORK" "$@"; }

version_output() {
  local line commit
  line=$(run_clean "$ROOT/usr/bin/fraudgov" --version)
  echo "$line"
  [[ "$line" =~ ^fraudgov\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ ([0-9a-f]{7,}|unknown),\ [A-Za-z]+\ build\)$ ]] ||
    { echo "unexpected --version output"; return 1; }
  commit=$(git -C "$SOURCE_DIR" rev-parse --short HEAD 2> /dev/null || echo unknown)
  # A stale commit means the build was not re-configured after a commit.
  [[ "$line" == *"commit $commit,"* ]] || echo "note: the build records another commit than HEAD ($commit)"
}
check VersionPrintsVersionCommitBuildType version_output

# migrate against a temporary SQLite, twice (the second run applies nothing), with the sample
# configuration and the test environment's site settings given as environment variables.
migrate_sqlite() {
  local db="$WORK/migrate.sqlite" out
  local env=(FRAUDGOV_CONFIG="$ROOT/etc/fraudgov/fraudgov.toml" APP_ENV=test DATABASE_URL="sqlite:$db"
    AUTH_ISSUER=https://issuer.example.test/ AUTH_AUDIENCE=fraudgov-package-test FRAUDGOV_VAR_DIR="$WORK")
  out=$(run_clean "${env[@]}" "$ROOT/usr/bin/fraudgov" migrate 2>&1) || { echo "$out"; return 1; }
  grep -q "migration(s) applied; schema is current" <<< "$out" || { echo "$out"; return 1; }
  [ -s "$db" ] || { echo "no database file"; return 1; }
  echo "first run: $(grep 'migration(s)' <<< "$out")"
  out=$(run_clean "${env[@]}" "$ROOT/usr/bin/fraudgov" migrate 2>&1) || { echo "$out"; return 1; }
  grep -q "^0 migration(s) applied" <<< "$out" || { echo "second run: $out"; return 1; }
  echo "second run: $(grep 'migration(s)' <<< "$out")"
}
check MigrateAgainstTemporarySqlite migrate_sqlite

# The sample configuration, as shipped, under APP_ENV=prod: startup refuses it for exactly the
# site-specific settings and the required credentials, nothing it sets itself.
sample_config_prod() {
  local config="$ROOT/etc/fraudgov/fraudgov.toml" out rc=0 expected line
  out=$(run_clean FRAUDGOV_CONFIG="$config" "$ROOT/usr/bin/fraudgov" migrate 2>&1) || rc=$?
  [ "$rc" -eq 2 ] || { echo "exit $rc, expected 2 (configuration refused): $out"; return 1; }
  expected=("DATABASE_URL is required in prod" "AUTH_ISSUER (or AUTH0_DOMAIN) is required"
    "AUTH_AUDIENCE is required" "CURSOR_HMAC_KEY is required in prod" "METRICS_TOKEN is required in prod")
  while IFS= read -r line; do
    local known=0 e
    for e in "${expected[@]}"; do [[ "$line" == *"$e"* ]] && known=1; done
    [ $known -eq 1 ] || { echo "unexpected problem with the sample configuration: $line"; return 1; }
  done <<< "$out"
  for e in "${expected[@]}"; do grep -qF "$e" <<< "$out" || { echo "not reported: $e"; return 1; }; done

  # Filled in the way the sample describes (PostgreSQL with TLS, https issuer, credentials in
  # $CREDENTIALS_DIRECTORY): the configuration passes the prod gate and only the unreachable
  # database stops the run (exit 1, not 2).
  cp "$config" "$WORK/site.toml"
  cat >> "$WORK/site.toml" << 'EOF'
DATABASE_URL = "postgresql://fraudgov@127.0.0.1:1/fraudgov?sslmode=verify-full"
AUTH_ISSUER = "https://tenant.eu.auth0.com/"
AUTH_AUDIENCE = ["https://fraudgov.example.com/api"]
EOF
  mkdir -m 0700 "$WORK/credentials"
  head -c 48 /dev/urandom | base64 > "$WORK/credentials/CURSOR_HMAC_KEY"
  echo metrics-token-for-the-package-test > "$WORK/credentials/METRICS_TOKEN"
  echo database-password > "$WORK/credentials/DATABASE_PASSWORD"
  rc=0
  out=$(run_clean FRAUDGOV_CONFIG="$WORK/site.toml" CREDENTIALS_DIRECTORY="$WORK/credentials" \
    timeout 60 "$ROOT/usr/bin/fraudgov" migrate 2>&1) || rc=$?
  if [ "$rc" -ne 1 ] || grep -q "configuration:" <<< "$out"; then
    echo "filled-in sample: exit $rc: $out"
    return 1
  fi
  echo "filled-in sample passes the prod gate; then: $(head -1 <<< "$out" | cut -c1-120)"
}
check SampleConfigurationUnderProdRules sample_config_prod

# Every setting of the README's configuration table appears in the sample (set or commented out),
# and no secret does as a key.
sample_config_covers_readme() {
  local table names name missing=0
  table=$(awk '/^## Configuration/{on=1; next} /^## /{on=0} on && /^\| `/' "$SOURCE_DIR/README.md")
  [ -n "$table" ] || { echo "README configuration table not found"; return 1; }
  names=$(grep -o '`[^`]*`' <<< "$table" | tr -d '`' | while read -r token; do
    if [[ "$token" =~ ^_[A-Z_]+_$ ]]; then
      echo "RATE_LIMIT${token}PER_MINUTE"  # `_WRITE_` abbreviates RATE_LIMIT_WRITE_PER_MINUTE
    elif [[ "$token" =~ ^[A-Z][A-Z0-9_]+$ ]]; then echo "$token"; fi
  done | sort -u)
  for name in $names; do
    case $name in
      *_PASSWORD | *_TOKEN | *_KEY | *_KEY_ID | *_SECRET_ACCESS_KEY)
        if grep -Eq "^$name *=" "$ROOT/etc/fraudgov/fraudgov.toml"; then
          echo "secret $name is set in the sample"
          missing=1
        fi
        continue
        ;;
    esac
    grep -Eq "^(# )?$name = " "$ROOT/etc/fraudgov/fraudgov.toml" || { echo "missing from the sample: $name"; missing=1; }
  done
  [ $missing -eq 0 ] && echo "$(wc -w <<< "$names") settings from the README table"
  return $missing
}
check SampleConfigurationCoversReadmeTable sample_config_covers_readme

# Type=notify: the extracted server tells a (fake) service manager READY=1 once it serves,
# RELOADING=1 then READY=1 around SIGHUP, STOPPING=1 on SIGTERM, over an abstract socket like
# the ones systemd may hand out.
sd_notify_protocol() {
  local name="fraudgov-package-test-$$" port server listener i
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 - "$name" "$WORK/notify.log" << 'PY' > "$WORK/listener.log" 2>&1 &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + sys.argv[1])
open(sys.argv[2] + ".bound", "w").close()
s.settimeout(60)
with open(sys.argv[2], "w", buffering=1) as log:
    while True:
        message = s.recv(4096).decode()
        log.write(message.replace("\n", " ") + "\n")
        if "STOPPING=1" in message:
            break
PY
  listener=$!
  for i in $(seq 50); do [ -e "$WORK/notify.log.bound" ] && break; sleep 0.1; done
  # env execs the server, so $! is its pid (a backgrounded function would be a subshell).
  env -i PATH=/usr/bin:/bin HOME="$WORK" APP_ENV=test HTTP_PORT="$port" DATABASE_URL="sqlite:$WORK/notify.sqlite" FRAUDGOV_VAR_DIR="$WORK" \
    AUTH_ISSUER=https://issuer.example.test/ AUTH_AUDIENCE=fraudgov-package-test \
    AUTH_JWKS_URL=http://127.0.0.1:1/jwks.json NOTIFY_SOCKET="@$name" \
    "$ROOT/usr/bin/fraudgov" serve > "$WORK/serve.log" 2>&1 &
  server=$!
  wait_for() {  # wait_for <count> <pattern>: the log holds at least count lines matching
    for i in $(seq 200); do
      [ "$(grep -c "$2" "$WORK/notify.log" 2> /dev/null)" -ge "$1" ] && return 0
      sleep 0.1
    done
    echo "no $2 (#$1) from the server; notifications: $(cat "$WORK/notify.log" 2> /dev/null)"
    tail -5 "$WORK/serve.log"
    return 1
  }
  local ok=0
  wait_for 1 '^READY=1' && kill -HUP $server && wait_for 1 '^RELOADING=1 MONOTONIC_USEC=[0-9]' &&
    wait_for 2 'READY=1' && kill -TERM $server && wait_for 1 'STOPPING=1' && ok=1
  kill $server 2> /dev/null || true
  wait $server 2> /dev/null || true
  kill $listener 2> /dev/null || true
  wait $listener 2> /dev/null || true
  [ $ok -eq 1 ] || return 1
  tr '\n' '|' < "$WORK/notify.log"
}
if command -v python3 > /dev/null; then
  check NotifiesReadyReloadingStopping sd_notify_protocol
else
  record NotifiesReadyReloadingStopping skip "python3 is missing"
fi

# ---- the units --------------------------------------------------------------------------------
# systemd-analyze checks ExecStart= paths on this machine, so the copies it reads point at the
# extracted binary instead of /usr/bin/fraudgov; nothing else differs. No running systemd needed.
UNITS="$WORK/units"
mkdir -p "$UNITS"
for unit in fraudgov.service fraudgov-migrate.service; do
  sed "s#/usr/bin/fraudgov#$ROOT/usr/bin/fraudgov#g" "$ROOT/lib/systemd/system/$unit" > "$UNITS/$unit"
done

# Hardening guide 5.5: a crash must not write the secrets in memory to a core file.
no_core_dumps() {
  local unit
  for unit in fraudgov.service fraudgov-migrate.service; do
    grep -qx 'LimitCORE=0' "$UNITS/$unit" || { echo "$unit: no LimitCORE=0"; return 1; }
  done
  echo "both units: LimitCORE=0"
}
check UnitsForbidCoreDumps no_core_dumps

if ! command -v systemd-analyze > /dev/null; then
  record UnitsPassSystemdAnalyzeVerify skip "systemd-analyze is missing (apt-get install systemd)"
  record ServiceExposureAtMost1_5 skip "systemd-analyze is missing (apt-get install systemd)"
else
  verify_units() {
    local out
    out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "$UNITS/fraudgov.service" \
      "$UNITS/fraudgov-migrate.service" 2>&1) || { echo "$out"; return 1; }
    # verify exits 0 on some warnings; any output is a finding.
    [ -z "$out" ] || { echo "$out"; return 1; }
    echo "systemd-analyze verify: both units clean ($(systemd-analyze --version | head -1))"
  }
  check UnitsPassSystemdAnalyzeVerify verify_units

  if ! systemd-analyze security --help 2>&1 | grep -q -- '--offline'; then
    record ServiceExposureAtMost1_5 skip "this systemd-analyze has no security --offline"
  else
    exposure() {
      local out score
      out=$(systemd-analyze security --offline=true --no-pager "$UNITS/fraudgov.service" 2>&1) || true
      score=$(sed -n 's/.*Overall exposure level for fraudgov.service: \([0-9.]*\).*/\1/p' <<< "$out")
      [ -n "$score" ] || { echo "no score in: $out"; return 1; }
      echo "fraudgov.service exposure level: $score (at most $MAX_EXPOSURE)"
      grep '✗' <<< "$out" | sed 's/  */ /g' || true
      awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN {exit !(s <= m)}'
    }
    check ServiceExposureAtMost1_5 exposure
  fi
fi

write_report
echo "package tests: $passes passed, $failures failed"
[ $failures -eq 0 ]
