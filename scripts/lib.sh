# Shared helpers for the scripts in this folder.

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

PG_BIN=/usr/lib/postgresql/15/bin

# start_postgres <dir> [durable]: a throwaway PostgreSQL 15 cluster owned by the postgres user, on
# a free loopback port, with durability off (tests only) unless the second argument is "durable"
# (fsync, synchronous_commit and full_page_writes on, as in production: benchmarks of writes).
# Sets PG_URL and PG_DIR.
start_postgres() {
  PG_DIR="$1"
  local port durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${2:-}" = durable ] && durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
  port=$(free_port)
  mkdir -p "$PG_DIR"
  chown postgres:postgres "$PG_DIR"
  su postgres -s /bin/sh -c "$PG_BIN/initdb -D '$PG_DIR/data' -A trust -U fraudgov --no-sync -E UTF8 --locale=C.UTF-8" \
    > "$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
  su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D '$PG_DIR/data' -l '$PG_DIR/server.log' -w -t 60 \
    -o \"-c listen_addresses=127.0.0.1 -p $port -k '$PG_DIR' $durability \
        -c max_connections=300\" start" > "$PG_DIR/pg_ctl.log" 2>&1 \
    || { cat "$PG_DIR/pg_ctl.log" "$PG_DIR/server.log"; return 1; }
  PG_URL="postgresql://fraudgov@127.0.0.1:$port/postgres"
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ] || return 0
  su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D '$PG_DIR/data' -m immediate -w stop" > /dev/null 2>&1 || true
}
