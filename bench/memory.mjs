// Measurement 7, in its own process (run with --expose-gc): after N throttled calls and M
// sends, how much have the wasm linear memory, the wasm-bindgen externref table and the JS heap
// (after full GCs) grown? Two rounds: growth that repeats in round 2 is a leak, growth that
// does not is a one-time high-water mark (the allocator keeps what it once needed).
//
// The glue does not export the wasm memory, and the package should not grow an export for a
// benchmark: the instance is caught as the glue creates it (tests/wasm-instance.mjs wraps
// WebAssembly.Instance and instantiate) before the package is imported.
//
// The server runs in another process (run.mjs), so its own state (update logs) is not counted.
//
// Usage: node --expose-gc bench/memory.mjs '{"url":"http://127.0.0.1:PORT/","throttled":1000000,"sends":20000,"fresh":5000,"batch":100}'
import { setImmediate as tick } from 'node:timers/promises';
import { project } from './lib/workloads.mjs';
// Before the package: it catches the instance the glue makes.
import { wasmExports as exportsOf } from '../tests/wasm-instance.mjs';

const { url, throttled, sends, fresh, batch } = JSON.parse(process.argv[2] ?? '{}');
if (typeof gc !== 'function') throw new Error('run with node --expose-gc');

const { OkerrProject } = await import('okerrupdate');

async function settle() {
  // FinalizationRegistry callbacks (which free wasm objects) run after a GC, in later tasks.
  for (let k = 0; k < 4; k++) {
    gc();
    await tick();
  }
}

async function sample() {
  await settle();
  const e = exportsOf();
  return {
    wasm: e.memory.buffer.byteLength,
    table: e.__wbindgen_externrefs?.length ?? 0,
    heap: process.memoryUsage().heapUsed,
  };
}

const server = { url };
const quiet = project(OkerrProject, server, { throttleSeconds: 300 });
const loud = project(OkerrProject, server, { throttleSeconds: 0 });
const kept = quiet.indicator('mem:throttled');
const names = Array.from({ length: batch }, (_, k) => `mem:send:${k}`);
const keptSenders = names.map((n) => loud.indicator(n));

async function throttledCalls(n) {
  for (let done = 0; done < n; ) {
    const chunk = Math.min(100_000, n - done);
    let last;
    for (let k = 0; k < chunk; k++) last = kept.update('OK');
    if ((await last).reason !== 'throttled') throw new Error('expected throttled');
    done += chunk;
  }
}

async function sendsWith(n, indicatorFor) {
  for (let done = 0; done < n; done += batch) {
    const rs = await Promise.all(names.map((_, k) => indicatorFor(k).update('OK')));
    if (!rs.every((r) => r.sent)) throw new Error('expected sent');
  }
}

await kept.update('OK');
// Warm-up: JIT, the allocator's first pools, the undici connection pool.
await throttledCalls(10_000);
await sendsWith(batch * 4, (k) => keptSenders[k]);
await sendsWith(batch * 4, (k) => loud.indicator(names[k]));

const rounds = [];
let before = await sample();
for (let round = 1; round <= 2; round++) {
  const phases = {};
  await throttledCalls(throttled);
  phases.throttled = await sample();
  await sendsWith(sends, (k) => keptSenders[k]);
  phases.sends = await sample();
  await sendsWith(fresh, (k) => loud.indicator(names[k]));
  phases.freshIndicators = await sample();
  const growth = (a, b) => ({ wasm: b.wasm - a.wasm, table: b.table - a.table, heap: b.heap - a.heap });
  rounds.push({
    afterThrottled: growth(before, phases.throttled),
    afterSends: growth(before, phases.sends),
    afterFreshIndicators: growth(before, phases.freshIndicators),
    end: phases.freshIndicators,
  });
  before = phases.freshIndicators;
}
console.log(JSON.stringify({ rounds, wasmBytes: exportsOf().memory.buffer.byteLength }));
