#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest: unit,
# conversation, HTTP, data check and the routing evaluation), beside a
# throw-away PostgreSQL cluster for the tests of the PostgreSQL store
# (scripts/with_postgres.sh: started here, stopped and deleted after).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cd build
../scripts/with_postgres.sh ctest --output-on-failure "$@"
