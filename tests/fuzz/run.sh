#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (address and undefined-behaviour
# sanitizers) into build-fuzz/ and runs each for SECONDS seconds (default 30),
# from the seed corpus in tests/fuzz/corpus/ (new inputs go to
# build-fuzz/corpus-*/, never into the repository). Exits 1 on a finding,
# whose input libFuzzer leaves in build-fuzz/.
# usage: tests/fuzz/run.sh [SECONDS]      (longer by hand: tests/fuzz/run.sh 3600)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
command -v clang++ >/dev/null || { echo "missing: clang (apt-get install clang)" >&2; exit 1; }
CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWEGWIJS_FUZZ=ON \
  -DWEGWIJS_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_request fuzz_analyse >/dev/null
status=0
for target in fuzz_request fuzz_analyse; do
  corpus="build-fuzz/corpus-$target"
  mkdir -p "$corpus"
  # detect_leaks=0: ICU and Hunspell keep caches for the process's life.
  if ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
     "build-fuzz/$target" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
       -artifact_prefix="build-fuzz/$target-" "$corpus" tests/fuzz/corpus \
       >"build-fuzz/$target.log" 2>&1; then
    runs=$(grep -o 'Done [0-9]* runs' "build-fuzz/$target.log" | tail -1)
    echo "$target: ${runs:-done} in ${seconds} s, no crash"
  else
    echo "$target: FINDING (see build-fuzz/$target.log)"; tail -40 "build-fuzz/$target.log"
    status=1
  fi
done
exit $status
