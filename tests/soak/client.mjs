// The soak's client process: many updates through the installed package, then nothing. It is
// run with --unhandled-rejections=strict and must exit by itself once the last promise has
// settled: a timer or socket left behind would keep it alive, and the driver measures that.
//
//   node --unhandled-rejections=strict --expose-gc client.mjs URL UPDATES INDICATORS REPORT.json
import { writeFileSync } from 'node:fs';

const [url, updatesArg, indicatorsArg, reportPath] = process.argv.slice(2);
const UPDATES = Number(updatesArg);
const INDICATORS = Number(indicatorsArg);
const CONCURRENCY = 64;
const SAMPLES = 10;

// Test-only: keep the wasm instance the package creates, to read its memory size.
let instance;
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  instance = new Instance(module, imports);
  return instance;
};
const { OkerrProject, OkerrError } = await import('okerrupdate');
WebAssembly.Instance = Instance;

const project = new OkerrProject({
  textid: 'soak',
  secret: 'soak-secret',
  url,
  timeoutMs: 5000,
  retries: 1,
  backoffMs: 1,
  throttleSeconds: 0,
  logLevel: 'silent',
});

// A third each of string, numerical and heartbeat indicators; every numerical status is unique,
// so the server's update log (numerical updates only, as okerr keeps it) shows which it stored.
const METHODS = ['string', 'numerical', 'heartbeat'];
const indicators = [];
for (let i = 0; i < INDICATORS; i++) {
  indicators.push(project.indicator(`soak-${i}`, { method: METHODS[i % 3] }));
}
const sent = indicators.map(() => []);
const rejected = {};
let notOkerrError = 0;
let unexpected = 0;
const samples = [];

function memory() {
  globalThis.gc?.();
  return {
    heapUsed: process.memoryUsage().heapUsed,
    wasm: instance?.exports?.memory?.buffer?.byteLength ?? null,
  };
}

let next = 0;
let done = 0;
async function worker() {
  while (next < UPDATES) {
    const n = next++;
    const i = n % INDICATORS;
    const method = METHODS[i % 3];
    const status = method === 'string' ? `v${n}` : method === 'numerical' ? n : n % 2 ? 'OK' : 'ERR';
    try {
      const r = await indicators[i].update(status);
      if (r.sent && r.reason === 'sent') sent[i].push(String(status));
      else unexpected++;
    } catch (e) {
      if (!(e instanceof OkerrError)) notOkerrError++;
      rejected[e?.code] = (rejected[e?.code] ?? 0) + 1;
    }
    done++;
    if (done % Math.max(1, Math.floor(UPDATES / SAMPLES)) === 0) samples.push({ done, ...memory() });
  }
}

const t0 = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const settledAt = Date.now();
const elapsedMs = performance.now() - t0;
const resources = process.getActiveResourcesInfo();
writeFileSync(
  reportPath,
  JSON.stringify({ settledAt, elapsedMs, sent, rejected, notOkerrError, unexpected, samples, end: memory(), resources }),
);
// Nothing else: the process must now exit on its own.
