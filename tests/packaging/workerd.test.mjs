// Cloudflare Workers: the Worker in projects/workerd bundled by wrangler exactly as
// `wrangler deploy` bundles it (--dry-run --outdir), then run in workerd through Miniflare, with
// the bundle's .wasm as a CompiledWasm module (wrangler's own module rule for .wasm).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bin, freshProject, okerrServer, runOk, updates, SECRET, SETUP_TIMEOUT } from './helpers.mjs';
import { startWorkerd } from '../workerd.mjs';

let server;
let dir;
let mf;
let workerdLog = () => '';

before(async () => {
  server = await okerrServer('workerd-pkg');
  dir = await freshProject('workerd');
  await runOk(bin('wrangler'), ['deploy', '--dry-run', '--outdir', 'dist'], {
    cwd: dir,
    env: { WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    timeoutMs: 120_000,
  });
  const vars = readFileSync(join(dir, 'wrangler.toml'), 'utf8').match(/OKERR_TEXTID = "([^"]+)"/)[1];
  const started = await startWorkerd(dir, { OKERR_TEXTID: vars, OKERR_SECRET: SECRET, OKERR_URL: server.url });
  mf = started.mf;
  workerdLog = started.log;
}, { timeout: SETUP_TIMEOUT });
after(async () => {
  await mf?.dispose();
  await server?.close();
}, { timeout: SETUP_TIMEOUT });

