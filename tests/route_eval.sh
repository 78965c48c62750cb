#!/usr/bin/env bash
# Starts the real service on a free port with a fresh SQLite file and scores
# POST /v1/route with the shared evaluation script.
#
# usage: route_eval.sh <wegwijs binary> <utterances.jsonl> <minimum accuracy>
set -euo pipefail
bin="$1"
set_file="$2"
min="$3"
root="$(cd "$(dirname "$0")/.." && pwd)"
eval_dir="$root/../shared/eval"
[ -x "$eval_dir/route-eval" ] || { echo "route-eval not found at $eval_dir"; exit 1; }
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --host 127.0.0.1 --port "$port" --db "$tmp/eval.db" --data "$root" >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.05
done
python3 "$eval_dir/route-eval" --url "http://127.0.0.1:$port" "$set_file" --min "$min"
