// project.sync(specs, { dryRun }) of the installed package against the local okerr server, which
// behaves as the real one at every step: an update sets method, policy, tags and desc only when
// it creates the indicator; api/set resets every argument on a new checkmethod, has no tags,
// ignores argument names the method lacks and answers 404 'No such policy'.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { OkerrProject, OkerrError } from 'okerrupdate';
import { startOkerrServer } from '../server/okerr-server.mjs';

const KEY = 'API-KEY-CANARY';
const SECRET = 'SECRET-CANARY';

let srv;
before(async () => {
  srv = await startOkerrServer({
    projects: [
      {
        textid: 'proj',
        policies: { Default: { secret: SECRET } },
        apiKey: KEY,
        indicators: [
          { name: 'other', method: 'numerical|maxlim=5', desc: 'not in any spec' },
          { name: 'web:alive', tags: ['web'] },
        ],
      },
    ],
  });
});
after(() => srv.close());
beforeEach(() => srv.reset());

const logged = [];
const logger = { debug() {}, info() {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) };
const op = (extra = {}) => new OkerrProject('proj', SECRET, { url: srv.url, direct: true, apiKey: KEY, backoffMs: 1, throttleSeconds: 0, logger, ...extra });
const api = () => srv.received.filter((r) => r.kind === 'api');
const ind = (name) => srv.indicator('proj', name);

async function rejects(promise, code) {
  const e = await promise.then(() => assert.fail('expected a rejection'), (err) => err);
  assert.ok(e instanceof OkerrError, `not an OkerrError: ${e}`);
  assert.equal(e.code, code, e.message);
  assert.ok(!e.message.includes('CANARY'), e.message);
  return e;
}

/** Steps 1 and 2 of the issue: created with maxlim 37, then updated with new settings that the server ignores. */
async function theIssuesIndicator(p) {
  await p.indicator('rs:cfg', { method: 'numerical|maxlim=37', tags: ['alpha'], desc: 'first-desc' }).update(10);
  const r = await p
    .indicator('rs:cfg', { method: 'numerical|maxlim=40', policy: 'Daily', tags: ['beta'], desc: 'second-desc' })
    .update(38);
  assert.deepEqual(r, { sent: true, reason: 'sent' }, 'the server answers 200 OK');
  const i = ind('rs:cfg');
  assert.deepEqual([i.status, i.args.maxlim, i.policy, i.desc, i.tags], ['ERR', '37', 'Default', 'first-desc', ['alpha']]);
  assert.match(i.details, /38\.0 > 37\.0 \(maxlim\)/);
}

const SPEC = { name: 'rs:cfg', method: 'numerical|maxlim=40', policy: 'Daily', tags: ['beta'], desc: 'second-desc' };

