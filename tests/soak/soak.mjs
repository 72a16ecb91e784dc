// Soak: many updates over many indicators through the installed package, with a share of the
// server's answers failing (503 from the server's `failRate`), in a separate client process.
// Checks: every update that resolved as sent is stored on the server exactly once (the
// per-indicator counters, and for numerical indicators the update log), every rejection is an OkerrError, no unhandled
// rejection (the client runs with --unhandled-rejections=strict), the client exits by itself
// promptly after its last promise settled (no timer or socket left), wasm memory and the JS heap
// stay flat after warm-up, and the whole run stays within its time budget.
//
//   node tests/soak/soak.mjs            5,000 updates over 500 indicators (run by make test)
//   node tests/soak/soak.mjs --full     100,000 updates over 1,000 indicators
//   node tests/soak/soak.mjs --updates N --indicators M --fail-rate R
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
const BUDGET_MS = arg('--budget-ms', full ? 600_000 : 120_000);
const EXIT_WITHIN_MS = 1500;
// Growth allowed between the sample after a fifth of the run and the end.
const WASM_GROWTH_MAX = 1 << 20;
const HEAP_GROWTH_MAX = 16 << 20;

const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
};

const srv = await startOkerrServer({
  projects: [{ textid: 'soak', policies: { Default: { secret: 'soak-secret' } }, maxIndicators: INDICATORS + 10 }],
  failRate: FAIL_RATE,
  seed: 7,
  keepReceived: false,
});
const dir = mkdtempSync(join(tmpdir(), 'okerr-soak-'));
const reportPath = join(dir, 'report.json');
const t0 = Date.now();
const child = spawn(
  process.execPath,
  ['--unhandled-rejections=strict', '--expose-gc', join(here, 'client.mjs'), srv.url, String(UPDATES), String(INDICATORS), reportPath],
  { stdio: ['ignore', 'inherit', 'inherit'], cwd: here },
);
const killer = setTimeout(() => child.kill('SIGKILL'), BUDGET_MS);
const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
const exitedAt = Date.now();
clearTimeout(killer);

check(code === 0 && signal === null, `client exited with code ${code}, signal ${signal} (an unhandled rejection or a crash?)`);
let report = null;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch (e) {
  failures.push(`no report from the client: ${e.message}`);
}

if (report) {
  const exitLag = exitedAt - report.settledAt;
  check(exitLag < EXIT_WITHIN_MS, `the client took ${exitLag} ms to exit after its last promise settled (active: ${report.resources.join(', ')})`);
  check(exitedAt - t0 < BUDGET_MS, `the run took ${exitedAt - t0} ms, over the budget of ${BUDGET_MS}`);
  check(report.notOkerrError === 0, `${report.notOkerrError} rejections were not OkerrErrors`);
  check(report.unexpected === 0, `${report.unexpected} updates resolved without being sent`);

  let sentTotal = 0;
  let mismatched = 0;
  for (let i = 0; i < INDICATORS; i++) {
    const name = `soak-${i}`;
    const sent = report.sent[i];
    sentTotal += sent.length;
    const counters = srv.stats.perIndicator[`${name}@soak`] ?? { accepted: 0 };
    const ind = srv.indicator('soak', name);
    // okerr logs numerical updates only, each value as the string sent: for those the log shows
    // exactly which updates were stored; string and heartbeat ones are checked by the counters.
    const stored = (ind?.log ?? []).map((e) => e.y);
    const method = ['string', 'numerical', 'heartbeat'][i % 3];
    const same =
      counters.accepted === sent.length &&
      (method !== 'numerical' ||
        (stored.length === sent.length && JSON.stringify([...stored].sort()) === JSON.stringify([...sent].sort())));
    if (!same) {
      mismatched++;
      if (mismatched <= 3) failures.push(`${name}: client sent ${sent.length}, server accepted ${counters.accepted}, logged ${stored.length}`);
    }
  }
  check(mismatched === 0, `${mismatched} indicators differ between what resolved as sent and what the server stored`);
  const rejectedTotal = Object.values(report.rejected).reduce((a, b) => a + b, 0);
  check(sentTotal + rejectedTotal === UPDATES, `sent ${sentTotal} + rejected ${rejectedTotal} != ${UPDATES}`);
  check(srv.stats.updates.accepted === sentTotal, `server accepted ${srv.stats.updates.accepted}, client saw ${sentTotal} sent`);
  const attempts = srv.stats.updates.accepted + srv.stats.updates.faulted;
  const injected = srv.stats.updates.faulted / attempts;
  if (FAIL_RATE > 0) check(Math.abs(injected - FAIL_RATE) < 0.03, `injected failure rate ${injected.toFixed(3)}, wanted ${FAIL_RATE}`);

  const warm = report.samples[Math.max(0, Math.floor(report.samples.length / 5) - 1)] ?? report.samples[0];
  const wasmGrowth = report.end.wasm - warm.wasm;
  const heapGrowth = report.end.heapUsed - warm.heapUsed;
  check(report.end.wasm !== null, 'the wasm memory could not be read');
  check(wasmGrowth <= WASM_GROWTH_MAX, `wasm memory grew by ${wasmGrowth} bytes after warm-up`);
  check(heapGrowth <= HEAP_GROWTH_MAX, `the JS heap grew by ${heapGrowth} bytes after warm-up`);

  const mb = (n) => `${(n / 1048576).toFixed(2)} MiB`;
  console.log(`soak: ${UPDATES} updates over ${INDICATORS} indicators, failRate ${FAIL_RATE}, in ${(report.elapsedMs / 1000).toFixed(1)} s (${Math.round(UPDATES / (report.elapsedMs / 1000))}/s)`);
  console.log(`  server: ${srv.stats.updates.accepted} accepted, ${srv.stats.updates.faulted} injected failures (${(injected * 100).toFixed(1)}% of ${attempts} attempts)`);
  console.log(`  client: ${sentTotal} sent, rejected ${JSON.stringify(report.rejected)}, non-OkerrError rejections ${report.notOkerrError}`);
  console.log(`  exactly once: ${INDICATORS - mismatched} of ${INDICATORS} indicators match the server; exit ${exitLag} ms after the last promise settled`);
  console.log(`  memory after warm-up -> end: wasm ${mb(warm.wasm)} -> ${mb(report.end.wasm)}, JS heap ${mb(warm.heapUsed)} -> ${mb(report.end.heapUsed)}`);
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
