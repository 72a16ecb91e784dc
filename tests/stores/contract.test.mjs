// The throttleStore contract through the installed package: two projects (two processes of a
// fleet, as far as the throttle knows) sharing one store held in a Map, against the local
// okerr server. Then every way a store can misbehave: each must fail open (the update decided
// by the project's own memory and sent), never hang and never break the project.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { OkerrError, OkerrProject } from 'okerrupdate';
import { fastOptions, memoryLogger, startServer, updates } from '../node/helpers.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(() => server.close());
beforeEach(() => {
  server.clearFaults();
  server.clearReceived();
});

/** The contract, exactly, over one Map: what a fleet's processes share. */
function mapStore() {
  const records = new Map();
  const calls = [];
  return {
    records,
    calls,
    async claim(key, status, numerical, token, periodMs) {
      calls.push({ method: 'claim', key, status, numerical, token, periodMs });
      const r = records.get(key);
      const now = Date.now();
      if (r && now - r.at < periodMs && (numerical || r.status === status)) return false;
      records.set(key, { status, token, at: now });
      return true;
    },
    async release(key, token) {
      calls.push({ method: 'release', key, token });
      if (records.get(key)?.token === token) records.delete(key);
    },
  };
}

const sent = (name) => updates(server).filter((u) => u.form.name === name).map((u) => u.form.status);
const fleet = (store, more = {}) => [0, 1].map(() => new OkerrProject(fastOptions(server, { direct: true, retries: 0, throttleStore: store, logLevel: 'silent', ...more })));

test('two processes: the fleet sends an unchanged status once; a change goes through, and back again', async () => {
  const store = mapStore();
  const [a, b] = fleet(store);
  assert.deepEqual(await a.indicator('hb').update('OK'), { sent: true, reason: 'sent' });
  const skipped = await b.indicator('hb').update('OK');
  assert.deepEqual(skipped, { sent: false, reason: 'throttled' });
  assert.ok(Object.isFrozen(skipped));
  assert.equal((await b.indicator('hb').update('ERR')).reason, 'sent');
  // A's own memory says it sent OK within the period; the server holds B's ERR: sent.
  assert.equal((await a.indicator('hb').update('OK')).reason, 'sent');
  assert.equal((await b.indicator('hb').update('OK')).reason, 'throttled');
  assert.deepEqual(sent('hb'), ['OK', 'ERR', 'OK']);
  const claim = store.calls[0];
  assert.deepEqual({ ...claim, token: typeof claim.token }, { method: 'claim', key: 'okerr/proj/hb', status: 'OK', numerical: false, token: 'string', periodMs: 300_000 });
  const tokens = store.calls.filter((c) => c.method === 'claim').map((c) => c.token);
  assert.equal(new Set(tokens).size, tokens.length, 'a token per claim');
});

test('numerical: any value within the period is throttled across the fleet; the key is per name', async () => {
  const store = mapStore();
  const [a, b] = fleet(store);
  const num = (p, name = 'load') => p.indicator(name, { method: 'numerical|maxlim=9' });
  assert.equal((await num(a).update(1.5)).reason, 'sent');
  assert.equal((await num(b).update(2)).reason, 'throttled');
  assert.equal((await num(a).update(3)).reason, 'throttled', 'the store is asked even where memory alone skips');
  assert.equal((await num(b, 'load2').update(2)).reason, 'sent');
  assert.deepEqual(sent('load'), ['1.5']);
  assert.ok(store.calls.every((c) => c.numerical === true));
  assert.deepEqual([...store.records.keys()], ['okerr/proj/load', 'okerr/proj/load2']);
});

test('a failed send releases its claim with its token, so the next update anywhere is sent', async () => {
  const store = mapStore();
  const [a, b] = fleet(store);
  server.addFault({ path: '/update', kind: 'status', status: 400, body: 'Bad secret' });
  await assert.rejects(a.indicator('rel').update('OK'), (e) => e instanceof OkerrError && e.code === 'HTTP');
  const [claim, release] = store.calls;
  assert.deepEqual(release, { method: 'release', key: claim.key, token: claim.token });
  assert.equal(store.records.size, 0);
  assert.equal((await b.indicator('rel').update('OK')).reason, 'sent');
  // A release only deletes its own claim: a late one of an old token leaves B's record.
  await store.release(claim.key, claim.token);
  assert.equal((await a.indicator('rel').update('OK')).reason, 'throttled');
});

