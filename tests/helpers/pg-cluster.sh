#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL 15 cluster on loopback for tests and benchmarks.
#   tests/helpers/pg-cluster.sh start DIR PORT   -> prints the admin URL on stdout
#   tests/helpers/pg-cluster.sh stop DIR
#   tests/helpers/pg-cluster.sh restart DIR    -> pg_ctl restart -m fast (connections are terminated)
#   tests/helpers/pg-cluster.sh down DIR       -> stops the server (-m fast), keeping the data
#   tests/helpers/pg-cluster.sh up DIR         -> starts it again on the same port
# Runs the server as user postgres (initdb refuses root); data lives in DIR.
set -euo pipefail
action=${1:?start|stop}
dir=${2:?directory}
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
  start)
    port=${3:?port}
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    echo "$port" >"$dir/port"
    "$0" up "$dir"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  up)
    port=$(cat "$dir/port")
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" start >/dev/null
    ;;
  down)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  restart)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR | restart DIR | down DIR | up DIR" >&2; exit 2 ;;
esac
