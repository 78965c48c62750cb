#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL cluster (Debian's
# postgresql package, the newest version installed): made in a temporary
# folder, listening only on a unix socket there (no TCP port), run as the
# unprivileged user nobody when this script runs as root (CI does; the
# server refuses root), and stopped and deleted when the command ends,
# whatever its result. The command finds it in WEGWIJS_TEST_PG, a libpq
# connection URI. fsync is off: the cluster is thrown away.
#
# usage: scripts/with_postgres.sh COMMAND [ARGS...]
set -euo pipefail
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/initdb" ] || { echo "PostgreSQL is missing (run scripts/setup.sh)" >&2; exit 1; }
dir="$(mktemp -d /tmp/wegwijs-pg.XXXXXX)"
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody:nogroup "$dir"
  as=(runuser -u nobody --)
fi
stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as[@]}" "$bin/initdb" -D "$dir/data" -U wegwijs -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -c listen_addresses='' -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
"$bin/createdb" -h "$dir" -U wegwijs wegwijs
export WEGWIJS_TEST_PG="postgresql:///wegwijs?host=$dir&user=wegwijs"
"$@"
