#!/usr/bin/env bash
# Booking benchmark: 64 concurrent clients booking through POST /v1/bookings
# (synchronous=FULL: each confirmed booking is on disk before its 201), once
# all competing for the slots of one day, once spread over the horizon. Prints
# bookings per second, the p99 of a booking, and the proof: the 201 answers
# counted by the clients equal the confirmed bookings in the file, and no time
# cell holds more claims than its desk has counters.
#
# A run ends when the slots are full (the sample calendar is small): then
# bookings/s is capacity over the run time, a floor, and requests/s counts
# every attempt, a booking or a slot_taken refusal, each its own transaction.
#
# usage: bench/booking.sh            (DURATION=10s by default)
source "$(dirname "$0")/common.sh"
export KEY=bench-key

printf "\n%-8s %10s %10s %8s %8s %8s %8s %8s %s\n" case "bookings/s" "requests/s" p99 capacity "201s" "409s" "in file" "over capacity"
for case in same-day spread; do
  db="$tmp/$case.db"
  WEGWIJS_API_KEY=$KEY ./build/wegwijs serve --port 18180 --db "$db" \
    --now 2026-11-27T10:00:00+01:00 2>/dev/null >/dev/null &
  pid=$!
  until curl -fs localhost:18180/healthz >/dev/null 2>&1; do sleep 0.01; done
  days=1; [ "$case" = spread ] && days=60
  curl -fs -H "Authorization: Bearer $KEY" \
    "localhost:18180/v1/slots?product=loket.residence_card&location=stadskantoor&from=2026-11-30&days=$days" |
    python3 -c 'import json,sys; [print(s["start"], s["free"]) for s in json.load(sys.stdin)["slots"]]' >"$tmp/free"
  cut -d' ' -f1 "$tmp/free" >"$tmp/slots"
  capacity=$(awk '{n += $2} END {print n}' "$tmp/free")
  export SLOTS="$tmp/slots"
  out=$(wrk -t2 -c64 -d"$duration" -s bench/booking.lua http://127.0.0.1:18180 | grep '^created')
  kill -TERM $pid; wait $pid || true
  read -r _ created _ full _ other _ p99 _ rps <<<"$out"
  in_file=$(sqlite3 "$db" "SELECT count(*) FROM bookings WHERE status = 'confirmed'")
  over=$(sqlite3 "$db" "SELECT count(*) FROM (SELECT desk, cell_ms, count(*) n FROM claims GROUP BY desk, cell_ms) g
                        JOIN (SELECT desk, count(*) seats FROM seats GROUP BY desk) s USING (desk) WHERE n > seats")
  secs=${duration%s}
  printf "%-8s %10.0f %10s %8s %8s %8s %8s %8s %s\n" "$case" "$(echo "$created / $secs" | bc -l)" "$rps" "$p99" \
    "$capacity" "$created" "$full" "$in_file" "$over"
  [ "$created" = "$in_file" ] && [ "$over" = 0 ] && [ "$other" = 0 ] && [ "$created" -le "$capacity" ] ||
    { echo "MISMATCH: 201s $created, in file $in_file, over capacity $over, other answers $other"; exit 1; }
done