describe('project.sync', () => {
  test('applies the settings an update ignored, one setArgs call; tags only as drift', async () => {
    const p = op();
    await theIssuesIndicator(p);
    srv.clearReceived();
    const r = await p.sync([SPEC]);
    assert.deepEqual(r, {
      dryRun: false,
      changed: [
        {
          name: 'rs:cfg',
          set: { maxlim: '40', policy: 'Daily', desc: 'second-desc' },
          was: { maxlim: '37', policy: 'Default', desc: 'first-desc' },
        },
      ],
      unchanged: [],
      missing: [],
      drift: [{ name: 'rs:cfg', field: 'tags', server: ['alpha'], code: 'UI_ONLY' }],
    });
    assert.deepEqual(Object.keys(r.changed[0].set), ['maxlim', 'policy', 'desc'], 'in the order sent');
    assert.deepEqual(
      api().map((q) => `${q.method} ${q.url}`),
      ['GET /api/indicator/proj/rs%3Acfg', 'POST /api/set/proj/rs%3Acfg'],
    );
    assert.deepEqual(api()[1].fields, [['maxlim', '40'], ['policy', 'Daily'], ['desc', 'second-desc']]);
    const i = ind('rs:cfg');
    assert.deepEqual([i.args.maxlim, i.policy, i.desc, i.tags], ['40', 'Daily', 'second-desc', ['alpha']]);
    // The next update is judged by the new limit.
    await p.indicator('rs:cfg', { method: 'numerical|maxlim=40', policy: 'Daily' }).update(39);
    assert.equal(ind('rs:cfg').status, 'OK');
    // Synced again: nothing to change; the tags still differ, and say so.
    srv.clearReceived();
    const again = await p.sync([SPEC]);
    assert.deepEqual([again.changed, again.unchanged, again.drift.length], [[], ['rs:cfg'], 1]);
    assert.equal(api().length, 1, 'a read only');
  });

  test('a new method: checkmethod first, every argument the spec names after it', async () => {
    const p = op();
    await p.indicator('rs:cfg', { method: 'numerical|maxlim=37|patience=2h' }).update(10);
    // Step 3 of the issue: after a change of method in code the server ignores the update.
    await p.indicator('rs:cfg').update('ERR');
    assert.equal(ind('rs:cfg').status, 'OK', 'still read as a number');
    const r = await p.sync([{ name: 'rs:cfg', method: 'heartbeat|patience=2h' }]);
    assert.deepEqual(r.changed, [
      { name: 'rs:cfg', set: { checkmethod: 'heartbeat', patience: '2h' }, was: { checkmethod: 'numerical', patience: '2h' } },
    ]);
    // setdefargs: numerical's arguments are gone, heartbeat's defaults, then the spec's.
    assert.deepEqual(ind('rs:cfg').args, { patience: '2h', secret: '' });
    const sent = await p.indicator('rs:cfg').update('ERR');
    assert.deepEqual(sent, { sent: true, reason: 'sent' });
    assert.equal(ind('rs:cfg').status, 'ERR');
  });

  test('dryRun reads and changes nothing; so does a project made with dryRun', async () => {
    const p = op();
    await theIssuesIndicator(p);
    srv.clearReceived();
    const r = await p.sync([SPEC], { dryRun: true });
    assert.equal(r.dryRun, true);
    assert.deepEqual(r.changed[0].set, { maxlim: '40', policy: 'Daily', desc: 'second-desc' });
    assert.deepEqual(api().map((q) => q.method), ['GET']);
    assert.equal(ind('rs:cfg').args.maxlim, '37');
    const dry = await op({ dryRun: true }).sync([SPEC]);
    assert.equal(dry.dryRun, true);
    assert.equal(ind('rs:cfg').args.maxlim, '37');
  });

  test('a missing indicator is reported, not created; its first update creates it with the spec', async () => {
    const p = op();
    const spec = { name: 'new:one', method: 'numerical|maxlim=5', desc: 'made by code' };
    const r = await p.sync([spec]);
    assert.deepEqual([r.missing, r.changed, r.unchanged], [['new:one'], [], []]);
    assert.equal(ind('new:one'), undefined);
    assert.deepEqual(await p.listIndicators(), ['other', 'web:alive']);
    await p.indicator(spec.name, { method: spec.method, desc: spec.desc }).update(3);
    assert.deepEqual((await p.sync([spec])).unchanged, ['new:one']);
  });

  test('indicators no spec names are never read or touched', async () => {
    const before = structuredClone(ind('other'));
    await op().sync([{ name: 'web:alive', desc: 'now described' }]);
    assert.deepEqual(api().map((q) => q.url), ['/api/indicator/proj/web%3Aalive', '/api/set/proj/web%3Aalive']);
    assert.deepEqual(ind('other'), before);
    assert.equal(ind('web:alive').desc, 'now described');
  });

  test('an unknown policy is NO_SUCH_POLICY for its indicator, which keeps everything; the others go on', async () => {
    logged.length = 0;
    const r = await op().sync([
      { name: 'other', policy: 'Nope', desc: 'x', method: 'numerical|maxlim=6' },
      { name: 'web:alive', desc: 'applied' },
    ]);
    assert.deepEqual(r.changed.map((c) => c.name), ['web:alive']);
    assert.deepEqual(
      r.drift.map((d) => [d.field, d.server, d.code]),
      [
        ['maxlim', '5', 'NO_SUCH_POLICY'],
        ['policy', 'Default', 'NO_SUCH_POLICY'],
        ['desc', 'not in any spec', 'NO_SUCH_POLICY'],
      ],
    );
    assert.deepEqual([ind('other').args.maxlim, ind('other').policy, ind('other').desc], ['5', 'Default', 'not in any spec']);
    assert.equal(ind('web:alive').desc, 'applied');
    assert.ok(logged.some((m) => m.includes('No such policy')), logged.join('\n'));
  });

  test('a bad spec is INVALID_ARGUMENT before anything is sent, the whole call refused', async () => {
    const good = { name: 'web:alive', desc: 'd' };
    const cases = [
      [undefined, 'specs must be an array'],
      [{ name: 'x' }, 'specs must be an array'],
      [[good, 42], 'specs[1] must be an object'],
      [[good, { desc: 'no name' }], 'specs[1]: a spec needs a name'],
      [[good, { name: 'x', method: 'numerical|maxlimit=4' }], "method 'numerical' has no argument 'maxlimit'"],
      [[good, { name: 'x', method: 'heartbeat|maxlim=4' }], "method 'heartbeat' has no argument 'maxlim'"],
      [[good, { name: 'x', method: 'numerical|maxlim' }], 'bad cm line'],
      [[good, { name: 'x', tags: ['-bad'] }], 'must start with'],
      [[good, { name: 'x', secret: 'S' }], "unknown spec field 'secret'"],
      [[good, { name: 'x', desc: 5 }], 'desc must be a string'],
      [[good, { name: 'x\uD800' }], 'lone surrogate'],
      [[good, { name: '42' }], 'must not be a number'],
      [[good, { name: 'web:alive' }], 'has a spec already'],
    ];
    for (const [specs, says] of cases) {
      const e = await rejects(op().sync(specs), 'INVALID_ARGUMENT');
      assert.ok(e.message.includes(says), `${says}: ${e.message}`);
    }
    await rejects(op().sync([good], { dryrun: true }), 'INVALID_ARGUMENT');
    await rejects(op().sync([good], { dryRun: 'yes' }), 'INVALID_ARGUMENT');
    assert.deepEqual(srv.received, [], 'nothing was sent');
  });

  test('without apiKey: NO_API_KEY, nothing sent; a wrong key: FORBIDDEN, nothing changed', async () => {
    await rejects(new OkerrProject('proj', SECRET, { url: srv.url, direct: true }).sync([{ name: 'other', desc: 'x' }]), 'NO_API_KEY');
    assert.equal(srv.received.length, 0);
    await rejects(op({ apiKey: 'wrong-CANARY' }).sync([{ name: 'other', desc: 'x' }]), 'FORBIDDEN');
    assert.equal(ind('other').desc, 'not in any spec');
  });

  test("an indicator's own secret is sent and never shown", async () => {
    const p = op();
    const r = await p.sync([{ name: 'web:alive', method: 'heartbeat|secret=OWN-CANARY' }]);
    assert.deepEqual(r.changed[0], { name: 'web:alive', set: { secret: '[secret]' }, was: { secret: '' } });
    assert.equal(ind('web:alive').args.secret, 'OWN-CANARY');
    const again = await p.sync([{ name: 'web:alive', method: 'heartbeat|secret=NEW-CANARY' }], { dryRun: true });
    assert.deepEqual(again.changed[0].was, { secret: '[secret]' });
    assert.ok(!JSON.stringify([r, again]).includes('CANARY'));
  });

  test('options and specs are read from own properties only (a polluted prototype changes nothing)', async () => {
    Object.prototype.method = 'heartbeat|patience=1h';
    Object.prototype.dryRun = true;
    try {
      const r = await op().sync([{ name: 'other', desc: 'own only' }]);
      assert.equal(r.dryRun, false);
      assert.deepEqual(r.changed[0].set, { desc: 'own only' });
      assert.equal(ind('other').codename, 'numerical');
    } finally {
      delete Object.prototype.method;
      delete Object.prototype.dryRun;
    }
  });

  test('a spec list that throws when read is INVALID_ARGUMENT, not a crash', async () => {
    const hostile = new Proxy([{ name: 'other' }], {
      get() {
        throw new Error('boom');
      },
    });
    await rejects(op().sync(hostile), 'INVALID_ARGUMENT');
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    await rejects(op().sync(proxy), 'INVALID_ARGUMENT');
    assert.equal(srv.received.length, 0);
  });

  test('an answer that is not okerr\'s indicator rejects with nothing changed', async () => {
    srv.addFault({ path: '/api/indicator/', kind: 'body', status: 200, body: '{"name": "other", "args": []}' });
    const e = await rejects(op().sync([{ name: 'other', desc: 'x' }]), 'HTTP');
    assert.match(e.message, /not the indicator okerr describes/);
    assert.equal(api().filter((q) => q.method === 'POST').length, 0);
  });

  test('flush() waits for a sync in flight', async () => {
    const p = op();
    srv.addFault({ path: '/api/indicator/', kind: 'delay', ms: 200 });
    const pending = p.sync([{ name: 'other', desc: 'later' }]);
    const flushed = await p.flush(5000);
    assert.deepEqual(flushed, { settled: 1, pending: 0 });
    assert.equal((await pending).changed.length, 1);
  });
});
