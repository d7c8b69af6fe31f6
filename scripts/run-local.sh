#!/usr/bin/env bash
# `make run`: fraudgov-dev on 127.0.0.1:8080 with APP_ENV=local, SQLite under ./var and the
# built-in development issuer. Any configuration variable from the README can be overridden.
set -euo pipefail
cd "$(dirname "$0")/.."
export APP_ENV="${APP_ENV:-local}"
exec ./build/bin/fraudgov-dev serve