test('concurrent identical updates in one process ask the store once and send once', async () => {
  const store = mapStore();
  const [a, b] = fleet(store);
  const results = await Promise.all(Array.from({ length: 25 }, () => a.indicator('burst').update('OK')));
  assert.ok(results.every((r) => r.reason === 'sent'));
  const again = await Promise.all(Array.from({ length: 25 }, () => b.indicator('burst').update('OK')));
  assert.ok(again.every((r) => r.reason === 'throttled'));
  assert.equal(store.calls.length, 2, 'one claim per burst');
  assert.deepEqual(sent('burst'), ['OK']);
});

test('the wire is unchanged: the same form with a store as without', async () => {
  const [a] = fleet(mapStore());
  const plain = new OkerrProject(fastOptions(server, { direct: true, logLevel: 'silent' }));
  await a.indicator('wire', { desc: 'd' }).update('OK', 'details');
  await plain.indicator('wire2', { desc: 'd' }).update('OK', 'details');
  const [x, y] = updates(server).map((u) => ({ ...u.form, name: '' }));
  assert.deepEqual(x, y);
});

test('no store is asked with throttleSeconds: 0 or dryRun', async () => {
  const store = mapStore();
  const [off] = fleet(store, { throttleSeconds: 0 });
  const [dry] = fleet(store, { dryRun: true });
  await off.indicator('off').update('OK');
  await off.indicator('off').update('OK');
  await dry.indicator('dry').update('OK');
  assert.deepEqual(store.calls, []);
  assert.deepEqual(sent('off'), ['OK', 'OK']);
});

/** A project on `store` logging into `lines`, with a one-second period. */
function failing(store, more = {}) {
  const { lines, logger } = memoryLogger();
  const p = new OkerrProject(fastOptions(server, { direct: true, retries: 0, throttleSeconds: 1, throttleStore: store, logger, ...more }));
  return { p, warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.message) };
}

test('fail open on a rejecting store: memory decides, and one warn line per period', async () => {
  const { p, warnings } = failing({ claim: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')), release: async () => {} });
  assert.equal((await p.indicator('rej').update('OK')).reason, 'sent');
  assert.equal((await p.indicator('rej').update('OK')).reason, 'throttled', 'memory skips what this process sent');
  assert.equal((await p.indicator('rej').update('ERR')).reason, 'sent');
  assert.deepEqual(warnings(), [
    'okerr throttleStore.claim for rej@proj failed: ECONNREFUSED 127.0.0.1:6379; throttling by this process alone (warned once per period)',
  ]);
  await new Promise((r) => setTimeout(r, 1100));
  await p.indicator('rej').update('OK');
  assert.equal(warnings().length, 2, 'again after a period');
  assert.deepEqual(sent('rej'), ['OK', 'ERR', 'OK']);
});

test('fail open on a silent store: sent after min(timeoutMs, 1000) ms', async () => {
  for (const [timeoutMs, wait] of [[300, 300], [5000, 1000]]) {
    const { p, warnings } = failing({ claim: () => new Promise(() => {}), release: () => new Promise(() => {}) }, { timeoutMs });
    const t0 = performance.now();
    assert.equal((await p.indicator(`silent${timeoutMs}`).update('OK')).reason, 'sent');
    const took = performance.now() - t0;
    assert.ok(took >= wait - 20 && took < wait + 500, `took ${took} ms for timeoutMs ${timeoutMs}`);
    assert.match(warnings()[0], new RegExp(`gave no answer within ${wait} ms`));
  }
});

test('fail open on a store that throws, answers junk, or hides its methods behind a throwing getter', async () => {
  let broken = false;
  const flaky = {
    get claim() {
      if (broken) throw new Error('getter gone');
      return async () => true;
    },
    release: async () => {},
  };
  const hostile = [
    [{ claim() { throw new TypeError('sync throw'); }, release() {} }, /failed: sync throw/],
    [{ claim: async () => 'true', release() {} }, /answered string, not true or false/],
    [{ claim: async () => 1, release() {} }, /answered number/],
    [{ claim: async () => undefined, release() {} }, /answered undefined/],
    [{ claim: async () => ({ then: 1 }), release() {} }, /answered object/],
    [{ claim: () => ({ get then() { throw new Error('then getter'); } }), release() {} }, /failed: then getter/],
    [{ claim: () => Promise.reject('a bare string'), release() {} }, /failed: a bare string/],
    [{ claim: () => Promise.reject(null), release() {} }, /failed: it threw or rejected without a message/],
    [flaky, /failed: getter gone/],
  ];
  for (const [i, [store, why]] of hostile.entries()) {
    const { p, warnings } = failing(store);
    const name = `junk${i}`;
    broken = store === flaky;
    assert.equal((await p.indicator(name).update('OK')).reason, 'sent', String(why));
    assert.match(warnings().at(-1) ?? '', why);
    assert.equal((await p.indicator(name).update('OK')).reason, 'throttled', 'memory still throttles');
  }
});

test('a store that calls back into the project while it claims, and one whose answer comes after its time limit', async () => {
  let inner;
  const reentrant = {
    claim: async (key, status) => {
      if (status === 'OK') inner = p.indicator('inner').update('ERR');
      return true;
    },
    release: async () => {},
  };
  const { p } = failing(reentrant);
  assert.equal((await p.indicator('outer').update('OK')).reason, 'sent');
  assert.equal((await inner).reason, 'sent');
  // Late answers: a claim resolves after the deadline, another update meanwhile is unaffected.
  let late;
  const slow = { claim: () => new Promise((r) => (late = r)), release: async () => {} };
  const { p: q } = failing(slow, { timeoutMs: 100 });
  assert.equal((await q.indicator('late').update('OK')).reason, 'sent');
  late(false);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal((await q.indicator('late').update('ERR')).reason, 'sent');
});

test('a silent store never holds the process: 100 updates at once are sent, and it exits', async () => {
  const silent = { claim: () => new Promise(() => {}), release: () => new Promise(() => {}) };
  const { p } = failing(silent, { timeoutMs: 1000, rejectOnFailure: false, logLevel: 'silent' });
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) => p.indicator(`s${i}`).update('OK')));
  assert.deepEqual(results.filter((r) => r.reason !== 'sent'), []);
});

