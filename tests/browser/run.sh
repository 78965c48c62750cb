#!/usr/bin/env bash
# The widget and the staff pages in a real browser: installs playwright-core and axe-core from the
# committed lockfile (npm ci; no browser download) and runs the scenarios in
# Debian's /usr/bin/chromium against the wegwijs binary given as $1.
# Screenshots go to $2 (default build/screenshots).
set -euo pipefail
bin="$(realpath "${1:?usage: run.sh path/to/wegwijs [screenshot dir]}")"
shots="$(realpath -m "${2:-$(dirname "$0")/../../build/screenshots}")"
cd "$(dirname "$0")"
for tool in node npm "${CHROMIUM:-/usr/bin/chromium}"; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (run scripts/setup.sh)" >&2; exit 1; }
done
# Again only when the lockfile changed since the last install.
if ! cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-lock.json
fi
WEGWIJS_BIN="$bin" SCREENSHOTS="$shots" exec node --test widget.test.mjs staff.test.mjs
