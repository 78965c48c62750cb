# Sourced by the benchmark scripts: builds, makes $tmp (removed on exit, with
# every server the script started), sets $duration from DURATION (10s by
# default) and prints the machine the figures come from.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/setup.sh >/dev/null
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
duration=${DURATION:-10s}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
