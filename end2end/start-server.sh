#!/usr/bin/env bash
# Starts the release server for the browser tests on a fresh database with the demo data:
#
#   start-server.sh sqlite PORT     a new SQLite file in a temporary directory
#   start-server.sh postgres PORT   a new database on the PostgreSQL server at TEST_POSTGRES_URL
#                                   (an admin URL, e.g. postgres://postgres@127.0.0.1:5432/postgres)
#
# The master key file is in the temporary directory too, so nothing is written into the
# repository. The server runs as a child of this script: when Playwright stops it (SIGTERM, see
# gracefulShutdown in playwright.config.ts) the server is stopped, the PostgreSQL database dropped
# and the directory removed. Databases left by a run that was killed outright are dropped by the
# next run on this host.
set -euo pipefail
backend="${1:?usage: start-server.sh sqlite|postgres PORT}"
port="${2:?usage: start-server.sh sqlite|postgres PORT}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/target/release/partner-center"
[ -x "$bin" ] || { echo "start-server.sh: $bin is missing; build it with cargo leptos build --release" >&2; exit 1; }

dir="$(mktemp -d -t pc-e2e.XXXXXX)"
export PC_MASTER_KEY_FILE="$dir/master.key"
admin="${TEST_POSTGRES_URL:-}"
database=""
server=""
sink=""
maildir=""

# Runs one SQL statement on the admin database.
sql() { psql "$admin" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }

cleanup() {
  trap - EXIT INT TERM
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ -n "$sink" ]; then
    kill -TERM "$sink" 2>/dev/null || true
    wait "$sink" 2>/dev/null || true
    rm -rf "$maildir"
  fi
  if [ -n "$database" ]; then
    sql "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# The URL with its database name replaced (the query string, if any, is kept).
with_database() {
  local url="$1" name="$2" base query=""
  base="${url%%\?*}"
  [ "$base" = "$url" ] || query="?${url#*\?}"
  local scheme="${base%%://*}" rest="${base#*://}"
  printf '%s://%s/%s%s' "$scheme" "${rest%%/*}" "$name" "$query"
}

case "$backend" in
  sqlite)
    export DATABASE_URL="sqlite://$dir/e2e.db"
    ;;
  postgres)
    [ -n "$admin" ] || { echo "start-server.sh: postgres needs TEST_POSTGRES_URL" >&2; exit 1; }
    # pc_e2e_<host>_<pid of this script>_<random>: a database whose script no longer runs on this
    # host was left by a killed run.
    host="$(hostname | cksum | cut -d' ' -f1)"
    for stale in $(sql "SELECT datname FROM pg_database WHERE datname LIKE 'pc\_e2e\_${host}\_%'"); do
      pid="${stale#pc_e2e_"${host}"_}"
      pid="${pid%%_*}"
      if ! kill -0 "$pid" 2>/dev/null; then
        sql "DROP DATABASE IF EXISTS \"$stale\" WITH (FORCE)" >/dev/null || true
      fi
    done
    database="pc_e2e_${host}_$$_$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')"
    sql "CREATE DATABASE \"$database\"" >/dev/null
    DATABASE_URL="$(with_database "$admin" "$database")"
    export DATABASE_URL
    ;;
  *)
    echo "start-server.sh: unknown backend $backend (sqlite or postgres)" >&2
    exit 1
    ;;
esac

# From the repository root, where the server finds its site files (target/site).
cd "$root"
# Mail goes to a local sink writing each message to a directory the specs read (the confirmation
# links of HCPN onboarding): ${TMPDIR:-/tmp}/pc-e2e-mail-PORT (fixtures/mail.ts).
maildir="${TMPDIR:-/tmp}/pc-e2e-mail-$port"
rm -rf "$maildir"
node "$root/end2end/fixtures/smtp-sink.mjs" "$maildir" &
sink=$!
for _ in $(seq 1 100); do [ -s "$maildir/port" ] && break; sleep 0.1; done
[ -s "$maildir/port" ] || { echo "start-server.sh: the SMTP sink did not start" >&2; exit 1; }
"$bin" seed-demo --history-months 0 >/dev/null
"$bin" serve --addr "127.0.0.1:$port" --smtp-url "smtp://127.0.0.1:$(cat "$maildir/port")" &
server=$!
wait "$server"
