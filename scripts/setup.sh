#!/usr/bin/env bash
# Installs the Debian packages Wegwijs needs (only the missing ones, so it is
# safe to run again) and builds it into build/. Used by run.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake make pkg-config python3 libcpp-httplib-dev nlohmann-json3-dev libssl-dev libicu-dev
          libsqlite3-dev sqlite3 catch2 libjemalloc-dev libstemmer-dev libhunspell-dev libfasttext-dev
          hunspell-nl hunspell-en-us libphonenumber-dev libcurl4-openssl-dev libsodium-dev python3-aiosmtpd wrk curl chromium clang libclang-rt-14-dev
          libpqxx-dev postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The browser tests need Node.js and npm (Debian's nodejs 18 is enough); a
# machine that has them from elsewhere keeps its own.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
