// Soak: many updates over many indicators through the installed package, in a separate client
// process, while the local server injects a fault into a share of the requests (`failRate`):
// every kind it can inject (see FAULTS below), on updates and on director calls. The client
// sends through two projects: three quarters of the indicators with retries, a quarter
// without (so lost answers also end in failed updates, and the director is asked again often).
//
// Retries make delivery at-least-once, so "stored exactly once" is not the promise. What is
// checked, per update (its details `u<n>` identify it in the server's records):
//   - every call settles: resolved as sent, or rejected with an OkerrError whose code is one of
//     the stable codes a fault can cause (nothing resolves without being sent);
//   - an update resolved as sent got exactly one `OK` answer and is stored at least once;
//   - an update rejected got no `OK` answer;
//   - stored copies beyond the one `OK` answered only come from attempts whose answer the
//     client never received (`stored <= OK answers + lost answers`): so an update whose every
//     attempt was refused before storing is never stored, and duplicates exist only where a
//     fault (or the timeout) lost the answer after the server stored it. They are counted and
//     reported, with the faults that caused them;
//   - the indicator logs agree with the server's records (a faulted request never stores);
//   - the client exits by itself promptly after its last promise settled (no timer or socket
//     left), with no unhandled rejection (--unhandled-rejections=strict);
//   - wasm memory and the JS heap stay flat after warm-up; the run stays within its budget.
//
//   node tests/soak/soak.mjs            5,000 updates over 500 indicators (run by make test)
//   node tests/soak/soak.mjs --full     100,000 updates over 1,000 indicators (make soak)
//   node tests/soak/soak.mjs --updates N --indicators M --fail-rate R --timeout-ms T --retries K
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOkerrServer } from '../server/okerr-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const full = args.includes('--full');
const UPDATES = arg('--updates', full ? 100_000 : 5_000);
const INDICATORS = arg('--indicators', full ? 1_000 : 500);
const FAIL_RATE = arg('--fail-rate', 0.1);
const TIMEOUT_MS = arg('--timeout-ms', 2000);
const RETRIES = arg('--retries', 2);
const BUDGET_MS = arg('--budget-ms', full ? 900_000 : 120_000);
const EXIT_WITHIN_MS = 1500;
// Growth allowed between the sample after a fifth of the run and the end.
const WASM_GROWTH_MAX = 1 << 20;
const HEAP_GROWTH_MAX = 16 << 20;
// The codes a rejection may carry here: what the injected faults mean, nothing else.
const STABLE_CODES = ['HTTP', 'TIMEOUT', 'NETWORK', 'REJECTED', 'DIRECTOR', 'LIMIT_MAXINDICATORS'];

const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};

/** A port nothing listens on, for a director that names a dead node. */
async function closedPort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

const LATE_MS = TIMEOUT_MS + 500;
const dead = `http://127.0.0.1:${await closedPort()}/`;
// Every kind of fault the server can inject (tests/server/faults.mjs), each equally likely.
const FAULTS = {
  update: [
    { kind: 'status', status: 500 },
    { kind: 'status', status: 502 },
    { kind: 'status', status: 503 },
    { kind: 'status', status: 504 },
    { kind: 'status', status: 429 },
    { kind: 'status', status: 503, retryAfter: '1' },
    { kind: 'status', status: 429, retryAfter: '1' },
    { kind: 'status', status: 503, retryAfter: 'date' }, // an HTTP date about a second ahead
    { kind: 'status', status: 503, retryAfter: 'soon' }, // unreadable: the backoff applies
    { kind: 'status', status: 400, body: 'ERROR:LIMIT_MAXINDICATORS Project already has 1010' },
    { kind: 'hang' }, // beyond the timeout: never answered
    { kind: 'delay', ms: 100 }, // a slow answer within the timeout
    { kind: 'delay', ms: LATE_MS }, // stored after the client gave up
    { kind: 'delay', ms: LATE_MS, after: true }, // stored at once, answered after the timeout
    { kind: 'reset', at: 'connect' },
    { kind: 'reset', at: 'headers' },
    { kind: 'reset', at: 'partial' },
    { kind: 'reset', at: 'partial', after: true }, // stored, then the answer is lost
    { kind: 'garbage', body: '<html>captive portal</html>' }, // 200 without OK
    { kind: 'body', status: 200, body: '' },
    { kind: 'body', status: 500, size: 1_000_000 },
    { kind: 'body', status: 400, bytes: [0xff, 0xfe, 0x41, 0x80, 0x0a, 0xc3, 0x28, 0x1b, 0x5b, 0x32, 0x4a] },
  ],
  director: [
    { kind: 'status', status: 500 },
    { kind: 'status', status: 503 },
    { kind: 'status', status: 429, retryAfter: '1' },
    { kind: 'status', status: 404, body: '' },
    { kind: 'hang' },
    { kind: 'delay', ms: 100 },
    { kind: 'reset', at: 'connect' },
    { kind: 'reset', at: 'partial' },
    { kind: 'garbage' },
    { kind: 'body', status: 200, bytes: [0x68, 0x74, 0x74, 0x70, 0xff, 0xfe, 0x80] },
    { kind: 'directorUrl', url: 'javascript:alert(1)' },
    { kind: 'directorUrl', url: dead },
  ],
};
const label = (f) =>
  [f.kind, f.status, f.at, f.ms && (f.ms > TIMEOUT_MS ? 'late' : `${f.ms}ms`), f.after && 'after', f.retryAfter !== undefined && `Retry-After ${f.retryAfter}`, f.size && '1 MB', f.bytes && 'not UTF-8', f.url, f.kind === 'status' && f.body?.slice(0, 25)]
    .filter(Boolean)
    .join(' ');
