#!/usr/bin/env bash
# Installs what is missing, builds, and runs the service on http://127.0.0.1:8080
# with its SQLite file under var/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mkdir -p var
exec ./build/wegwijs serve --host 127.0.0.1 --port "${PORT:-8080}" --db var/wegwijs.db "$@"