test('throttleStore is checked at construction: INVALID_ARGUMENT without both methods', () => {
  const invalid = [
    {},
    { claim() {} },
    { release() {} },
    { claim: true, release() {} },
    'redis://localhost',
    42,
    Object.assign(() => {}, { claim() {}, release() {} }),
    new Proxy({}, { get() { throw new Error('trap'); } }),
  ];
  for (const [i, throttleStore] of invalid.entries()) {
    assert.throws(
      () => new OkerrProject({ textid: 'proj', throttleStore }),
      (e) => e instanceof OkerrError && e.code === 'INVALID_ARGUMENT' && /throttleStore must be an object with claim and release methods/.test(e.message),
      `case ${i}`,
    );
  }
  class Store {
    async claim() { return true; }
    async release() {}
  }
  assert.ok(new OkerrProject({ textid: 'proj', throttleStore: new Store() }), 'methods on a prototype count');
  assert.ok(new OkerrProject({ textid: 'proj', throttleStore: null }), 'null is no store');
});

test('a throttleStore on a polluted Object.prototype is not taken', async () => {
  const store = mapStore();
  Object.prototype.throttleStore = store;
  try {
    const p = new OkerrProject(fastOptions(server, { direct: true, logLevel: 'silent' }));
    await p.indicator('polluted').update('OK');
    assert.deepEqual(store.calls, []);
  } finally {
    delete Object.prototype.throttleStore;
  }
});

test('re-entrance: a logger that updates from its warn line, a store that frees the project mid-claim', async () => {
  let inner;
  const logger = {
    debug() {},
    info() {},
    warn: () => {
      inner ??= p.indicator('from-logger').update('ERR');
    },
    error() {},
  };
  const p = new OkerrProject(fastOptions(server, { direct: true, throttleStore: { claim: () => Promise.reject(new Error('down')), release() {} }, logger }));
  assert.equal((await p.indicator('reentrant').update('OK')).reason, 'sent');
  assert.equal((await inner).reason, 'sent');
  const q = new OkerrProject(
    fastOptions(server, {
      direct: true,
      logLevel: 'silent',
      throttleStore: {
        claim: async () => {
          q.free();
          return true;
        },
        release() {},
      },
    }),
  );
  assert.equal((await q.indicator('freed-mid-claim').update('OK')).reason, 'sent', 'the update under way finishes');
  assert.throws(() => q.indicator('after'), (e) => e.code === 'FREED');
});