const injected = { update: {}, director: {} };
const byNote = new Map(); // the server's note of a fault -> its label
function pickFault({ kind, rand }) {
  const list = FAULTS[kind];
  const f = list[Math.floor(rand() * list.length)];
  const name = label(f);
  injected[kind][name] = (injected[kind][name] ?? 0) + 1;
  return f.retryAfter === 'date' ? { ...f, retryAfter: new Date(Date.now() + 1500).toUTCString() } : f;
}

const srv = await startOkerrServer({
  projects: [{ textid: 'soak', policies: { Default: { secret: 'soak-secret' } }, maxIndicators: INDICATORS + 10 }],
  failRate: FAIL_RATE,
  failFault: pickFault,
  seed: 7,
  keepReceived: true,
});

// The server's records, drained as they come so that they never pile up: per update, how many
// times it was stored, and how many of those stores carried a fault that loses the answer.
const stored = new Uint8Array(UPDATES);
const storedLossy = new Uint8Array(UPDATES);
let requestsStarted = 0;
let records = 0;
let updateAttempts = 0;
let updateFaults = 0;
let directorCalls = 0;
let directorFaults = 0;
let foreign = 0;
srv.server.on('request', (req) => {
  if (!req.url.startsWith('/__test')) requestsStarted++;
});
function drain() {
  for (const rec of srv.received.splice(0)) {
    records++;
    if (rec.kind === 'director') {
      directorCalls++;
      if (rec.fault) directorFaults++;
      continue;
    }
    const m = rec.kind === 'update' && /^u(\d+)$/.exec(rec.form?.details ?? '');
    if (!m || rec.textid !== 'soak') {
      foreign++;
      continue;
    }
    const n = Number(m[1]);
    updateAttempts++;
    if (rec.fault) updateFaults++;
    if (rec.outcome === 'accepted') {
      stored[n]++;
      if (/^(delay \d+ms|reset .* after)/.test(rec.fault ?? '') && !/^delay 100ms$/.test(rec.fault)) storedLossy[n]++;
    }
  }
}
const drainer = setInterval(drain, 200);

const dir = mkdtempSync(join(tmpdir(), 'okerr-soak-'));
const reportPath = join(dir, 'report.json');
const t0 = Date.now();
const child = spawn(
  process.execPath,
  ['--unhandled-rejections=strict', '--expose-gc', join(here, 'client.mjs'), srv.url, String(UPDATES), String(INDICATORS), String(TIMEOUT_MS), String(RETRIES), reportPath],
  { stdio: ['ignore', 'inherit', 'inherit'], cwd: here },
);
const killer = setTimeout(() => child.kill('SIGKILL'), BUDGET_MS);
const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
const exitedAt = Date.now();
clearTimeout(killer);

// Requests the client gave up on may still be in the server (a late delay stores after the
// client's timeout): wait until every request has its record, or long enough for any of them.
const quietBy = Date.now() + LATE_MS * 3;
while (records + srv.received.length < requestsStarted && Date.now() < quietBy) await new Promise((r) => setTimeout(r, 50));
clearInterval(drainer);
drain();

check(code === 0 && signal === null, `client exited with code ${code}, signal ${signal} (an unhandled rejection or a crash?)`);
let report = null;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch (e) {
  failures.push(`no report from the client: ${e.message}`);
}

