#!/usr/bin/env bash
# Starts the release server for the browser tests on a fresh SQLite database with demo data.
set -euo pipefail
port="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mktemp -d)"
export DATABASE_URL="sqlite://$dir/e2e.db"
cd "$root"
target/release/partner-center seed-demo >/dev/null
exec target/release/partner-center serve --addr "127.0.0.1:$port"
