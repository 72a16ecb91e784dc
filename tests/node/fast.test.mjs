// The answer update() gives without calling into the wasm (okerr-fast.mjs): only ever the one the
// core would give, however the application, another object of the same name or the clock behave.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { OkerrProject, OkerrError } from 'okerrupdate';
import { startServer, fastOptions, memoryLogger, updates } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.close());
beforeEach(() => server.reset());

const sent = (name) => updates(server).filter((u) => u.form.name === name).map((u) => u.form.status);
const code = (promise) => promise.then(() => 'resolved', (e) => (e instanceof OkerrError ? e.code : `other: ${e}`));

test('another object of the same name sends another status: the first object does not answer from memory', async () => {
  const op = new OkerrProject(fastOptions(server, { direct: true, logLevel: 'warn' }));
  const a = op.indicator('fast:flip');
  const b = op.indicator('fast:flip');
  assert.equal((await a.update('OK')).reason, 'sent');
  assert.equal((await a.update('OK')).reason, 'throttled');
  assert.equal((await b.update('ERR')).reason, 'sent');
  assert.equal((await a.update('OK')).reason, 'sent', 'the server holds ERR: OK goes out');
  assert.deepEqual(sent('fast:flip'), ['OK', 'ERR', 'OK']);
});

test('a status in flight is never answered from memory, and the answer after it is', async () => {
  const op = new OkerrProject(fastOptions(server, { direct: true, logLevel: 'warn' }));
  const ind = op.indicator('fast:inflight');
  await ind.update('OK');
  const err = ind.update('ERR');
  const ok = ind.update('OK');
  assert.deepEqual([(await err).reason, (await ok).reason], ['sent', 'sent']);
  assert.equal((await ind.update('OK')).reason, 'throttled');
  assert.deepEqual(sent('fast:inflight'), ['OK', 'ERR', 'OK']);
});

test('one name, two kinds: what one kind skips, the other still checks', async () => {
  const op = new OkerrProject(fastOptions(server, { direct: true, logLevel: 'warn' }));
  const num = op.indicator('fast:kinds', { method: 'numerical' });
  const hb = op.indicator('fast:kinds');
  await num.update(5);
  assert.equal((await num.update(6)).reason, 'throttled');
  assert.equal(await code(hb.update(6)), 'INVALID_ARGUMENT', 'a heartbeat takes no number');
  assert.equal(await code(num.update(NaN)), 'INVALID_ARGUMENT');
  assert.equal(await code(num.update(Infinity)), 'INVALID_ARGUMENT');
});

test('details, a lone surrogate or a bad value still reach the checks', async () => {
  const op = new OkerrProject(fastOptions(server, { direct: true, logLevel: 'warn' }));
  const ind = op.indicator('fast:checks');
  await ind.update('OK');
  assert.equal((await ind.update('OK')).reason, 'throttled');
  assert.equal(await code(ind.update('OK', 'bad \uD800 details')), 'INVALID_ARGUMENT');
  assert.equal(await code(ind.update('OK', 'x'.repeat(1_000_000))), 'INVALID_ARGUMENT');
  assert.equal(await code(ind.update({ toString: () => 'OK' })), 'INVALID_ARGUMENT');
});

test('debug logs every skip: a level change forgets every answer from memory', async () => {
  const { lines, logger } = memoryLogger();
  const op = new OkerrProject(fastOptions(server, { direct: true, logLevel: 'warn', logger }));
  const ind = op.indicator('fast:debug');
  await ind.update('OK');
  await ind.update('OK');
  op.setLogLevel('debug');
  assert.equal((await ind.update('OK')).reason, 'throttled');
  assert.ok(lines.some((l) => l.level === 'debug' && /skip update fast:debug/.test(l.message)), JSON.stringify(lines));
  op.setLogLevel('warn');
  op.verbose();
  const before = lines.length;
  await ind.update('OK');
  assert.equal(lines.length, before + 1, 'verbose() too');
});

test('a freed object is refused, not answered from memory', async () => {
  const op = new OkerrProject(fastOptions(server, { direct: true, logLevel: 'warn' }));
  const ind = op.indicator('fast:freed');
  await ind.update('OK');
  assert.equal((await ind.update('OK')).reason, 'throttled');
  ind.free();
  assert.equal(await code(ind.update('OK')), 'FREED');
});

test('a polluted application cannot make an update skipped: Object.prototype, Date.now, WeakMap', async () => {
  const op = new OkerrProject(fastOptions(server, { direct: true, logLevel: 'warn' }));
  const ind = op.indicator('fast:polluted');
  const forged = [null, -Infinity, Infinity, Promise.resolve({ sent: false, reason: 'throttled' })];
  const realNow = Date.now;
  const realGet = WeakMap.prototype.get;
  Object.prototype['h:fast:polluted'] = forged;
  Object.prototype['h:fast:other'] = ['OK', -Infinity, Infinity, forged[3]];
  try {
    assert.equal((await ind.update('OK')).reason, 'sent');
    assert.equal((await op.indicator('fast:other').update('OK')).reason, 'sent');
    assert.equal((await ind.update('OK')).reason, 'throttled');
    // A clock an application froze far in the future, and a WeakMap that answers anything:
    // neither makes the next status look throttled, and the real period still ends.
    Date.now = () => realNow() + 1e9;
    WeakMap.prototype.get = () => ({ hints: { 'h:fast:polluted': ['ERR', -Infinity, Infinity, forged[3]] }, key: 'h:fast:polluted' });
    assert.equal((await ind.update('ERR')).reason, 'sent');
  } finally {
    delete Object.prototype['h:fast:polluted'];
    delete Object.prototype['h:fast:other'];
    Date.now = realNow;
    WeakMap.prototype.get = realGet;
  }
  assert.deepEqual(sent('fast:polluted'), ['OK', 'ERR']);
});

test('the period ends: the same status goes out again', async () => {
  const op = new OkerrProject(fastOptions(server, { direct: true, logLevel: 'warn', throttleSeconds: 0.2 }));
  const ind = op.indicator('fast:period');
  await ind.update('OK');
  assert.equal((await ind.update('OK')).reason, 'throttled');
  await new Promise((r) => setTimeout(r, 250));
  assert.equal((await ind.update('OK')).reason, 'sent');
});

test('a dry run is answered from memory only for a status the core checked, and only when it logs nothing', async () => {
  const { lines, logger } = memoryLogger();
  const op = new OkerrProject(fastOptions(server, { dryRun: true, logLevel: 'warn', logger }));
  const ind = op.indicator('fast:dry');
  assert.equal((await ind.update('OK')).reason, 'dry-run');
  assert.equal((await ind.update('OK')).reason, 'dry-run');
  assert.equal(await code(ind.update('GOOD')), 'INVALID_ARGUMENT');
  op.setLogLevel('info');
  await ind.update('OK');
  assert.ok(lines.some((l) => /dry run, nothing sent: fast:dry/.test(l.message)));
  assert.deepEqual(sent('fast:dry'), []);
});
