#!/usr/bin/env bash
# Benchmark: POST /v1/chat turns (each stored in SQLite) against a bare
# cpp-httplib JSON echo server, with wrk at 16 and 64 connections, in one run
# on this machine. Also prints the start-up time to a ready /healthz.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
duration=${DURATION:-10s}

start=$(date +%s%N)
./build/wegwijs serve --port 18080 --db "$tmp/bench.db" 2>"$tmp/serve.log" >/dev/null &
until curl -fs localhost:18080/healthz >/dev/null 2>&1; do sleep 0.005; done
echo "start-up to ready /healthz: $(( ($(date +%s%N) - start) / 1000000 )) ms"
./build/echo_server 18090 2>/dev/null &
sleep 0.3

for c in 16 64; do
  echo "== $c connections"
  echo "-- echo server"
  wrk -t2 -c$c -d$duration --latency -s bench/echo.lua http://127.0.0.1:18090 | grep -E "Requests/sec|50%|99%"
  echo "-- wegwijs /v1/chat"
  wrk -t2 -c$c -d$duration --latency -s bench/chat.lua http://127.0.0.1:18080 | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
done
echo "turns stored: $(sqlite3 "$tmp/bench.db" 'SELECT count(*) FROM turns')"
