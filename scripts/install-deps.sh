#!/usr/bin/env bash
# Installs the Debian packages fraudgov needs to build, run, test and package (dpkg-dev for
# dpkg-shlibdeps; systemd for systemd-analyze, which checks the units without a running systemd).
# Idempotent: asks apt only for what is missing, so a second run costs one dpkg query.
set -euo pipefail

# Never unversioned libboost-*-dev or libcpprest-dev: they pull Boost 1.74 and conflict with 1.81.
packages=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libpq-dev postgresql-15 libsqlite3-dev sqlite3 libcurl4-openssl-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libexpected-dev uuid-dev
  libgtest-dev libgmock-dev libbenchmark-dev libhiredis-dev redis-server
  libre2-dev jq prometheus wrk hey nginx-light socat openssl
  dpkg-dev systemd
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp /tmp/fraudgov-apt.XXXXXX.log)
$SUDO apt-get update -qq >"$log" 2>&1 || { cat "$log"; exit 1; }
# policy-rc.d keeps apt from starting the daemons it installs (postgres, redis, nginx):
# tests start their own throwaway instances on free loopback ports.
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
$SUDO chmod +x /usr/sbin/policy-rc.d
trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1 || { cat "$log"; exit 1; }
echo "install-deps: done (log in $log)"
