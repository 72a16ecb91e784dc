// The soak's client process: many updates through the installed package, then nothing. It is
// run with --unhandled-rejections=strict and must exit by itself once the last promise has
// settled: a timer or socket left behind would keep it alive, and the driver measures that.
//
//   node --unhandled-rejections=strict --expose-gc client.mjs URL UPDATES INDICATORS TIMEOUT_MS RETRIES REPORT.json
//
// Update number n goes to indicator n % INDICATORS with details `u<n>`, which the driver finds
// in the server's records. A test-only `fetch` counts, per update, the attempts whose answer
// the client received (an `OK`, or anything else) and those whose answer it never got (a
// timeout, a reset): only those may have been stored without the client knowing.
import { writeFileSync } from 'node:fs';

const [url, updatesArg, indicatorsArg, timeoutArg, retriesArg, reportPath] = process.argv.slice(2);
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

// Per update, preallocated so that counting adds nothing to the heap being measured.
const result = new Uint8Array(UPDATES); // 0 pending, 1 sent, 2 rejected, 3 resolved but not sent
const codeOf = new Uint8Array(UPDATES); // index into `codes` + 1, for rejected updates
const okAnswers = new Uint8Array(UPDATES);
const otherAnswers = new Uint8Array(UPDATES);
const lostAnswers = new Uint8Array(UPDATES);
const codes = [];
let notOkerrError = 0;
let directorAnswers = 0;
let directorLost = 0;

const ID = /(?:^|&)details=u(\d+)(?:&|$)/;
const NULL_BODY = new Set([101, 204, 205, 304]);

/** The global fetch, counting what became of each attempt of each update. */
async function countingFetch(target, init) {
  const m = typeof init?.body === 'string' ? ID.exec(init.body) : null;
  const n = m ? Number(m[1]) : -1;
  let response;
  let text;
  try {
    response = await fetch(target, init);
    text = await response.text();
  } catch (e) {
    if (n >= 0) lostAnswers[n]++;
    else directorLost++;
    throw e;
  }
  if (n < 0) directorAnswers++;
  else if (response.status >= 200 && response.status < 300 && text.trim() === 'OK') okAnswers[n]++;
  else otherAnswers[n]++;
  const headers = {};
  for (const h of ['retry-after', 'location', 'content-type']) {
    const v = response.headers.get(h);
    if (v !== null) headers[h] = v;
  }
  return new Response(NULL_BODY.has(response.status) ? null : text, { status: response.status, headers });
}

// Two projects on the same server: a quarter of the indicators belong to one without retries,
// where every lost answer is a failed update and every NETWORK or TIMEOUT failure sends the
// next update to the director again, so director faults are met throughout the run.
const projects = [Number(retriesArg), 0].map(
  (retries) =>
    new OkerrProject({
      textid: 'soak',
      secret: 'soak-secret',
      url,
      timeoutMs: Number(timeoutArg),
      retries,
      backoffMs: 1,
      throttleSeconds: 0,
      logLevel: 'silent',
      fetch: countingFetch,
    }),
);

// A third each of string, numerical and heartbeat indicators; every numerical status is unique,
// so the server's update log (numerical updates only, as okerr keeps it) shows which it stored.
const METHODS = ['string', 'numerical', 'heartbeat'];
const indicators = [];
for (let i = 0; i < INDICATORS; i++) {
  indicators.push(projects[i % 4 === 3 ? 1 : 0].indicator(`soak-${i}`, { method: METHODS[i % 3] }));
}
const samples = [];

function memory() {
  globalThis.gc?.();
  return {
    heapUsed: process.memoryUsage().heapUsed,
    wasm: instance?.exports?.memory?.buffer?.byteLength ?? null,
  };
}

/** The status of update `n` (the driver computes the same). */
function statusOf(n) {
  const method = METHODS[(n % INDICATORS) % 3];
  if (method === 'string') return `v${n}`;
  if (method === 'numerical') return n;
  return Math.floor(n / INDICATORS) % 2 ? 'OK' : 'ERR';
}

let next = 0;
let done = 0;
async function worker() {
  while (next < UPDATES) {
    const n = next++;
    try {
      const r = await indicators[n % INDICATORS].update(statusOf(n), `u${n}`);
      result[n] = r.sent && r.reason === 'sent' ? 1 : 3;
    } catch (e) {
      if (!(e instanceof OkerrError)) notOkerrError++;
      const code = String(e?.code);
      if (!codes.includes(code)) codes.push(code);
      result[n] = 2;
      codeOf[n] = codes.indexOf(code) + 1;
    }
    done++;
    if (done % Math.max(1, Math.floor(UPDATES / SAMPLES)) === 0) samples.push({ done, ...memory() });
  }
}

const start = memory();
const t0 = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const settledAt = Date.now();
const elapsedMs = performance.now() - t0;
const resources = process.getActiveResourcesInfo();
// Measured before the report's arrays are made, which are not the client's memory.
const end = memory();
const list = (a) => Array.from(a);
writeFileSync(
  reportPath,
  JSON.stringify({
    settledAt,
    elapsedMs,
    result: list(result),
    codeOf: list(codeOf),
    codes,
    okAnswers: list(okAnswers),
    otherAnswers: list(otherAnswers),
    lostAnswers: list(lostAnswers),
    directorAnswers,
    directorLost,
    notOkerrError,
    samples,
    start,
    end,
    resources,
  }),
);
// Nothing else: the process must now exit on its own.
