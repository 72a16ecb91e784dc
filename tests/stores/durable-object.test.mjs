// okerrupdate/stores/durable-object in workerd: the Worker in projects/durable-object bundled by
// wrangler as `wrangler deploy` bundles it, run through Miniflare with its OkerrThrottle class
// bound as a Durable Object; many requests at once, each with a project of its own (as many
// isolates would have) or sharing the isolate's.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { startServer, SECRET, TEXTID } from '../node/helpers.mjs';
import { bin, freshProject, posts, runOk } from './helpers.mjs';
import { startWorkerd } from '../workerd.mjs';

let server;
let dir;
let mf;
let log = () => '';

before(async () => {
  server = await startServer();
  dir = await freshProject('durable-object');
  await runOk(bin('wrangler'), ['deploy', '--dry-run', '--outdir', 'dist'], { cwd: dir, env: { WRANGLER_SEND_METRICS: 'false', CI: 'true' } });
  const started = await startWorkerd(dir, { OKERR_TEXTID: TEXTID, OKERR_SECRET: SECRET, OKERR_URL: server.url }, {
    durableObjects: { OKERR_THROTTLE: { className: 'OkerrThrottle', useSQLite: true } },
  });
  mf = started.mf;
  log = started.log;
});
after(async () => {
  await mf?.dispose();
  await server?.close();
});
beforeEach(() => server.clearFaults());

const ask = (query) => mf.dispatchFetch(`http://worker.example/?${new URLSearchParams(query)}`).then(async (r) => ({ status: r.status, body: await r.json() }));

for (const per of ['request', 'isolate']) {
  test(`30 concurrent requests, a project per ${per}: one POST, every answer sent or throttled`, async () => {
    const name = `do:burst:${per}`;
    const answers = await Promise.all(Array.from({ length: 30 }, () => ask({ name, per })));
    assert.deepEqual(answers.filter((a) => a.status !== 200), [], log());
    const reasons = answers.map((a) => a.body.reason);
    assert.ok(reasons.every((r) => r === 'sent' || r === 'throttled'), reasons.join());
    if (per === 'request') assert.equal(reasons.filter((r) => r === 'sent').length, 1, 'one claim granted');
    assert.deepEqual(posts(server, name), ['OK']);
    assert.doesNotMatch(log(), /different request context|hung|canceled|throttleStore/i);
  });
}

test('status flips through the Durable Object go out; an unchanged one does not', async () => {
  const name = 'do:flip';
  const reasons = [];
  for (const status of ['OK', 'OK', 'ERR', 'ERR', 'OK']) reasons.push((await ask({ name, status, per: 'request' })).body.reason);
  assert.deepEqual(reasons, ['sent', 'throttled', 'sent', 'throttled', 'sent']);
  assert.deepEqual(posts(server, name), ['OK', 'ERR', 'OK']);
});

test('a failed send releases its claim: the next request sends', async () => {
  const name = 'do:release';
  server.addFault({ path: '/update', kind: 'status', status: 400, body: 'Bad secret' });
  assert.equal((await ask({ name, per: 'request' })).status, 502);
  assert.equal((await ask({ name, per: 'request' })).body.reason, 'sent');
  assert.equal((await ask({ name, per: 'request' })).body.reason, 'throttled');
});

test('tsc --strict: the Worker type-checks with the store\'s types and @cloudflare/workers-types', async () => {
  await runOk(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: dir });
});
