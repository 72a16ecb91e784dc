#!/usr/bin/env bash
# The benchmark (make bench) as a quick smoke: every measurement with tiny counts, against the
# package the other suites installed, so that the benchmark cannot rot. It checks that each
# measurement ran and that every update was delivered; no timing is asserted, and
# BENCHMARKS.md is left as it is.
set -euo pipefail
cd "$(dirname "$0")/../.."

before=$(cksum BENCHMARKS.md 2>/dev/null || echo none)
OKERR_BENCH_MODULES=tests/out/app/node_modules node bench/run.mjs --smoke > tests/out/bench-smoke.md
after=$(cksum BENCHMARKS.md 2>/dev/null || echo none)
[ "$before" = "$after" ] || { echo 'bench --smoke rewrote BENCHMARKS.md'; exit 1; }

node --input-type=module - <<'JS'
import { readFileSync } from 'node:fs';
const r = JSON.parse(readFileSync('bench/out/results.json', 'utf8'));
const titles = r.sections.map((s) => s.title);
const want = ['1. Size', '2. Send overhead', '3. Against the Python', '4. Fan-out', '5. Throttled', '5b. A throttle shared', '6. Start-up', '7. Memory', 'Profiles'];
const missing = want.filter((w) => !titles.some((t) => t.startsWith(w)));
if (!r.smoke || missing.length) throw new Error(`bench smoke: missing sections ${missing.join(', ')}`);
const measures = r.summary.map((s) => s.measure);
for (const m of ['1. .wasm raw', '2. send overhead', '4. every update delivered once', '5. throttled heartbeat', '5b. awaited throttled update with a store', '6. start-up, Node ESM', '7. wasm memory growth']) {
  if (!measures.some((x) => x.startsWith(m))) throw new Error(`bench smoke: no figure for ${m}`);
}
console.log(`bench smoke: ${titles.length} sections, ${r.summary.length} figures, in ${(r.minutes * 60).toFixed(0)} s`);
JS
