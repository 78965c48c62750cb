#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest: unit,
# conversation, HTTP, data check and the routing evaluation).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cd build
ctest --output-on-failure "$@"
