// okerrupdate/stores/redis against a real Redis: Debian's redis-server, started here on a free
// port of 127.0.0.1 (scripts/setup.sh installs it), driven through a tiny RESP client.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, beforeEach, test } from 'node:test';
import { OkerrProject } from 'okerrupdate';
import { CLAIM_SCRIPT, redisThrottleStore } from 'okerrupdate/stores/redis';
import { startServer, SECRET, TEXTID } from '../node/helpers.mjs';
import { fleetProcess, freePort, posts } from './helpers.mjs';
import { connect } from './resp.mjs';

let server;
let redisServer;
let port;
let redis;

before(async () => {
  server = await startServer();
  port = await freePort();
  redisServer = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  redisServer.stdout.on('data', (d) => (said += d));
  for (let i = 0; ; i++) {
    try {
      redis = await connect(port);
      break;
    } catch (e) {
      if (i > 100) throw new Error(`redis-server did not start: ${e.message}\n${said}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
});
after(async () => {
  redis?.close();
  redisServer?.kill();
  await server?.close();
});
beforeEach(() => server.clearReceived());

const project = (more = {}) =>
  new OkerrProject({ textid: TEXTID, secret: SECRET, url: server.url, direct: true, retries: 0, logLevel: 'warn', throttleStore: redisThrottleStore(redis.eval), ...more });

for (const mode of ['shared', 'each']) {
  const label = mode === 'shared' ? 'one project per process' : 'a project per update';
  test(`two processes x 25 concurrent updates of one name (${label}): exactly one POST`, async () => {
    const name = `fleet:${mode}`;
    const fleet = await Promise.all(
      [0, 1].map(() => fleetProcess(process.execPath, ['redis-process.mjs', server.url, String(port), name, '25', mode])),
    );
    fleet.forEach((p) => p.go());
    const results = (await Promise.all(fleet.map((p) => p.done))).flat();
    assert.equal(results.length, 50);
    assert.deepEqual(posts(server, name), ['OK']);
    // Identical updates in flight in one process share its send: 'sent' for those, and
    // 'throttled' for every other.
    const sentCount = results.filter((r) => r === 'sent').length;
    assert.equal(results.filter((r) => r === 'throttled').length, 50 - sentCount);
    assert.ok(sentCount === (mode === 'shared' ? 25 : 1), `${sentCount} sent`);
  });
}

test('status flips between processes go through, each once', async () => {
  const [a, b] = [project(), project()];
  const flips = [
    [a, 'OK', 'sent'],
    [b, 'OK', 'throttled'],
    [b, 'ERR', 'sent'],
    [a, 'ERR', 'throttled'],
    [a, 'OK', 'sent'],
    [b, 'ERR', 'sent'],
    [a, 'ERR', 'throttled'],
  ];
  for (const [p, status, want] of flips) assert.equal((await p.indicator('flip').update(status)).reason, want, status);
  assert.deepEqual(posts(server, 'flip'), ['OK', 'ERR', 'OK', 'ERR']);
});

test('a skip does not extend the window: the record keeps its age and its expiry', async () => {
  const [a, b] = [project({ throttleSeconds: 1 }), project({ throttleSeconds: 1 })];
  const key = `okerr/${TEXTID}/window`;
  assert.equal((await a.indicator('window').update('OK')).reason, 'sent');
  const at = await redis.command('HGET', key, 'at');
  await new Promise((r) => setTimeout(r, 500));
  const ttlBefore = await redis.command('PTTL', key);
  assert.equal((await b.indicator('window').update('OK')).reason, 'throttled');
  const ttlAfter = await redis.command('PTTL', key);
  assert.ok(ttlAfter <= ttlBefore && ttlAfter < 600, `PTTL ${ttlBefore} -> ${ttlAfter}: the skip moved the expiry`);
  assert.equal(await redis.command('HGET', key, 'at'), at);
  await new Promise((r) => setTimeout(r, 600));
  // One period after the claim, not after the skip: sent.
  assert.equal((await b.indicator('window').update('OK')).reason, 'sent');
  assert.deepEqual(posts(server, 'window'), ['OK', 'OK']);
});

test('numerical: any value throttles within the period', async () => {
  const [a, b] = [project(), project()];
  const n = (p) => p.indicator('redis:num', { method: 'numerical' });
  assert.equal((await n(a).update(1)).reason, 'sent');
  assert.equal((await n(b).update(2)).reason, 'throttled');
  assert.deepEqual(posts(server, 'redis:num'), ['1']);
});

test('a failed send releases its claim (only its own) so the next update is sent', async () => {
  const [a, b] = [project(), project()];
  server.addFault({ path: '/update', kind: 'status', status: 400, body: 'Bad secret' });
  await assert.rejects(a.indicator('redis:rel').update('OK'));
  assert.equal(await redis.command('EXISTS', `okerr/${TEXTID}/redis:rel`), 0);
  assert.equal((await b.indicator('redis:rel').update('OK')).reason, 'sent');
  // The release script keeps a record that holds another token.
  const store = redisThrottleStore(redis.eval);
  await store.release(`okerr/${TEXTID}/redis:rel`, 'not-the-token');
  assert.equal(await redis.command('EXISTS', `okerr/${TEXTID}/redis:rel`), 1);
});

test('a key Redis cannot use (another type) fails open: sent, and warned', async () => {
  const lines = [];
  const logger = { debug() {}, info() {}, warn: (m) => lines.push(m), error() {} };
  await redis.command('SET', `okerr/${TEXTID}/redis:wrongtype`, 'a string');
  assert.equal((await project({ logger }).indicator('redis:wrongtype').update('OK')).reason, 'sent');
  assert.match(lines[0], /throttleStore\.claim for redis:wrongtype@proj failed: .*WRONGTYPE/);
});

test('the claim script answers 0 or 1 and a junk reply fails open', async () => {
  assert.equal(await redis.eval(CLAIM_SCRIPT, ['script:x'], ['OK', '0', 't1', '60000']), 1);
  assert.equal(await redis.eval(CLAIM_SCRIPT, ['script:x'], ['OK', '0', 't2', '60000']), 0);
  assert.equal(await redis.eval(CLAIM_SCRIPT, ['script:x'], ['ERR', '0', 't3', '60000']), 1);
  const junk = redisThrottleStore(async () => 'OK');
  await assert.rejects(junk.claim('k', 'OK', false, 't', 1000), /answered string, not 0 or 1/);
  assert.throws(() => redisThrottleStore('redis://localhost'), TypeError);
});