const mb = (n) => `${(n / 1048576).toFixed(2)} MiB`;
if (report) {
  const exitLag = exitedAt - report.settledAt;
  check(exitLag < EXIT_WITHIN_MS, `the client took ${exitLag} ms to exit after its last promise settled (active: ${report.resources.join(', ')})`);
  check(exitedAt - t0 < BUDGET_MS, `the run took ${exitedAt - t0} ms, over the budget of ${BUDGET_MS}`);
  check(report.notOkerrError === 0, `${report.notOkerrError} rejections were not OkerrErrors`);

  const METHODS = ['string', 'numerical', 'heartbeat'];
  const rejected = {};
  const bad = { unsettled: [], unexpected: [], sentNotOnce: [], rejectedWithOk: [], sentNotStored: [], storedUnexplained: [], refusedButStored: [] };
  let sent = 0;
  let duplicated = 0;
  let extraCopies = 0;
  let storedButRejected = 0;
  let lossyExplained = 0;
  let copies = 0;
  let lostAnswers = 0;
  for (let n = 0; n < UPDATES; n++) {
    const [r, ok, lost] = [report.result[n], report.okAnswers[n], report.lostAnswers[n]];
    lostAnswers += lost;
    if (r === 0) bad.unsettled.push(n);
    else if (r === 3) bad.unexpected.push(n);
    else if (r === 1) {
      sent++;
      if (ok !== 1) bad.sentNotOnce.push(n);
      if (stored[n] < 1) bad.sentNotStored.push(n);
      if (stored[n] > 1) {
        duplicated++;
        extraCopies += stored[n] - 1;
      }
    } else {
      const c = report.codes[report.codeOf[n] - 1];
      rejected[c] = (rejected[c] ?? 0) + 1;
      if (ok !== 0) bad.rejectedWithOk.push(n);
      if (stored[n] > 0) storedButRejected++;
      if (lost === 0 && stored[n] > 0) bad.refusedButStored.push(n);
    }
    if (stored[n] > ok + lost) bad.storedUnexplained.push(n);
    copies += Math.max(0, stored[n] - ok);
    lossyExplained += Math.min(storedLossy[n], Math.max(0, stored[n] - ok));
  }
  const show = (list) => list.slice(0, 5).map((n) => `u${n} (sent ${report.result[n]}, OK ${report.okAnswers[n]}, other ${report.otherAnswers[n]}, lost ${report.lostAnswers[n]}, stored ${stored[n]})`).join('; ');
  check(bad.unsettled.length === 0, `${bad.unsettled.length} updates never settled: ${show(bad.unsettled)}`);
  check(bad.unexpected.length === 0, `${bad.unexpected.length} updates resolved without being sent: ${show(bad.unexpected)}`);
  check(bad.sentNotOnce.length === 0, `${bad.sentNotOnce.length} updates resolved as sent without exactly one OK answer: ${show(bad.sentNotOnce)}`);
  check(bad.sentNotStored.length === 0, `${bad.sentNotStored.length} updates resolved as sent are not on the server: ${show(bad.sentNotStored)}`);
  check(bad.rejectedWithOk.length === 0, `${bad.rejectedWithOk.length} updates rejected after an OK answer: ${show(bad.rejectedWithOk)}`);
  check(bad.refusedButStored.length === 0, `${bad.refusedButStored.length} updates refused on every attempt are stored: ${show(bad.refusedButStored)}`);
  check(bad.storedUnexplained.length === 0, `${bad.storedUnexplained.length} updates stored more often than answered OK or lost: ${show(bad.storedUnexplained)}`);
  const odd = Object.keys(rejected).filter((c) => !STABLE_CODES.includes(c));
  check(odd.length === 0, `rejections with codes no fault explains: ${odd.join(', ')}`);
  const rejectedTotal = Object.values(rejected).reduce((a, b) => a + b, 0);
  check(sent + rejectedTotal === UPDATES, `sent ${sent} + rejected ${rejectedTotal} != ${UPDATES}`);

  // The server's own view agrees with its records: the logs hold exactly the stored updates.
  let logMismatch = 0;
  const byIndicator = new Map();
  for (let n = 0; n < UPDATES; n++) {
    const i = n % INDICATORS;
    const list = byIndicator.get(i) ?? [];
    for (let k = 0; k < stored[n]; k++) list.push(n);
    byIndicator.set(i, list);
  }
  for (let i = 0; i < INDICATORS; i++) {
    const name = `soak-${i}`;
    const expected = byIndicator.get(i) ?? [];
    const log = srv.indicator('soak', name)?.log ?? [];
    const accepted = srv.stats.perIndicator[`${name}@soak`]?.accepted ?? 0;
    const method = METHODS[i % 3];
    // okerr logs numerical updates only, each value as the string sent: for those the log
    // shows exactly which updates were stored; string and heartbeat ones are checked by the
    // counters alone.
    const values = log.map((e) => String(e.y));
    const want = expected.map((n) => String(n));
    const norm = (list) => JSON.stringify(list.map((v) => String(Number(v))).sort());
    const same =
      accepted === expected.length &&
      (method === 'numerical' ? log.length === expected.length && norm(values) === norm(want) : log.length === 0);
    if (!same) {
      logMismatch++;
      if (logMismatch <= 3) failures.push(`${name}: records say stored ${expected.length}, the server counted ${accepted}, its log holds ${log.length}`);
    }
  }
  check(logMismatch === 0, `${logMismatch} indicators' logs differ from the server's records`);
  check(foreign === 0, `${foreign} requests the soak did not send`);
  const rate = (updateFaults + directorFaults) / (updateAttempts + directorCalls);
  if (FAIL_RATE > 0) {
    check(Math.abs(rate - FAIL_RATE) < 0.03, `injected fault rate ${rate.toFixed(3)}, wanted ${FAIL_RATE}`);
    const missing = FAULTS.update.map(label).filter((l) => !injected.update[l]);
    check(missing.length === 0, `fault kinds never injected into updates: ${missing.join('; ')}`);
  }

  const warm = report.samples[Math.max(0, Math.floor(report.samples.length / 5) - 1)] ?? report.samples[0];
  const wasmGrowth = report.end.wasm - warm.wasm;
  const heapGrowth = report.end.heapUsed - warm.heapUsed;
  check(report.end.wasm !== null, 'the wasm memory could not be read');
  check(wasmGrowth <= WASM_GROWTH_MAX, `wasm memory grew by ${wasmGrowth} bytes after warm-up`);
  check(heapGrowth <= HEAP_GROWTH_MAX, `the JS heap grew by ${heapGrowth} bytes after warm-up`);

  const count = (o) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`).join(', ');
  const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
  console.log(`soak: ${UPDATES} updates over ${INDICATORS} indicators, failRate ${FAIL_RATE}, timeoutMs ${TIMEOUT_MS}, retries ${RETRIES}, in ${(report.elapsedMs / 1000).toFixed(1)} s (${Math.round(UPDATES / (report.elapsedMs / 1000))}/s)`);
  console.log(`  requests: ${updateAttempts} update attempts (${updateFaults} faulted), ${directorCalls} director calls (${directorFaults} faulted): ${(rate * 100).toFixed(1)}% injected`);
  console.log(`  injected into updates (${sum(injected.update)}): ${count(injected.update)}`);
  console.log(`  injected into director calls (${sum(injected.director)}): ${count(injected.director)}`);
  console.log(`  client: ${sent} sent, ${rejectedTotal} rejected (${count(rejected)}); non-OkerrError rejections ${report.notOkerrError}; ${lostAnswers} answers lost to the client`);
  console.log(`  at least once: ${sent - bad.sentNotStored.length} of ${sent} sent updates stored; ${bad.refusedButStored.length} updates refused on every attempt stored`);
  console.log(`  duplicates: ${duplicated} sent updates stored more than once (${extraCopies} extra copies), ${storedButRejected} rejected updates stored anyway; of these ${copies} copies without an OK answer, ${lossyExplained} follow an injected fault that lost the answer after storing, ${copies - lossyExplained} a normal answer the client's timeout cut off`);
  console.log(`  exit ${exitLag} ms after the last promise settled`);
  console.log(`  memory start -> after warm-up -> end: wasm ${mb(report.start.wasm)} -> ${mb(warm.wasm)} -> ${mb(report.end.wasm)}, JS heap ${mb(report.start.heapUsed)} -> ${mb(warm.heapUsed)} -> ${mb(report.end.heapUsed)}`);
  console.log(`  samples (updates done: wasm / heap): ${report.samples.map((s) => `${s.done}: ${mb(s.wasm)} / ${mb(s.heapUsed)}`).join(', ')}`);
}

await srv.close();
rmSync(dir, { recursive: true, force: true });
if (failures.length) {
  console.log(`soak FAILED:\n  ${failures.join('\n  ')}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
} else {
  console.log('1 passed, 0 failed');
}
