#!/usr/bin/env bash
# Benchmark: POST /v1/chat turns (each stored in SQLite) against a bare
# cpp-httplib JSON echo server, with wrk at 16 and 64 connections, in one run
# on this machine; prints each figure and the ratio to the echo server. Also
# prints the start-up time to a ready /healthz, the turns stored, and the time
# per stage of one turn (bench/stages.cpp). Both servers are stock cpp-httplib;
# wegwijs serves on its elastic thread pool (webhook/thread_pool.h).
#
# The machine's speed drifts from one minute to the next (it is a shared
# virtual machine: the echo server alone has measured anywhere from 28k to 46k
# requests/s), so at each connection count the two servers take turns, ROUNDS
# times (3 by default), and the ratio reported is the median of the rounds'
# ratios, each taken from two back-to-back measurements. Each measurement
# also shows the host's steal time, which tells a busy host from a slow build.
#
# usage: bench/run.sh            (DURATION=10s per measurement, ROUNDS=3)
source "$(dirname "$0")/common.sh"

start=$(date +%s%N)
./build/wegwijs serve --port 18080 --db "$tmp/bench.db" 2>"$tmp/serve.log" >/dev/null &
wegwijs_pid=$!
until curl -fs localhost:18080/healthz >/dev/null 2>&1; do sleep 0.005; done
echo "start-up to ready /healthz: $(( ($(date +%s%N) - start) / 1000000 )) ms"
./build/echo_server 18090 2>/dev/null &
sleep 0.3

# figure <wrk output> <label>: "rps p50 p99"
figures() {
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$NF}
       END {printf "%s %s %s %s\n", rps, p50, p99, (bad == "" ? 0 : bad)}' <<<"$1"
}

# The share of the CPU time that the host took from this virtual machine
# (steal) while a measurement ran: when it is more than a few percent, the
# host is busy and that round's figures say more about it than about us.
cpu_times() { awk '/^cpu / {t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $9}' /proc/stat; }
steal_since() {
  read -r t1 s1 < <(cpu_times)
  awk -v t0="$1" -v s0="$2" -v t1="$t1" -v s1="$s1" 'BEGIN {printf "%.0f%%", (t1 > t0 ? 100 * (s1 - s0) / (t1 - t0) : 0)}'
}
measure() {  # measure <conns> <lua> <url>: "rps p50 p99 non-2xx steal"
  local t0 s0 out
  read -r t0 s0 < <(cpu_times)
  out=$(figures "$(wrk -t2 -c"$1" -d$duration --latency -s "$2" "$3")")
  echo "$out $(steal_since "$t0" "$s0")"
}

rounds=${ROUNDS:-3}
printf "\n%-6s %-5s %-10s %12s %10s %10s %8s %6s\n" conns round server "requests/s" p50 p99 non-2xx steal
for c in 16 64; do
  ratios=()
  for r in $(seq "$rounds"); do
    read -r e_rps e_p50 e_p99 e_bad e_steal < <(measure "$c" bench/echo.lua http://127.0.0.1:18090)
    read -r w_rps w_p50 w_p99 w_bad w_steal < <(measure "$c" bench/chat.lua http://127.0.0.1:18080)
    printf "%-6s %-5s %-10s %12s %10s %10s %8s %6s\n" "$c" "$r" echo "$e_rps" "$e_p50" "$e_p99" "$e_bad" "$e_steal"
    printf "%-6s %-5s %-10s %12s %10s %10s %8s %6s\n" "$c" "$r" wegwijs "$w_rps" "$w_p50" "$w_p99" "$w_bad" "$w_steal"
    ratios+=("$(awk -v w="$w_rps" -v e="$e_rps" 'BEGIN {printf "%.3f", w / e}')")
  done
  printf "%-6s ratio wegwijs/echo per round: %s; median %s\n" "$c" "${ratios[*]}" \
    "$(printf "%s\n" "${ratios[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')"
done
# Control at 64 connections: GET /healthz does no work, so its p99 is what the
# HTTP layer alone costs (it showed the 1 s tail of cpp-httplib's listen
# backlog of 5 until webhook::bind_server raised it).
read -r h_rps h_p50 h_p99 h_bad < <(figures "$(wrk -t2 -c64 -d$duration --latency http://127.0.0.1:18080/healthz)")
printf "%-6s %-10s %12s %10s %10s %8s   (control: no work per request)\n" 64 healthz "$h_rps" "$h_p50" "$h_p99" "$h_bad"

kill -INT $wegwijs_pid
wait $wegwijs_pid || true
echo
grep "turns stored" "$tmp/serve.log" | sed 's/.*: /store: /'
echo "turns in the file: $(sqlite3 "$tmp/bench.db" 'SELECT count(*) FROM turns')"
echo
./build/stages . ../shared/eval/dev-route.jsonl "$tmp/stages.db" 20 | grep -v checksum
