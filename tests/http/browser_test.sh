#!/usr/bin/env bash
# The search page and the widget in headless Chromium.
#   browser_test.sh SOSIK_INDEX SOSIK_SERVE OUTPUT_DIR
# Indexes data/, starts sosik-serve on a free loopback port, runs
# browser/drive.mjs against it; screenshots land in OUTPUT_DIR.
# Exit 77 (skipped) when Chromium or Node.js is not installed.
set -euo pipefail

index=$1 serve=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

if [[ ! -x $CHROMIUM ]]; then echo "skipped: $CHROMIUM is not installed (apt-get install chromium)"; exit 77; fi
if ! command -v node >/dev/null; then echo "skipped: node is not installed (apt-get install nodejs)"; exit 77; fi

rm -rf "$out"
mkdir -p "$out"
"$index" --db "$out/db" "$source_dir/data" >"$out/index.log"

"$serve" --db "$out/db" --listen 127.0.0.1:0 2>"$out/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
url=
for _ in $(seq 100); do
  url=$(sed -n 's/^sosik-serve: listening on \(http:[^ ]*\)$/\1/p' "$out/serve.log")
  [[ -n $url ]] && break
  sleep 0.1
done
if [[ -z $url ]]; then echo "sosik-serve did not start:"; cat "$out/serve.log"; exit 1; fi

node "$here/browser/drive.mjs" "${url%/}" "$out"