test('workerd: wrangler bundles the workerd entry with the one .wasm as a module, not inlined', () => {
  const files = readdirSync(join(dir, 'dist'));
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one .wasm in ${files}`);
  const bundle = readFileSync(join(dir, 'dist/index.js'), 'utf8');
  assert.match(bundle, new RegExp(`import \\w+ from "\\./${wasm[0].replace('.', '\\.')}"`));
  assert.match(bundle, /node_modules\/okerrupdate\/workerd\.mjs/);
  assert.doesNotMatch(bundle, /wasmBase64/);
});

test('workerd: fetch() sends a numerical update and answers with the result', async () => {
  const res = await mf.dispatchFetch('http://worker.example/?value=42');
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { sent: true, reason: 'sent' });
  const got = updates(server).find((u) => u.name === 'worker:requests');
  assert.equal(got?.outcome, 'accepted');
  assert.equal(got.status, '42');
  assert.equal(got.form.method, 'numerical|maxlim=100');
  assert.equal(got.form.secret, SECRET);
  assert.equal(server.indicator('workerd-pkg', 'worker:requests').status, 'OK');
});

test('workerd: the project kept per isolate throttles the next request and asks the director once', async () => {
  const lookups = () => server.received.filter((r) => r.kind === 'director').length;
  const before = lookups();
  assert.ok(before >= 1, 'the first request asked the director');
  const res = await mf.dispatchFetch('http://worker.example/?value=43');
  assert.deepEqual(await res.json(), { sent: false, reason: 'throttled' });
  assert.equal(updates(server).filter((u) => u.name === 'worker:requests').length, 1);
  assert.equal(lookups(), before, 'no second director lookup');
});

test('workerd: a bad value is an OkerrError (INVALID_ARGUMENT) before anything is sent', async () => {
  const before = updates(server).length;
  const res = await mf.dispatchFetch('http://worker.example/?value=lots');
  assert.equal(res.status, 400);
  assert.equal((await res.json()).code, 'INVALID_ARGUMENT');
  assert.equal(updates(server).length, before);
});

test('workerd: scheduled() sends a heartbeat kept alive by ctx.waitUntil', async () => {
  const worker = await mf.getWorker();
  const result = await worker.scheduled({ cron: '*/5 * * * *' });
  assert.equal(result.outcome, 'ok');
  const got = updates(server).find((u) => u.name === 'worker:cron');
  assert.equal(got?.outcome, 'accepted');
  assert.equal(got.status, 'OK');
  assert.equal(got.form.details, 'cron */5 * * * *');
  const job = updates(server).find((u) => u.name === 'worker:nightly');
  assert.equal(job?.status, 'OK', 'the job run() reported, kept alive by waitUntil');
  assert.match(job.form.details, /^ok in \d+\.\d\d s$/);
});

test('workerd: wrap() reports each call, run settles like the job, flush() waits for what nobody awaited', async () => {
  let res = await mf.dispatchFetch('http://worker.example/job');
  assert.deepEqual(await res.json(), { value: 42, flushed: { settled: 1, pending: 0 } });
  res = await mf.dispatchFetch('http://worker.example/job?fail');
  assert.deepEqual(await res.json(), { error: 'job failed after 21 items', flushed: { settled: 1, pending: 0 } });
  const reports = updates(server).filter((u) => u.name === 'worker:job');
  assert.deepEqual(reports.map((u) => u.status), ['OK', 'ERR']);
  assert.match(reports[1].form.details, /^failed in \d+\.\d\d s: job failed after 21 items$/);
  assert.deepEqual(updates(server).filter((u) => u.name === 'worker:unawaited').map((u) => u.status), ['OK', 'ERR']);
});

test('workerd: every response body the package fetched is read, accepted or refused (no stalled connections)', async () => {
  const res = await mf.dispatchFetch('http://worker.example/__test/bodies');
  assert.equal(res.status, 200);
  const out = await res.json();
  assert.equal(out.results.length, 8);
  assert.ok(out.results.every((r) => r.sent && r.reason === 'sent'), JSON.stringify(out.results));
  assert.equal(out.refused, 'HTTP', 'a 400 answer (wrong secret) is an OkerrError with code HTTP');
  assert.ok(out.fetched >= 10, `director + 8 updates + the refused one, got ${out.fetched}`);
  assert.equal(out.consumed, out.fetched);
  assert.doesNotMatch(workerdLog(), /stalled|deadlock/i);
});

// Many requests at once on a cold isolate: each scenario gets an isolate of its own (a new
// Miniflare on the same bundle), a director and an /update that answer slowly enough that the
// requests overlap, and dispatches every request at once.
function coldIsolate() {
  return startWorkerd(dir, { OKERR_TEXTID: 'workerd-pkg', OKERR_SECRET: SECRET, OKERR_URL: server.url });
}

async function until(check, what, ms = 20_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const n of [8, 50]) {
  for (const direct of [false, true]) {
    for (const wait of ['await', 'until']) {
      for (const names of ['distinct', 'same']) {
        const label = `${n} at once, ${direct ? 'direct' : 'director'}, ${wait === 'await' ? 'awaited' : 'waitUntil'}, ${names} names`;
        test(`workerd: concurrent requests on a cold isolate: ${label}: every answer 200, every update delivered once`, async () => {
          const tag = `burst:${n}:${direct ? 'd' : 'r'}:${wait}:${names}`;
          const name = (i) => (names === 'same' ? tag : `${tag}:${i}`);
          server.addFault({ path: '/api/director/', kind: 'delay', ms: 150, times: -1 });
          server.addFault({ path: '/update', kind: 'delay', ms: 50, times: -1 });
          const cold = await coldIsolate();
          try {
            const sent = () => updates(server).filter((u) => u.name.startsWith(tag));
            const answers = await Promise.all(
              Array.from({ length: n }, (_, i) =>
                cold.mf.dispatchFetch(`http://worker.example/burst?name=${encodeURIComponent(name(i))}&direct=${direct ? 1 : 0}&wait=${wait}`)
                  .then(async (r) => ({ status: r.status, body: await r.text() })),
              ),
            );
            const bad = answers.filter((a) => a.status !== 200);
            assert.deepEqual(bad, [], `${bad.length} of ${n} answers were not 200\n--- workerd said:\n${cold.log()}`);
            const expected = names === 'same' ? 1 : n;
            await until(() => sent().length >= expected, `${expected} updates`);
            // Give a duplicate the time to arrive, then count.
            await new Promise((r) => setTimeout(r, 300));
            const got = sent();
            if (names === 'distinct') {
              assert.deepEqual(got.map((u) => u.name).sort(), Array.from({ length: n }, (_, i) => name(i)).sort());
            } else {
              assert.equal(got.length, 1, 'identical updates at once coalesce into one send');
            }
            assert.ok(got.every((u) => u.outcome === 'accepted'));
            if (wait === 'await') {
              // Each request gets its update's result: sent, or for identical updates one that
              // came after the send was accepted, throttled.
              const ok = names === 'same' ? ['sent', 'throttled'] : ['sent'];
              for (const a of answers) assert.ok(ok.includes(JSON.parse(a.body).reason), a.body);
            }
            assert.doesNotMatch(cold.log(), /different request context|hung|canceled/i);
          } finally {
            server.clearFaults?.();
            await cold.mf.dispose();
          }
        });
      }
    }
  }
}

test('tsc --strict: the Worker itself type-checks with @cloudflare/workers-types', async () => {
  await runOk(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: dir });
});
