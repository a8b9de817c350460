#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: initdb in a temporary folder, listening on
# 127.0.0.1 on a free port, DATABASE_URL exported; the cluster is stopped and removed on exit,
# whether the command passed or failed. As root, initdb and pg_ctl run as the `postgres` user.
set -euo pipefail

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL is not installed (run scripts/system-deps.sh postgres)" >&2
  exit 1
fi

workdir=$(mktemp -d /tmp/ot24-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  chown postgres: "$workdir"
  as_pg=(runuser -u postgres --)
fi

stop() {
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop EXIT INT TERM

"${as_pg[@]}" "$PGBIN/initdb" -D "$workdir/data" -U ot24 -A trust -E UTF8 --no-sync >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cat "$workdir/server.log" >&2; exit 1; }
"$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U ot24 ot24

export DATABASE_URL="postgres://ot24@127.0.0.1:$port/ot24"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway cluster in $workdir)"
set +e
"$@"
status=$?
set -e
exit $status
