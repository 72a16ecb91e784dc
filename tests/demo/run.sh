#!/usr/bin/env bash
# The README's first command stays true: the demo (after make build) runs to the end and the
# server holds what it sent.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(node scripts/demo.mjs)
printf '%s\n' "$out"
for name in demo:heartbeat demo:temperature demo:node-version; do
  grep -q "'$name'" <<<"$out" || { echo "demo: the server does not hold $name"; exit 1; }
done
grep -q "reason: 'throttled'" <<<"$out" || { echo "demo: the repeated heartbeat was not throttled"; exit 1; }
echo "demo: 1 passed, 0 failed"
