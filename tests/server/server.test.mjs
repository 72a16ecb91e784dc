// Tests of the okerr test server itself: `node --test tests/server/`.

import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOkerrServer } from './okerr-server.mjs';
import { pyFloat, pyFloatRepr, pyIntParses, pyJson, pyStrRepr, pyTimedelta } from './pyfmt.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const KEY = 'k1';

async function post(srv, path, fields, headers = {}) {
  const body = typeof fields === 'string' ? fields : new URLSearchParams(fields);
  const extra = typeof fields === 'string' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {};
  const r = await fetch(srv.url + path, { method: 'POST', body, headers: { ...extra, ...headers } });
  return { status: r.status, text: await r.text(), headers: r.headers };
}

async function get(srv, path, headers = {}, init = {}) {
  const r = await fetch(srv.url + path, { headers, redirect: 'manual', ...init });
  return { status: r.status, text: await r.text(), headers: r.headers };
}

const api = (srv, path, key = KEY) => get(srv, path, { 'X-API-KEY': key });
const apiPost = (srv, path, fields, key = KEY) => post(srv, path, fields, { 'X-API-KEY': key });
const upd = (srv, fields) => post(srv, 'update', fields);
const last = (srv) => srv.received.at(-1);

// A project exercising every rule of the update table.
const P1 = {
  textid: 'p1',
  apiKey: KEY,
  policies: {
    Default: { secret: 's1' },
    Locked: { secret: 'ps' },
    Manual: { autocreate: false },
    NoHttp: { httpUpdates: false },
    Office: { allowIps: ['10.0.0.0/8'] },
  },
  indicators: [
    { name: 'hb', status: 'OK', tags: ['web'] },
    { name: 'off', status: 'OK', disabled: true },
    { name: 'www:ssl', method: 'sslcert|host=example.com' },
    { name: 'df-/var', method: 'numerical|maxlim=90', status: 'OK', args: { current: '50.0' } },
    { name: 'quiet', status: 'ERR', silent: true },
  ],
};
// A fresh project's policies: Default and Daily without a secret, and one with a secret.
const P2 = { textid: 'p2', apiKey: KEY, policies: { Locked: { secret: 'ps' } } };

describe('pyfmt: Python rules the server depends on', () => {
  it('float() accepts what Python accepts', () => {
    for (const [s, v] of [['36.6', 36.6], ['-1', -1], ['1e3', 1000], [' 7 ', 7], ['1_000', 1000], ['.5', 0.5], ['5.', 5], ['+2E-1', 0.2], ['\t3\n', 3]]) {
      assert.equal(pyFloat(s), v, s);
    }
    assert.equal(pyFloat('inf'), Infinity);
    assert.equal(pyFloat('-Infinity'), -Infinity);
    assert.ok(Number.isNaN(pyFloat('nan')));
    assert.equal(pyFloat('٣'), 3); // Unicode digits, as Python
  });
  it('float() rejects what Python rejects', () => {
    for (const s of ['', ' ', '.', 'e3', '1e', '0x10', '1,5', '1__0', '_1', '1_', 'abc', 'OK', '1.2.3', 'infinit', '\ufeff1']) {
      assert.equal(pyFloat(s), null, JSON.stringify(s));
    }
  });
  it('int() parsing for names', () => {
    for (const s of ['1', '-42', ' 7 ', '1_000', '+3']) assert.ok(pyIntParses(s), s);
    for (const s of ['1.0', '', 'a1', '1a', '1__0', '0x1']) assert.ok(!pyIntParses(s), s);
  });
  it('float repr', () => {
    const cases = [[37, '37.0'], [36.6, '36.6'], [0.1 + 0.2, '0.30000000000000004'], [1e16, '1e+16'], [1e15, '1000000000000000.0'], [1e-5, '1e-05'], [0.0001, '0.0001'], [-2.5, '-2.5'], [Infinity, 'inf'], [1.5e300, '1.5e+300']];
    for (const [x, s] of cases) assert.equal(pyFloatRepr(x), s);
  });
  it('str repr, json and timedelta', () => {
    assert.equal(pyStrRepr('abc'), "'abc'");
    assert.equal(pyStrRepr("it's"), `"it's"`);
    assert.equal(pyStrRepr(`a'b"c`), `'a\\'b"c'`);
    assert.equal(pyStrRepr('a\nb\\\x01é'), "'a\\nb\\\\\\x01é'");
    assert.equal(pyJson({ b: [1, 2.5], a: 'é', c: {} }, { indent: 4, sortKeys: true }), '{\n    "a": "\\u00e9",\n    "b": [\n        1,\n        2.5\n    ],\n    "c": {}\n}');
    assert.equal(pyJson([{ t: 1, y: 'x' }]), '[{"t": 1, "y": "x"}]');
    assert.equal(pyTimedelta(3725), '1:02:05');
    assert.equal(pyTimedelta(86400 + 5), '1 day, 0:00:05');
    assert.equal(pyTimedelta(2 * 86400), '2 days, 0:00:00');
  });
});

describe('director', () => {
  let srv;
  before(async () => {
    srv = await startOkerrServer({ projects: [P1, { textid: 'far', node: 'https://node2.example/' }] });
  });
  after(() => srv.close());

  it('answers the server URL, text/plain, with Client-IP and no CORS', async () => {
    const r = await get(srv, 'api/director/p1', { Origin: 'https://elsewhere.example' });
    assert.equal(r.status, 200);
    assert.equal(r.text, `${srv.url}\n`);
    assert.equal(r.headers.get('content-type'), 'text/plain');
    assert.equal(r.headers.get('client-ip'), '127.0.0.1');
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  });
  it('answers 404 with an empty body for an unknown textid', async () => {
    const r = await get(srv, 'api/director/nope');
    assert.equal(r.status, 404);
    assert.equal(r.text, '');
  });
  it("answers the node of a project hosted elsewhere", async () => {
    assert.equal((await get(srv, 'api/director/far')).text, 'https://node2.example/\n');
  });
  it('answers the directorUrl option when given', async () => {
    const other = await startOkerrServer({ projects: [P2], directorUrl: 'https://cp.example/' });
    try {
      assert.equal((await get(other, 'api/director/p2')).text, 'https://cp.example/\n');
    } finally {
      await other.close();
    }
  });
});

describe('POST /update: the protocol table', () => {
  let srv;
  before(async () => {
    srv = await startOkerrServer({ projects: [P1, P2, { textid: 'small', maxIndicators: 1, indicators: [{ name: 'one' }] }, { textid: 'lim', limited: true }], trustedIps: ['127.0.0.1'] });
  });
  after(() => srv.close());
  beforeEach(() => srv.reset());

  it('accepts and creates: 200 OK', async () => {
    const r = await upd(srv, { textid: 'p1', name: 'new:hb', status: 'ERR', details: 'down', secret: 's1' });
    assert.deepEqual([r.status, r.text], [200, 'OK']);
    const i = srv.indicator('p1', 'new:hb');
    assert.equal(i.status, 'ERR');
    assert.equal(i.details, 'down');
    assert.equal(i.codename, 'heartbeat');
    assert.equal(last(srv).outcome, 'accepted');
    assert.equal(last(srv).created, true);
    assert.equal(r.headers.get('access-control-allow-origin'), null, 'no CORS on /update');
  });
  it('also answers on /update/', async () => {
    const r = await post(srv, 'update/', { textid: 'p1', name: 'hb', status: 'ERR', secret: 's1' });
    assert.deepEqual([r.status, r.text], [200, 'OK']);
    assert.equal(srv.indicator('p1', 'hb').status, 'ERR');
  });
  it("a missing required field: 200 \"Required field 'X' missing\"", async () => {
    assert.deepEqual(await upd(srv, {}).then((r) => [r.status, r.text]), [200, "Required field 'textid' missing"]);
    assert.deepEqual(await upd(srv, { textid: 'p1' }).then((r) => [r.status, r.text]), [200, "Required field 'name' missing"]);
    assert.deepEqual(await upd(srv, { textid: 'p1', name: 'hb' }).then((r) => [r.status, r.text]), [200, "Required field 'status' missing"]);
    assert.equal(last(srv).outcome, 'ignored');
    const g = await get(srv, 'update');
    assert.deepEqual([g.status, g.text], [200, "Required field 'textid' missing"]);
  });
  it('an empty required field counts as present', async () => {
    const r = await upd(srv, { textid: 'p1', name: 'hb', status: '', secret: 's1' });
    assert.deepEqual([r.status, r.text], [200, 'OK']);
    assert.equal(last(srv).outcome, 'ignored');
  });
  it('unknown textid: 404', async () => {
    const r = await upd(srv, { textid: 'zz', name: 'a', status: 'OK' });
    assert.deepEqual([r.status, r.text], [404, "No such project. (textid: 'zz')"]);
  });
  it('secret required, none sent: 400 Require secret (an existing indicator)', async () => {
    assert.deepEqual(await upd(srv, { textid: 'p1', name: 'hb', status: 'OK' }).then((r) => [r.status, r.text]), [400, 'Require secret']);
    assert.deepEqual(await upd(srv, { textid: 'p1', name: 'hb', status: 'OK', secret: '' }).then((r) => [r.status, r.text]), [400, 'Require secret']);
  });
  it('secret wrong: 400 Bad secret', async () => {
    assert.deepEqual(await upd(srv, { textid: 'p1', name: 'hb', status: 'ERR', secret: 'nope' }).then((r) => [r.status, r.text]), [400, 'Bad secret']);
    assert.equal(srv.indicator('p1', 'hb').status, 'OK');
    assert.equal(last(srv).outcome, 'rejected');
  });
  it('creating, policy secret does not match: 400', async () => {
    const r = await upd(srv, { textid: 'p1', name: 'x', status: 'OK', secret: 's1', policy: 'Locked' });
    assert.deepEqual([r.status, r.text], [400, "do not create indicator 'x' with policy 'Locked' because doesn't match secret"]);
    const r2 = await upd(srv, { textid: 'p2', name: 'y', status: 'OK', policy: 'Locked' });
    assert.deepEqual([r2.status, r2.text], [400, "do not create indicator 'y' with policy 'Locked' because doesn't match secret"]);
    assert.deepEqual(await upd(srv, { textid: 'p2', name: 'y', status: 'OK', policy: 'Locked', secret: 'ps' }).then((r) => r.text), 'OK');
    // afterwards the policy secret protects the indicator
    assert.deepEqual(await upd(srv, { textid: 'p2', name: 'y', status: 'OK' }).then((r) => [r.status, r.text]), [400, 'Require secret']);
  });
  it('creating, autocreate off: 400', async () => {
    const r = await upd(srv, { textid: 'p1', name: 'm', status: 'OK', secret: 's1', policy: 'Manual' });
    assert.deepEqual([r.status, r.text], [400, 'Cannot create indicator m because policy Manual has autocreate off']);
  });
  it('creating, bad name: 400 for each rule', async () => {
    for (const name of ['123', ' 42 ', '-7', '1_000', 'a<b', 'a>b', 'a%b', 'a\\b', 'a@b', 'a//b', '/abs']) {
      const r = await upd(srv, { textid: 'p1', name, status: 'OK', secret: 's1' });
      assert.deepEqual([r.status, r.text], [400, `Do not create indicator '${name}': bad name`], name);
    }
    for (const name of ['df-/var', '12a', 'host:load', 'a/b/c']) {
      assert.equal((await upd(srv, { textid: 'p1', name, status: 'OK', secret: 's1' })).text, 'OK', name);
    }
  });
  it("creating, malformed method line: 400 bad cm line'LINE' (Indicator.update: (k, v) = e.split('='))", async () => {
    for (const method of ['numerical|maxlim', 'numerical|a=b=c', 'heartbeat|patience', 'numerical| |maxlim=5', 'heartbeat| ', 'bogus|x']) {
      const r = await upd(srv, { textid: 'p1', name: 'n', status: '1', secret: 's1', method });
      assert.deepEqual([r.status, r.text], [400, `bad cm line'${method}'`], method);
    }
    // Empty parts are skipped (`if not e: continue`): created, with the arguments given.
    for (const [name, method] of [['e1', 'numerical||maxlim=5|'], ['e2', 'numerical|maxlim=5|']]) {
      assert.equal((await upd(srv, { textid: 'p1', name, status: '1', secret: 's1', method })).text, 'OK', method);
      assert.equal(srv.indicator('p1', name).args.maxlim, '5', method);
    }
    // names and values are stripped, unknown args are ignored
    assert.equal((await upd(srv, { textid: 'p1', name: 'n', status: '1', secret: 's1', method: 'numerical| maxlim = 5 |foo=bar' })).text, 'OK');
    const i = srv.indicator('p1', 'n');
    assert.equal(i.args.maxlim, '5');
    assert.equal(i.args.foo, undefined);
  });
  it('creating, unknown codename: 400', async () => {
    const r = await upd(srv, { textid: 'p1', name: 'n', status: '1', secret: 's1', method: 'bogus|x=1' });
    assert.deepEqual([r.status, r.text], [400, "Unknown checkname with codename 'bogus'"]);
    const r2 = await upd(srv, { textid: 'p1', name: 'n', status: '1', secret: 's1', method: '' });
    assert.deepEqual([r2.status, r2.text], [400, "Unknown checkname with codename ''"]);
  });
  it('creating, project at its limit: 400 ERROR:LIMIT_MAXINDICATORS', async () => {
    const r = await upd(srv, { textid: 'small', name: 'two', status: 'OK' });
    assert.deepEqual([r.status, r.text], [400, 'ERROR:LIMIT_MAXINDICATORS Project already has 1 indicators, maxindicators is 1. Indicator not created']);
    assert.equal((await upd(srv, { textid: 'small', name: 'one', status: 'ERR' })).text, 'OK', 'existing ones still update');
  });
  it('project limited: 400', async () => {
    const r = await upd(srv, { textid: 'lim', name: 'a', status: 'OK' });
    assert.deepEqual([r.status, r.text], [400, 'Project is limited. Indicator not created.']);
  });
  it('creating an active check is allowed; updating it is BAD_METHOD', async () => {
    const r = await upd(srv, { textid: 'p1', name: 'ssl2', status: 'ERR', secret: 's1', method: 'sslcert|host=okerr.com|days=10' });
    assert.deepEqual([r.status, r.text], [200, 'OK']);
    const i = srv.indicator('p1', 'ssl2');
    assert.equal(i.codename, 'sslcert');
    assert.equal(i.status, 'OK', 'status of an active check is not taken from the update');
    assert.equal(i.args.days, '10');
    const r2 = await upd(srv, { textid: 'p1', name: 'www:ssl', status: 'OK', secret: 's1' });
    assert.deepEqual([r2.status, r2.text], [400, 'ERROR:BAD_METHOD Indicator exists with cm: sslcert']);
  });
  it('indicator disabled: 400', async () => {
    const r = await upd(srv, { textid: 'p1', name: 'off', status: 'OK', secret: 's1' });
    assert.deepEqual([r.status, r.text], [400, 'Indicator <Indicator: off@p1 (OK)> disabled']);
  });
  it('policy forbids HTTP updates: 400', async () => {
    const r = await upd(srv, { textid: 'p1', name: 'h', status: 'OK', secret: 's1', policy: 'NoHttp' });
    assert.deepEqual([r.status, r.text], [400, "src:'http' updates are not allowed"]);
  });
  it('sender IP not allowed: 400 (x_remoteip honoured for trusted senders)', async () => {
    const r = await upd(srv, { textid: 'p1', name: 'o', status: 'OK', secret: 's1', policy: 'Office' });
    assert.deepEqual([r.status, r.text], [400, 'updates from 127.0.0.1 not allowed']);
    const r2 = await upd(srv, { textid: 'p1', name: 'o', status: 'OK', secret: 's1', policy: 'Office', x_remoteip: '1.2.3.4' });
    assert.deepEqual([r2.status, r2.text], [400, 'updates from 1.2.3.4 not allowed']);
    const r3 = await upd(srv, { textid: 'p1', name: 'o', status: 'OK', secret: 's1', policy: 'Office', x_remoteip: '10.1.2.3' });
    assert.deepEqual([r3.status, r3.text], [200, 'OK']);
  });
  it('x_remoteip is not honoured for untrusted senders', async () => {
    const other = await startOkerrServer({ projects: [P1] });
    try {
      const r = await upd(other, { textid: 'p1', name: 'o', status: 'OK', secret: 's1', policy: 'Office', x_remoteip: '10.1.2.3' });
      assert.deepEqual([r.status, r.text], [400, 'updates from 127.0.0.1 not allowed']);
    } finally {
      await other.close();
    }
  });
});

describe('POST /update: silent refusals and status handling', () => {
  let srv;
  before(async () => {
    srv = await startOkerrServer({ projects: [P1, P2] });
  });
  after(() => srv.close());
  beforeEach(() => srv.reset());
  const u = (fields) => upd(srv, { textid: 'p1', secret: 's1', ...fields });

  it('heartbeat status is upper-cased; anything but OK/ERR is answered OK and leaves the status alone', async () => {
    await u({ name: 'hb', status: 'err', details: 'first' });
    const i = srv.indicator('p1', 'hb');
    assert.equal(i.status, 'ERR');
    for (const status of ['maybe', 'OKAY', '1', '', 'WARN']) {
      const r = await u({ name: 'hb', status, details: 'x' });
      assert.deepEqual([r.status, r.text], [200, 'OK'], status);
      assert.equal(last(srv).outcome, 'ignored');
      assert.match(last(srv).reason, /not OK\/ERR/);
    }
    assert.deepEqual([i.status, i.details, i.ignoredCount], ['ERR', 'first', 5]);
    await u({ name: 'hb', status: 'Ok' });
    assert.equal(i.status, 'OK');
  });
  it('numerical status Python float() rejects is answered OK and ignored', async () => {
    for (const status of ['abc', '1,5', '', '0x10', '1e', '12 kg']) {
      const r = await u({ name: 'df-/var', status });
      assert.deepEqual([r.status, r.text], [200, 'OK']);
      assert.equal(last(srv).outcome, 'ignored', status);
    }
    assert.equal(srv.indicator('p1', 'df-/var').args.current, '50.0');
    for (const status of ['36.6', '-1', '1e3', ' 7 ', 'inf', 'nan', '1_0']) {
      await u({ name: 'df-/var', status });
      assert.equal(last(srv).outcome, 'accepted', status);
    }
  });
  it('numerical limits and details as the real server writes them', async () => {
    await u({ name: 'df-/var', status: '93.5' });
    let i = srv.indicator('p1', 'df-/var');
    assert.equal(i.status, 'ERR');
    assert.equal(i.details, ' | 93.5 > 90.0 (maxlim)');
    await u({ name: 'df-/var', status: '12', details: 'fine' });
    assert.equal(i.status, 'OK');
    assert.equal(i.details, 'fine');
    await u({ name: 'df-/var', status: '13' });
    assert.equal(i.details, '13.0');
    assert.equal(i.args.current, '13.0');
    await u({ name: 'lo', status: '-5', method: 'numerical|minlim=0|maxlim=1K' });
    i = srv.indicator('p1', 'lo');
    assert.equal(i.details, ' | -5.0 < 0.0 (minlim)');
    await u({ name: 'lo', status: '2000' });
    assert.equal(i.details, ' | 2000.0 > 1024.0 (maxlim)');
    await u({ name: 'd', status: '100', method: 'numerical|diffmax=10%' });
    await u({ name: 'd', status: '120' });
    assert.equal(srv.indicator('p1', 'd').details, ' | 20.00% > 10.00% (diffmax)');
    const log = await api(srv, 'api/updatelog/p1/d');
    assert.deepEqual(JSON.parse(log.text).map((e) => e.y), ['100', '120']);
  });
  it('string method compares with str and honours options', async () => {
    await u({ name: 'ver', status: '1.0', method: 'string|str=1.0' });
    assert.equal(srv.indicator('p1', 'ver').status, 'OK');
    await u({ name: 'ver', status: '1.1' });
    assert.equal(srv.indicator('p1', 'ver').status, 'ERR');
    assert.equal(srv.indicator('p1', 'ver').details, '1.1');
    await u({ name: 'dyn', status: 'a', method: 'string|options=dynamic' });
    await u({ name: 'dyn', status: 'b' });
    assert.equal(srv.indicator('p1', 'dyn').status, 'OK');
    assert.equal(srv.indicator('p1', 'dyn').args.str, 'b');
  });
  it('unknown policy names fall back to Default', async () => {
    await u({ name: 'pol', status: 'OK', policy: 'Nope' });
    assert.equal(srv.indicator('p1', 'pol').policy, 'Default');
  });
  it('tags are filtered and, like desc, applied only on creation', async () => {
    await u({ name: 't', status: 'OK', tags: 'a,b-c,d_1,,e f,-x, y,a', desc: 'first' });
    const i = srv.indicator('p1', 't');
    assert.deepEqual(i.tags, ['a', 'b-c', 'd_1', 'e f']);
    assert.equal(i.desc, 'first');
    await u({ name: 't', status: 'OK', tags: 'zzz', desc: 'second' });
    assert.deepEqual(i.tags, ['a', 'b-c', 'd_1', 'e f']);
    assert.equal(i.desc, 'first');
  });
  it('error marks a problem; keypath and origkeypath are stored', async () => {
    await u({ name: 'hb', status: 'OK', error: 'broken probe', keypath: 'kp', origkeypath: 'okp' });
    const i = srv.indicator('p1', 'hb');
    assert.equal(i.problem, true);
    assert.deepEqual([i.keypath, i.origkeypath], ['kp', 'okp']);
    await u({ name: 'hb', status: 'OK' });
    assert.deepEqual([i.keypath, i.origkeypath], ['', ''], "absent: the view's default ''");
  });
  it('details longer than 200 characters are cut like the real server does', async () => {
    await u({ name: 'hb', status: 'OK', details: 'x'.repeat(300) });
    assert.equal(srv.indicator('p1', 'hb').details, 'x'.repeat(198) + '..');
  });
  it('records fields in order, last value wins in form, raw body and lowercased headers', async () => {
    const body = 'textid=p1&name=hb&status=ERR&status=OK&secret=s1&details=caf%C3%A9+au+lait&keypath=&x_extra=1';
    await post(srv, 'update', body, { 'X-Custom': 'Yes' });
    const rec = last(srv);
    assert.equal(rec.body, body);
    assert.deepEqual(rec.fields.map(([k]) => k), ['textid', 'name', 'status', 'status', 'secret', 'details', 'keypath', 'x_extra']);
    assert.equal(rec.form.status, 'OK');
    assert.equal(rec.form.details, 'café au lait');
    assert.equal(rec.headers['x-custom'], 'Yes');
    assert.equal(rec.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(srv.indicator('p1', 'hb').status, 'OK');
  });
  it('a body that is not a form gives no fields (as Django)', async () => {
    const r = await post(srv, 'update', 'textid=p1&name=hb&status=OK', { 'Content-Type': 'text/plain' });
    assert.equal(r.text, "Required field 'textid' missing");
  });
  it('multipart bodies are read too', async () => {
    const fd = new FormData();
    for (const [k, v] of Object.entries({ textid: 'p1', name: 'mp', status: 'ERR', secret: 's1' })) fd.append(k, v);
    const r = await fetch(srv.url + 'update', { method: 'POST', body: fd });
    assert.equal(await r.text(), 'OK');
    assert.equal(srv.indicator('p1', 'mp').status, 'ERR');
  });
});

describe('the real server, point by point (okerrui models.py / views.py)', () => {
  let srv;
  const P3 = {
    textid: 'p3',
    apiKey: KEY,
    owner: 'alice@example.com',
    policies: {
      Default: { secret: 'ps' },
      NoHttp: { secret: 'ps', httpUpdates: false },
      Office: { secret: 'ps', allowIps: ['10.0.0.0/8'] },
    },
    indicators: [
      { name: 'off-nohttp', policy: 'NoHttp', disabled: true },
      { name: 'nohttp', policy: 'NoHttp' },
      { name: 'office', policy: 'Office' },
      { name: 'ssl', method: 'sslcert' },
      { name: 'hb' },
    ],
  };
  before(async () => {
    srv = await startOkerrServer({ projects: [P1, P2, P3] });
  });
  after(() => srv.close());
  beforeEach(() => srv.reset());
  const r2 = (r) => [r.status, r.text];

  it("2. Indicator.update: isecret = i.getarg('secret'), else the policy's", async () => {
    // Created with the policy secret, then checked against its own: created, answered Bad secret.
    const first = await upd(srv, { textid: 'p1', name: 'own', status: 'ERR', secret: 's1', method: 'heartbeat|secret=mine' });
    assert.deepEqual(r2(first), [400, 'Bad secret']);
    const i = srv.indicator('p1', 'own');
    assert.ok(i, 'the indicator is created all the same');
    assert.deepEqual([i.args.secret, i.status], ['mine', 'OK']);
    assert.equal(last(srv).created, true);
    assert.deepEqual(r2(await upd(srv, { textid: 'p1', name: 'own', status: 'ERR', secret: 's1' })), [400, 'Bad secret'], 'the policy secret no longer works');
    assert.deepEqual(r2(await upd(srv, { textid: 'p1', name: 'own', status: 'ERR' })), [400, 'Require secret']);
    assert.deepEqual(r2(await upd(srv, { textid: 'p1', name: 'own', status: 'ERR', secret: 'mine' })), [200, 'OK']);
    assert.equal(i.status, 'ERR');
    // Creating with the own secret fails on the policy secret; nothing is created.
    const r = await upd(srv, { textid: 'p1', name: 'own2', status: 'OK', secret: 'mine', method: 'heartbeat|secret=mine' });
    assert.deepEqual(r2(r), [400, "do not create indicator 'own2' with policy 'Default' because doesn't match secret"]);
    assert.equal(srv.indicator('p1', 'own2'), undefined);
    // A policy without a secret: the own secret creates and updates in one request.
    assert.deepEqual(r2(await upd(srv, { textid: 'p2', name: 'own', status: 'ERR', secret: 'mine', method: 'numerical|secret=mine' })), [200, 'OK']);
    assert.deepEqual(r2(await upd(srv, { textid: 'p2', name: 'own', status: '5' })), [400, 'Require secret']);
    // An empty secret= is no secret: the policy's applies.
    await upd(srv, { textid: 'p1', name: 'own3', status: 'OK', secret: 's1', method: 'heartbeat|secret=' });
    assert.deepEqual(r2(await upd(srv, { textid: 'p1', name: 'own3', status: 'ERR', secret: 's1' })), [200, 'OK']);
  });

  it('3. Policy.secret only: no project-wide secret; Daily of a fresh project needs none', async () => {
    assert.throws(() => srv.addProject({ textid: 'old', secrets: ['s'] }), /no project-wide secret/);
    assert.deepEqual(r2(await upd(srv, { textid: 'p2', name: 'a', status: 'OK' })), [200, 'OK'], 'Default without a secret');
    assert.deepEqual(r2(await upd(srv, { textid: 'p2', name: 'b', status: 'OK', policy: 'Daily', secret: 'anything' })), [200, 'OK']);
    assert.deepEqual(r2(await upd(srv, { textid: 'p2', name: 'b', status: 'ERR' })), [200, 'OK'], 'still none needed');
    for (const secret of [undefined, '', 'wrong']) {
      const fields = { textid: 'p1', name: 'fresh', status: 'OK', ...(secret === undefined ? {} : { secret }) };
      assert.deepEqual(r2(await upd(srv, fields)), [400, "do not create indicator 'fresh' with policy 'Default' because doesn't match secret"], String(secret));
    }
  });

  it('4. Indicator.update checks an existing one: disabled, source, IP, method, then the secret', async () => {
    const bad = { textid: 'p3', status: 'OK', secret: 'wrong' };
    assert.deepEqual(r2(await upd(srv, { ...bad, name: 'off-nohttp' })), [400, 'Indicator <Indicator: off-nohttp@p3 (OK)> disabled']);
    assert.deepEqual(r2(await upd(srv, { ...bad, name: 'nohttp' })), [400, "src:'http' updates are not allowed"]);
    assert.deepEqual(r2(await upd(srv, { ...bad, name: 'office' })), [400, 'updates from 127.0.0.1 not allowed']);
    assert.deepEqual(r2(await upd(srv, { ...bad, name: 'ssl' })), [400, 'ERROR:BAD_METHOD Indicator exists with cm: sslcert']);
    assert.deepEqual(r2(await upd(srv, { ...bad, name: 'hb' })), [400, 'Bad secret']);
    // The same checks follow a creation: the new indicator stays although the update is refused.
    assert.deepEqual(r2(await upd(srv, { textid: 'p3', name: 'new-office', status: 'OK', secret: 'ps', policy: 'Office' })), [400, 'updates from 127.0.0.1 not allowed']);
    assert.ok(srv.indicator('p3', 'new-office'));
    assert.equal(last(srv).created, true);
  });

  it("6. api_set: name renames the indicator", async () => {
    const r = await apiPost(srv, 'api/set/p1/hb', { name: 'hb2' });
    assert.deepEqual(r2(r), [200, "Changed hb2 {'name': 'hb2'}\n"]);
    assert.equal(srv.indicator('p1', 'hb'), undefined);
    assert.equal(srv.indicator('p1', 'hb2').tags[0], 'web');
    assert.equal((await api(srv, 'api/indicator/p1/hb2')).status, 200);
    assert.equal((await api(srv, 'api/indicator/p1/hb')).status, 404);
    assert.equal((await api(srv, 'api/indicators/p1')).text, 'hb2\noff\nwww:ssl\ndf-/var\nquiet\n', 'same place in the list');
  });

  it('7. Project.get_indicator: an all-digit name is a database id', async () => {
    const id = srv.indicator('p1', 'hb').id;
    assert.deepEqual(r2(await upd(srv, { textid: 'p1', name: String(id), status: 'ERR', secret: 's1' })), [200, 'OK']);
    assert.equal(srv.indicator('p1', 'hb').status, 'ERR', 'name=<id> updated that indicator');
    assert.deepEqual(r2(await upd(srv, { textid: 'p1', name: ` ${id} `, status: 'OK', secret: 's1' })), [200, 'OK'], "int(' 7 ') is 7");
    assert.equal(JSON.parse((await api(srv, `api/indicator/p1/${id}`)).text).name, 'hb');
    assert.equal((await api(srv, `api/get/p1/${id}/policy`)).text, 'Default\n');
    assert.deepEqual(r2(await upd(srv, { textid: 'p1', name: '99999', status: 'OK', secret: 's1' })), [400, "Do not create indicator '99999': bad name"]);
    const other = srv.indicator('p3', 'hb').id;
    assert.equal((await api(srv, `api/indicator/p1/${other}`)).status, 404, "another project's id is not found");
  });

  it('8. Indicator.update: an ignored status still applies error= (the problem flag) and keypath', async () => {
    await upd(srv, { textid: 'p1', name: 'hb', status: 'WARN', secret: 's1', error: 'probe broken', keypath: 'k', origkeypath: 'o' });
    const i = srv.indicator('p1', 'hb');
    assert.equal(last(srv).outcome, 'ignored');
    assert.deepEqual([i.status, i.problem, i.keypath, i.origkeypath], ['OK', true, 'k', 'o']);
    await upd(srv, { textid: 'p1', name: 'df-/var', status: 'lots', secret: 's1', error: '' });
    assert.equal(srv.indicator('p1', 'df-/var').problem, true, "numerical too; error='' counts");
  });

  it("9. views.update / Indicator.settag: re.match('[a-zA-Z0-9_]+') keeps tags that start well", async () => {
    await upd(srv, { textid: 'p1', name: 't', status: 'OK', secret: 's1', tags: 'ok,b-c,d e,é,-no,_u,!x' });
    assert.deepEqual(srv.indicator('p1', 't').tags, ['ok', 'b-c', 'd e', '_u']);
  });

  it('10. api_indicator: fullDataStruct() and policyname, policyperiod, checkmethod; nothing more', async () => {
    await upd(srv, { textid: 'p1', name: 'hb', status: 'OK', secret: 's1', error: 'e', keypath: 'k' });
    const j = JSON.parse((await api(srv, 'api/indicator/p1/hb')).text);
    assert.deepEqual(Object.keys(j).sort(), ['age', 'args', 'changed', 'checkmethod', 'desc', 'details', 'disabled', 'errage', 'expected', 'flags', 'id', 'location', 'maintenance', 'name', 'patience', 'policy', 'policyname', 'policyperiod', 'problem', 'scheduled', 'silent', 'status', 'statusage', 'tags', 'uerrage', 'updated']);
  });

  it('11. api_checkmethods: CheckMethod.cmconf as written', async () => {
    const cm = JSON.parse((await get(srv, 'api/checkmethods')).text);
    assert.deepEqual(cm.sslcert.args.host, { textname: 'Hostname to check, e.g. www.okerr.com', desc: 'no desc yet...', default: 'www.okerr.com' });
    assert.deepEqual(cm.numerical.args.current, { textname: 'value', desc: 'Current value', default: '' });
    assert.deepEqual(cm.heartbeat.args.secret, { textname: 'secret', desc: "override policy 'secret'", default: '' });
    assert.equal(cm.dns.args.type.textname, "DNS query type ('A', 'MX', ...) or 'reverse' or 'DNSBL dnsbl.example.com'");
    assert.equal(cm.dnsbl.args.extra.textname, 'add these DNSBL zones (separated by command and/or spaces) e.g.\nrbl.example.com rbl2.example.com');
    assert.equal(cm.logic.args.init.textname, 'These variables (comma-separated) will be set to 0 initially. ');
    assert.deepEqual([cm.logic.remote, cm.ping.remote], [false, true]);
  });

  it("12. getProjectHTTPAuth: an unknown project is Django's 404 page; api_director takes the owner's e-mail", async () => {
    const r = await api(srv, 'api/indicators/nope');
    assert.equal(r.status, 404);
    // Django 5.1's page_not_found: the default content type, with its charset.
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(r.text, /<title>Not Found<\/title>/);
    const d = await get(srv, 'api/director/alice@example.com');
    assert.deepEqual([d.status, d.text], [200, `${srv.url}\n`]);
    assert.equal(d.headers.get('client-ip'), '127.0.0.1');
    assert.deepEqual(r2(await get(srv, 'api/director/bob@example.com')), [404, '']);
    // `p:ID` is a partner id: auth_partner wants credentials (PermissionDenied), and splits
    // the header as Python does.
    const p = await get(srv, 'api/director/p:123');
    assert.equal(p.status, 403);
    assert.match(p.text, /<h1>403 Forbidden<\/h1>/);
    assert.equal((await get(srv, 'api/director/p:123', { Authorization: 'Basic' })).status, 500);
  });

  it('12b. getProjectHTTPAuth: HTTP Basic with the owner\'s e-mail and password; the key is then not looked at', async () => {
    const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const other = await startOkerrServer({ projects: [{ ...P3, ownerPassword: 'pw' }] });
    try {
      const list = (headers) => get(other, 'api/indicators/p3', headers);
      const ok = await list({ Authorization: basic('alice@example.com', 'pw') });
      assert.deepEqual([ok.status, ok.text.split('\n')[0]], [200, 'off-nohttp']);
      // A wrong password is refused even beside a good key: the elif chain never reaches it.
      const both = await list({ Authorization: basic('alice@example.com', 'nope'), 'X-API-KEY': KEY });
      assert.equal(both.status, 403);
      assert.equal(both.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(both.text, '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>403 Forbidden</title>\n</head>\n<body>\n  <h1>403 Forbidden</h1><p></p>\n</body>\n</html>\n');
      assert.equal((await list({ Authorization: basic('bob@example.com', 'pw') })).status, 403);
      // What Python cannot split or decode raises: 500.
      for (const header of ['Basic', 'Basic a b', `Basic ${Buffer.from('no colon').toString('base64')}`, `Basic ${Buffer.from('a:b:c').toString('base64')}`, 'Basic abc', `Basic ${Buffer.from([0xff, 0x3a, 0x61]).toString('base64')}`]) {
        const r = await list({ Authorization: header, 'X-API-KEY': KEY });
        assert.equal(r.status, 500, header);
        assert.match(r.text, /Server Error \(500\)/);
      }
    } finally {
      await other.close();
    }
    // Without a password set, Basic is always refused.
    const none = await get(srv, 'api/indicators/p3', { Authorization: `Basic ${Buffer.from('alice@example.com:').toString('base64')}` });
    assert.equal(none.status, 403);
  });

  it("13. views.update: an unknown project is 404 No such project. (textid: 'X')", async () => {
    const r = await upd(srv, { textid: 'zz', name: 'a', status: 'OK' });
    assert.deepEqual(r2(r), [404, "No such project. (textid: 'zz')"]);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  });
});

describe('project API', () => {
  let srv;
  before(async () => {
    srv = await startOkerrServer({ projects: [P1, { textid: 'far', apiKey: KEY, node: 'https://node2.example/base/' }] });
  });
  after(() => srv.close());
  beforeEach(() => srv.reset());

  it('403 without a valid key, 404 for an unknown project, no CORS', async () => {
    const r = await get(srv, 'api/indicators/p1', { Origin: 'https://x.example' });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    assert.equal((await api(srv, 'api/indicators/p1', 'wrong')).status, 403);
    assert.equal((await api(srv, 'api/indicators/nope')).status, 404);
    // preflight fails like on the real server: no CORS headers at all
    const pre = await get(srv, 'api/indicators/p1', { Origin: 'https://x.example', 'Access-Control-Request-Method': 'GET' }, { method: 'OPTIONS' });
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
  });
  it('a project on another node redirects there, same path', async () => {
    const r = await api(srv, 'api/indicator/far/a%2Fb?x=1');
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), 'https://node2.example/base/api/indicator/far/a%2Fb?x=1');
  });
  it('lists indicators, and by prefix', async () => {
    const all = await api(srv, 'api/indicators/p1');
    assert.equal(all.text, 'hb\noff\nwww:ssl\ndf-/var\nquiet\n');
    assert.equal(all.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal((await api(srv, 'api/indicators/p1/')).text, all.text);
    assert.equal((await api(srv, 'api/indicators/p1/df-')).text, 'df-/var\n');
    assert.equal((await api(srv, 'api/indicators/p1/zzz')).text, '');
  });
  it('one indicator as JSON; names may contain / (raw or %2F)', async () => {
    for (const path of ['api/indicator/p1/df-/var', 'api/indicator/p1/df-%2Fvar']) {
      const r = await api(srv, path);
      assert.equal(r.status, 200);
      assert.ok(r.text.endsWith('}\n'));
      const j = JSON.parse(r.text);
      for (const k of ['name', 'status', 'details', 'policyname', 'policyperiod', 'checkmethod', 'args', 'tags', 'desc', 'silent', 'disabled', 'problem', 'updated', 'flags']) {
        assert.ok(k in j, k);
      }
      assert.equal(j.name, 'df-/var');
      assert.equal(j.checkmethod, 'numerical');
      assert.equal(j.policyname, 'Default');
      assert.equal(j.args.maxlim, '90');
      assert.ok(j.tags.includes('numerical') && j.tags.includes('policy:Default'));
    }
    const miss = await api(srv, 'api/indicator/p1/none');
    assert.deepEqual([miss.status, miss.text], [404, 'No indicator with id none in project with textid p1']);
  });
  it('get: one argument, and the special ones', async () => {
    const g = (p) => api(srv, `api/get/p1/${p}`).then((r) => [r.status, r.text]);
    assert.deepEqual(await g('df-/var/maxlim'), [200, '90\n']);
    assert.deepEqual(await g('df-/var/policy'), [200, 'Default\n']);
    assert.deepEqual(await g('df-/var/cm'), [200, 'numerical\n']);
    assert.deepEqual(await g('df-/var/checkmethod'), [200, 'numerical\n']);
    assert.deepEqual(await g('quiet/silent'), [200, 'True\n']);
    assert.deepEqual(await g('hb/disabled'), [200, 'False\n']);
    assert.deepEqual(await g('hb/problem'), [200, 'False\n']);
    assert.deepEqual(await g('hb/desc'), [200, '\n']);
    const [st, text] = await g('hb/nosuch');
    assert.equal(st, 404);
    assert.match(text, /^Indicator hb with id \d+ has no arg 'nosuch'$/);
  });
  it('filter: k=v, flags, -flags, codenames, tags', async () => {
    const f = (p) => api(srv, `api/filter/p1/${p}`).then((r) => r.text);
    assert.equal(await f('maxlim=90'), 'df-/var\n');
    assert.equal(await f('maxlim=91'), '');
    assert.equal(await f('OK'), 'hb\nwww:ssl\ndf-/var\n');
    assert.equal(await f('ERR'), 'quiet\n');
    assert.equal(await f('silent'), 'quiet\n');
    assert.equal(await f('OK/-silent'), 'hb\nwww:ssl\ndf-/var\n');
    assert.equal(await f('disabled'), 'off\n');
    assert.equal(await f('sslcert'), 'www:ssl\n');
    assert.equal(await f('web'), 'hb\n');
    assert.equal(await f('!active/OK'), 'hb\ndf-/var\n');
    assert.equal(await f(''), 'hb\noff\nwww:ssl\ndf-/var\nquiet\n');
    await upd(srv, { textid: 'p1', name: 'hb', status: 'OK', secret: 's1', error: 'x' });
    assert.equal(await f('problem'), 'hb\n');
  });
  it('tagfilter: tag, +tag, -tag', async () => {
    const f = (p) => api(srv, `api/tagfilter/p1/${p}`).then((r) => r.text);
    assert.equal(await f('web'), 'hb\n');
    assert.equal(await f('+passive/-numerical/-disabled'), 'hb\nquiet\n');
    assert.equal(await f('-passive'), 'www:ssl\n');
  });
  it('updatelog (views.api_updatelog, update_numerical): numerical only, y the raw string, t whole Unix seconds', async () => {
    for (const status of ['55.5', ' 7 ', '1e3', 'nan', '1_000', 'abc']) {
      await upd(srv, { textid: 'p1', name: 'df-/var', status, secret: 's1' });
    }
    const r = await api(srv, 'api/updatelog/p1/df-/var');
    assert.equal(r.headers.get('content-type'), 'application/json');
    const log = JSON.parse(r.text);
    assert.deepEqual(log.map((e) => e.y), ['55.5', ' 7 ', '1e3', 'nan', '1_000'], "what float() rejects is not logged");
    for (const e of log) {
      assert.deepEqual(Object.keys(e), ['t', 'y']);
      assert.ok(Number.isInteger(e.t), e.t);
      assert.ok(Math.abs(e.t - Date.now() / 1000) < 5, e.t);
    }
    assert.match(r.text, /^\[\n    \{\n        "t": \d+,\n        "y": "55\.5"\n    \},/, 'json.dumps(indent=4)');
  });
  it('updatelog: heartbeat and string indicators have an empty log; a bad limit still logs', async () => {
    await upd(srv, { textid: 'p1', name: 'hb', status: 'ERR', secret: 's1' });
    await upd(srv, { textid: 'p1', name: 'ver', status: '1.0', secret: 's1', method: 'string|str=1.0' });
    assert.equal((await api(srv, 'api/updatelog/p1/hb')).text, '[]');
    assert.equal((await api(srv, 'api/updatelog/p1/ver')).text, '[]');
    await upd(srv, { textid: 'p1', name: 'badlim', status: '5', secret: 's1', method: 'numerical|maxlim=lots' });
    assert.deepEqual(JSON.parse((await api(srv, 'api/updatelog/p1/badlim')).text).map((e) => e.y), ['5']);
    const miss = await api(srv, 'api/updatelog/p1/none');
    assert.deepEqual([miss.status, miss.text], [404, 'No indicator with id none in project with textid p1']);
  });
  it("set: form fields, answer 'Changed NAME {...}'", async () => {
    const r = await apiPost(srv, 'api/set/p1/df-/var', { silent: '1', desc: "it's", maxlim: ' 95 ', policy: 'Locked', bogus: 'x' });
    assert.equal(r.status, 200);
    assert.equal(r.text, `Changed df-/var {'policy': 'Locked', 'description': "it's", 'silent': True, 'maxlim': '95'}\n`);
    const i = srv.indicator('p1', 'df-/var');
    assert.deepEqual([i.silent, i.desc, i.args.maxlim, i.policy], [true, "it's", '95', 'Locked']);
    assert.deepEqual(await apiPost(srv, 'api/set/p1/hb', { policy: 'Nope' }).then((x) => [x.status, x.text]), [404, 'No such policy\n']);
    assert.deepEqual(await apiPost(srv, 'api/set/p1/hb', { silent: 'yes' }).then((x) => [x.status, x.text]), [404, 'silent can be only 0 or 1\n']);
    assert.deepEqual(await apiPost(srv, 'api/set/p1/none', {}).then((x) => [x.status, x.text]), [404, 'No such indicator\n']);
    assert.equal((await apiPost(srv, 'api/set/p1/hb', { disabled: '0', problem: '0', retest: '1', maintenance: '1' })).text, "Changed hb {'disabled': False, 'problem': False, 'retest': 1, 'maintenance': True}\n");
    assert.equal((await apiPost(srv, 'api/set/p1/hb', { problem: '1' }, 'bad')).status, 403);
  });
  it('create: Created ..., 400 on a bad name or an existing one', async () => {
    const r = await apiPost(srv, 'api/create/p1/made:here', {});
    assert.deepEqual([r.status, r.text], [200, 'Created made:here@p1 (OK)\n']);
    assert.ok(srv.indicator('p1', 'made:here').maintenance);
    assert.deepEqual(await apiPost(srv, 'api/create/p1/123', {}).then((x) => [x.status, x.text]), [400, 'Bad name 123\n']);
    assert.deepEqual(await apiPost(srv, 'api/create/p1/hb', {}).then((x) => [x.status, x.text]), [400, 'Project p1 already has indicator hb\n']);
    assert.equal((await api(srv, 'api/create/p1/viaget')).status, 400);
  });
  it("create at the indicator limit: Django's 500 page (api_create catches ValueError, not OkerrError)", async () => {
    const small = await startOkerrServer({ projects: [{ textid: 'small', apiKey: KEY, maxIndicators: 1, indicators: [{ name: 'one' }] }] });
    try {
      const r = await apiPost(small, 'api/create/small/two', {});
      assert.equal(r.status, 500);
      assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(r.text, /<h1>Server Error \(500\)<\/h1>/);
      assert.equal(small.indicator('small', 'two'), undefined);
    } finally {
      await small.close();
    }
  });
  it('delete: Deleted indicator N from project T', async () => {
    const r = await apiPost(srv, 'api/delete/p1/df-%2Fvar', {});
    assert.deepEqual([r.status, r.text], [200, 'Deleted indicator df-/var from project p1\n']);
    assert.equal(srv.indicator('p1', 'df-/var'), undefined);
    assert.equal((await apiPost(srv, 'api/delete/p1/df-/var', {})).status, 404);
    assert.deepEqual(await api(srv, 'api/delete/p1/hb').then((x) => [x.status, x.text]), [400, 'Must be HTTP POST request\n']);
  });
  it('checkmethods: no key, JSON codename -> {name, remote, args}', async () => {
    const r = await get(srv, 'api/checkmethods');
    assert.equal(r.status, 200);
    const cm = JSON.parse(r.text);
    for (const c of ['heartbeat', 'numerical', 'string', 'sslcert', 'logic', 'ping', 'tcpport', 'httpstatus', 'httpgrep', 'sha1static', 'sha1dynamic', 'whois', 'dns', 'dnsbl']) {
      assert.ok(cm[c], c);
      assert.equal(typeof cm[c].name, 'string');
      assert.equal(typeof cm[c].remote, 'boolean');
    }
    assert.deepEqual(Object.keys(cm.numerical.args).sort(), ['current', 'diffmax', 'diffmin', 'maxlim', 'minlim', 'patience', 'secret']);
    assert.deepEqual(Object.keys(cm.string.args).sort(), ['options', 'patience', 'secret', 'str']);
  });
});

describe('jstatus (views.jstatus, StatusPage.export, StatusIndicator.export)', () => {
  let srv;
  before(async () => {
    srv = await startOkerrServer({ demo: true, projects: [{ textid: 'far', node: 'https://node2.example/' }] });
  });
  after(() => srv.close());

  it('a public page: JSON built from live indicators, with ACAO *', async () => {
    const r = await get(srv, 'jstatus/demo/index');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const j = JSON.parse(r.text);
    assert.deepEqual(Object.keys(j).sort(), ['addr', 'blog', 'chapters', 'desc', 'name', 'textid', 'title']);
    assert.equal(j.addr, 'index');
    assert.equal(j.textid, 'demo');
    assert.deepEqual(Object.keys(j.chapters).sort(), ['Servers', 'Services']);
    const web = j.chapters.Servers.find((x) => x.title === 'Web server');
    assert.equal(web.status, 'OK');
    await upd(srv, { textid: 'demo', name: 'servers:web1:alive', status: 'ERR', details: 'gone', secret: 'demo-secret' });
    const j2 = JSON.parse((await get(srv, 'jstatus/demo')).text);
    const web2 = j2.chapters.Servers.find((x) => x.title === 'Web server');
    assert.deepEqual([web2.status, web2.details, web2.updated_age], ['ERR', 'gone', '0:00:00']);
    assert.equal(JSON.parse((await get(srv, 'jstatus/demo/')).text).addr, 'index');
  });
  it('an item is StatusIndicator.export(): no name or Unix times, the entry\'s own desc', async () => {
    const j = JSON.parse((await get(srv, 'jstatus/demo/index')).text);
    for (const items of Object.values(j.chapters)) {
      for (const it of items) {
        assert.deepEqual(Object.keys(it).sort(), ['changed', 'changed_age', 'chapter', 'desc', 'details', 'status', 'title', 'updated', 'updated_age', 'weight']);
        assert.match(it.updated, /^\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/);
      }
    }
    const [web, db] = j.chapters.Servers;
    assert.equal(web.desc, 'Serves www.example.com', "the entry's desc");
    assert.equal(db.desc, '', "not the indicator's desc ('database heartbeat')");
    assert.equal(j.chapters.Services.find((x) => x.title === 'Nightly backup').details, null, 'details only when the entry asks');
    const other = await startOkerrServer({ projects: [{ textid: 'q', indicators: [{ name: 'a', details: 'd' }], statusPages: { index: { chapters: { C: ['a'] } } } }] });
    try {
      const [item] = JSON.parse((await get(other, 'jstatus/q/index')).text).chapters.C;
      assert.deepEqual([item.title, item.desc, item.details, item.weight], ['a', '', null, 1000], "the real model's defaults");
    } finally {
      await other.close();
    }
  });
  it('the blog is the newest five records', async () => {
    const blog = Array.from({ length: 7 }, (_, k) => ({ text: `b${k}`, created: 1700000000 + k * 60 }));
    const other = await startOkerrServer({ projects: [{ textid: 'q', statusPages: { index: { blog } } }] });
    try {
      const j = JSON.parse((await get(other, 'jstatus/q/index')).text);
      assert.deepEqual(j.blog.map((b) => b.text), ['b6', 'b5', 'b4', 'b3', 'b2']);
      assert.equal(j.blog[0].created, '14/11/2023 22:19:20');
    } finally {
      await other.close();
    }
  });
  it('a private page redirects to the login page', async () => {
    const r = await get(srv, 'jstatus/demo/internal');
    assert.equal(r.status, 302);
    // redirect('myauth:login'): the route is `path('login', ...)`.
    assert.equal(r.headers.get('location'), '/login');
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    const login = await get(srv, 'login');
    assert.equal(login.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  });
  it("404: empty for an unknown project, Django's page for an unknown page", async () => {
    const p = await get(srv, 'jstatus/nope/index');
    assert.deepEqual([p.status, p.text], [404, '']);
    const a = await get(srv, 'jstatus/demo/nope');
    assert.equal(a.status, 404);
    assert.match(a.text, /<h1>Not Found<\/h1><p>The requested resource was not found on this server.<\/p>/);
  });
  it('a project on another node: redirect carrying ACAO *', async () => {
    const r = await get(srv, 'jstatus/far/index');
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), 'https://node2.example/jstatus/far/index');
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
  });
  it('OPTIONS is answered like GET: 200, the page, ACAO * and no preflight headers', async () => {
    const r = await get(srv, 'jstatus/demo/index', { Origin: 'https://a.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-foo' }, { method: 'OPTIONS' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.headers.get('access-control-allow-methods'), null);
    assert.equal(r.headers.get('access-control-allow-headers'), null);
    assert.equal(JSON.parse(r.text).addr, 'index');
  });
});

describe('cors option', () => {
  it('cors: true sends permissive CORS headers everywhere and answers preflights', async () => {
    const srv = await startOkerrServer({ projects: [P1], cors: true });
    try {
      const origin = { Origin: 'https://dash.example' };
      const u = await post(srv, 'update', { textid: 'p1', name: 'hb', status: 'OK', secret: 's1' }, origin);
      assert.equal(u.headers.get('access-control-allow-origin'), 'https://dash.example');
      const d = await get(srv, 'api/director/p1', origin);
      assert.equal(d.headers.get('access-control-allow-origin'), 'https://dash.example');
      assert.match(d.headers.get('access-control-expose-headers'), /Client-IP/);
      const pre = await get(srv, 'api/indicators/p1', { ...origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-api-key' }, { method: 'OPTIONS' });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-headers'), 'x-api-key');
      srv.addFault({ path: '/update', kind: 'status', status: 503 });
      const f = await post(srv, 'update', { textid: 'p1', name: 'hb', status: 'OK', secret: 's1' }, origin);
      assert.equal(f.status, 503);
      assert.equal(f.headers.get('access-control-allow-origin'), 'https://dash.example');
    } finally {
      await srv.close();
    }
  });
});

describe('faults', () => {
  let srv;
  before(async () => {
    srv = await startOkerrServer({ projects: [P1] });
  });
  after(() => srv.close());
  beforeEach(() => srv.reset());
  const good = { textid: 'p1', name: 'hb', status: 'ERR', secret: 's1' };

  it('status: given status, Retry-After and body; state unchanged; consumed `times` times', async () => {
    srv.addFault({ path: '/update', kind: 'status', status: 429, retryAfter: '7', body: 'slow down', times: 2 });
    for (let k = 0; k < 2; k++) {
      const r = await upd(srv, good);
      assert.deepEqual([r.status, r.text, r.headers.get('retry-after')], [429, 'slow down', '7']);
      assert.equal(last(srv).outcome, 'faulted');
      assert.equal(last(srv).form.status, 'ERR', 'the request is still recorded');
    }
    assert.equal(srv.indicator('p1', 'hb').status, 'OK');
    assert.equal((await upd(srv, good)).text, 'OK');
    assert.equal(srv.indicator('p1', 'hb').status, 'ERR');
    assert.equal(srv.stats.updates.faulted, 2);
  });
  it('faults are matched by path prefix and method, first match first', async () => {
    srv.addFault([
      { path: '/api/director/', kind: 'status', status: 500 },
      { path: '/update', method: 'GET', kind: 'status', status: 502 },
      { path: '/update', kind: 'status', status: 504 },
    ]);
    assert.equal((await upd(srv, good)).status, 504);
    assert.equal((await get(srv, 'update')).status, 502);
    assert.equal((await get(srv, 'api/director/p1')).status, 500);
    assert.equal(srv.faults.size, 0);
  });
  it('hang: never answered, and close() still ends it promptly', async () => {
    const other = await startOkerrServer({ projects: [P1] });
    other.addFault({ path: '/update', kind: 'hang' });
    const pending = fetch(other.url + 'update', { method: 'POST', body: new URLSearchParams(good) }).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(other.received.at(-1).outcome, 'faulted');
    const t0 = Date.now();
    await other.close();
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(await pending, 'failed');
    assert.equal(other.indicator('p1', 'hb').status, 'OK');
  });
  it('hang: a client timeout fires', async () => {
    srv.addFault({ path: '/update', kind: 'hang' });
    await assert.rejects(fetch(srv.url + 'update', { method: 'POST', body: new URLSearchParams(good), signal: AbortSignal.timeout(150) }));
    assert.equal(srv.indicator('p1', 'hb').status, 'OK');
  });
  it('reset: the connection dies after partial headers/body; state unchanged', async () => {
    for (const at of ['connect', 'headers', 'partial']) {
      srv.addFault({ path: '/update', kind: 'reset', at });
      await assert.rejects(
        fetch(srv.url + 'update', { method: 'POST', body: new URLSearchParams(good) }).then((r) => r.text()),
        undefined,
        at,
      );
    }
    assert.equal(srv.indicator('p1', 'hb').status, 'OK');
    assert.deepEqual(srv.received.map((r) => r.fault), ['reset at connect', 'reset at headers', 'reset at partial']);
  });
  it('garbage: the director answers text that is not a URL', async () => {
    srv.addFault({ path: '/api/director/', kind: 'garbage' });
    const r = await get(srv, 'api/director/p1');
    assert.equal(r.status, 200);
    assert.ok(!/^https?:\/\//.test(r.text));
    assert.equal((await get(srv, 'api/director/p1')).text, `${srv.url}\n`);
  });
  it('body: a 1 MB error page, or non-UTF-8 bytes', async () => {
    srv.addFault([
      { path: '/update', kind: 'body', status: 502, size: 1024 * 1024 },
      { path: '/update', kind: 'body', status: 500, bodyBase64: Buffer.from([0xff, 0xfe, 0x80, 0x41]).toString('base64') },
    ]);
    const r1 = await fetch(srv.url + 'update', { method: 'POST', body: new URLSearchParams(good) });
    assert.equal(r1.status, 502);
    assert.equal((await r1.arrayBuffer()).byteLength, 1024 * 1024);
    const r2 = await fetch(srv.url + 'update', { method: 'POST', body: new URLSearchParams(good) });
    assert.equal(r2.status, 500);
    assert.deepEqual([...new Uint8Array(await r2.arrayBuffer())], [0xff, 0xfe, 0x80, 0x41]);
    assert.equal(srv.indicator('p1', 'hb').status, 'OK');
  });
  it('delay: answered normally after the delay, and applied', async () => {
    srv.addFault({ path: '/update', kind: 'delay', ms: 150 });
    const t0 = Date.now();
    const r = await upd(srv, good);
    assert.ok(Date.now() - t0 >= 140);
    assert.equal(r.text, 'OK');
    assert.equal(srv.indicator('p1', 'hb').status, 'ERR');
    assert.equal(last(srv).fault, 'delay 150ms');
  });
  it('delay after: the answer tells the state when asked, however late it arrives', async () => {
    const status = async () => JSON.parse((await api(srv, 'api/indicator/p1/hb')).text).status;
    assert.equal(await status(), 'OK');
    srv.addFault({ path: '/api/indicator/', kind: 'delay', ms: 300, after: true });
    const slow = status();
    await new Promise((r) => setTimeout(r, 100));
    await upd(srv, good);
    assert.equal(await status(), 'ERR');
    assert.equal(await slow, 'OK');
    assert.equal(srv.received.find((x) => x.fault)?.fault, 'delay 300ms after');
  });
  it('directorUrl: the director answers the given URL', async () => {
    srv.addFault({ path: '/api/director/', kind: 'directorUrl', url: 'http://plain.example/' });
    assert.equal((await get(srv, 'api/director/p1')).text, 'http://plain.example/\n');
  });
  it('failRate: deterministic 503s on /update for a given seed', async () => {
    const run = async (seed) => {
      const s = await startOkerrServer({ projects: [P1], failRate: 0.3, seed });
      const codes = [];
      for (let k = 0; k < 40; k++) codes.push((await upd(s, good)).status);
      await s.close();
      return codes;
    };
    const a = await run(42);
    assert.deepEqual(a, await run(42));
    const fails = a.filter((c) => c === 503).length;
    assert.ok(fails > 3 && fails < 25, `fails=${fails}`);
    assert.ok(a.every((c) => c === 503 || c === 200));
    assert.notDeepEqual(a, await run(7));
  });
  it('reset after: the update is stored, then the connection dies (the answer is lost)', async () => {
    for (const at of ['connect', 'partial']) {
      srv.reset();
      srv.addFault({ path: '/update', kind: 'reset', at, after: true });
      await assert.rejects(
        fetch(srv.url + 'update', { method: 'POST', body: new URLSearchParams(good) }).then((r) => r.text()),
        undefined,
        at,
      );
      assert.equal(srv.indicator('p1', 'hb').status, 'ERR', 'stored before the reset');
      assert.deepEqual([last(srv).outcome, last(srv).fault], ['accepted', `reset at ${at} after`]);
    }
  });
  it('failFault: failRate injects the faults a function picks, on updates and director calls', async () => {
    const picked = [];
    const s = await startOkerrServer({
      projects: [P1],
      failRate: 1,
      failFault: ({ kind, path, method, rand }) => {
        assert.equal(typeof rand(), 'number');
        picked.push(`${kind} ${method} ${path}`);
        return kind === 'director' ? { kind: 'garbage' } : picked.length === 2 ? null : { kind: 'status', status: 429, retryAfter: 1 };
      },
    });
    try {
      const r1 = await upd(s, good);
      assert.deepEqual([r1.status, r1.headers.get('retry-after')], [429, '1']);
      assert.equal((await upd(s, good)).text, 'OK', 'null: no fault this time');
      assert.ok(!/^https?:/.test((await get(s, 'api/director/p1')).text));
      assert.equal((await get(s, 'api/indicators/p1', { 'X-API-KEY': KEY })).status, 200, 'other requests are never faulted');
      assert.deepEqual(picked, ['update POST /update', 'update POST /update', 'director GET /api/director/p1']);
      assert.deepEqual(s.received.map((x) => x.fault), ['status 429', null, 'garbage', null]);
      assert.throws(() => s.addFault({ kind: 'explode' }), /unknown fault kind/);
    } finally {
      await s.close();
    }
  });
  it('refuses an unknown fault kind', () => {
    assert.throws(() => srv.addFault({ path: '/update', kind: 'explode' }), /unknown fault kind/);
  });
});

describe('control API under /__test/', () => {
  let srv;
  before(async () => {
    srv = await startOkerrServer({ projects: [P1] });
  });
  after(() => srv.close());
  beforeEach(() => srv.reset());
  const cjson = async (method, path, body) => {
    const r = await fetch(srv.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    return { status: r.status, json: await r.json() };
  };

  it('received lists requests with fields in order; control calls are not recorded', async () => {
    await upd(srv, { textid: 'p1', name: 'hb', status: 'ERR', secret: 's1', details: 'd' });
    await upd(srv, { textid: 'p1', name: 'hb', status: 'bad', secret: 's1' });
    const { json } = await cjson('GET', '__test/received');
    assert.equal(json.length, 2);
    assert.deepEqual(json[0].fields, [['textid', 'p1'], ['name', 'hb'], ['status', 'ERR'], ['secret', 's1'], ['details', 'd']]);
    assert.equal(json[0].outcome, 'accepted');
    assert.equal(json[1].outcome, 'ignored');
    assert.equal(json[0].headers['content-type'], 'application/x-www-form-urlencoded;charset=UTF-8');
    const filtered = await cjson('GET', `__test/received?outcome=ignored&since=${json[0].id}`);
    assert.equal(filtered.json.length, 1);
  });
  it('fault, faults, state, project, stats, config, reset', async () => {
    assert.equal((await cjson('POST', '__test/fault', { path: '/update', kind: 'status', status: 500 })).json.queued, 1);
    assert.equal((await cjson('GET', '__test/faults')).json.length, 1);
    assert.equal((await upd(srv, { textid: 'p1', name: 'hb', status: 'ERR', secret: 's1' })).status, 500);
    assert.equal((await cjson('POST', '__test/fault', { kind: 'nope' })).status, 400);

    const added = await cjson('POST', '__test/project', { textid: 'fresh', policies: { Default: { secret: 'f' } }, indicators: [{ name: 'a', status: 'ERR' }] });
    assert.equal(added.json.project.textid, 'fresh');
    assert.equal((await upd(srv, { textid: 'fresh', name: 'a', status: 'OK', secret: 'f' })).text, 'OK');
    const st = await cjson('GET', '__test/state?textid=fresh');
    assert.equal(st.json.projects.length, 1);
    assert.equal(st.json.projects[0].indicators[0].status, 'OK');
    assert.equal(st.json.projects[0].indicators[0].updateCount, 1);

    const stats = await cjson('GET', '__test/stats');
    assert.equal(stats.json.updates.accepted, 1);
    assert.equal(stats.json.perIndicator['a@fresh'].accepted, 1);

    assert.equal((await cjson('POST', '__test/config', { failRate: 1 })).json.config.failRate, 1);
    assert.equal((await upd(srv, { textid: 'p1', name: 'hb', status: 'ERR', secret: 's1' })).status, 503);
    await cjson('POST', '__test/config', { failRate: 0 });

    await cjson('POST', '__test/reset');
    assert.equal((await cjson('GET', '__test/state')).json.projects.map((p) => p.textid).join(), 'p1');
    assert.equal((await cjson('GET', '__test/received')).json.length, 0);
    assert.equal((await cjson('GET', '__test/faults')).json.length, 0);
  });
  it('answers OPTIONS preflights', async () => {
    const r = await fetch(srv.url + '__test/fault', { method: 'OPTIONS', headers: { Origin: 'https://x.example', 'Access-Control-Request-Method': 'POST' } });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
  });
  it('keepReceived: false keeps only counters', async () => {
    const s = await startOkerrServer({ projects: [P1], keepReceived: false });
    try {
      await upd(s, { textid: 'p1', name: 'hb', status: 'ERR', secret: 's1' });
      await upd(s, { textid: 'p1', name: 'hb', status: 'what', secret: 's1' });
      assert.equal(s.received.length, 0);
      assert.deepEqual(s.stats.perIndicator['hb@p1'], { accepted: 1, ignored: 1, rejected: 0, faulted: 0 });
      assert.equal(s.indicator('p1', 'hb').updateCount, 1);
    } finally {
      await s.close();
    }
  });
});

describe('performance and plumbing', () => {
  it('handles many concurrent keep-alive updates', async () => {
    const srv = await startOkerrServer({ projects: [P1], keepReceived: false });
    try {
      const workers = 20;
      const each = 50;
      const results = await Promise.all(
        Array.from({ length: workers }, async (_, w) => {
          const out = [];
          for (let k = 0; k < each; k++) {
            out.push(await upd(srv, { textid: 'p1', name: `load:${w}`, status: String(k), method: 'numerical', secret: 's1' }));
          }
          return out;
        }),
      );
      assert.ok(results.flat().every((r) => r.text === 'OK'));
      assert.equal(srv.stats.updates.accepted, workers * each);
      assert.equal(srv.indicator('p1', 'load:3').updateCount, each);
      assert.equal(srv.indicator('p1', 'load:3').args.current, `${each - 1}.0`);
    } finally {
      await srv.close();
    }
  });
  it('serves static files with the right content types, and nothing outside the directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okerr-static-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'index.html'), '<h1>dash</h1>');
    writeFileSync(join(dir, 'app.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
    writeFileSync(join(dir, 'sub', 'm.mjs'), 'export {}');
    const srv = await startOkerrServer({ static: { '/dash/': dir }, demo: true });
    try {
      const idx = await get(srv, 'dash/');
      assert.deepEqual([idx.status, idx.text, idx.headers.get('content-type')], [200, '<h1>dash</h1>', 'text/html; charset=utf-8']);
      assert.equal((await get(srv, 'dash/app.wasm')).headers.get('content-type'), 'application/wasm');
      assert.match((await get(srv, 'dash/sub/m.mjs')).headers.get('content-type'), /^text\/javascript/);
      assert.equal((await get(srv, 'dash')).status, 301);
      assert.equal((await get(srv, 'dash/%2e%2e/%2e%2e/etc/passwd')).status, 404);
      assert.equal((await get(srv, 'dash/nope.js')).status, 404);
      assert.equal((await get(srv, 'api/director/demo')).status, 200, 'protocol routes still answer');
    } finally {
      await srv.close();
    }
  });
  it('the CLI prints its URL, serves, and exits on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(HERE, 'cli.mjs'), '--port', '0', '--demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d) => {
        buf += d;
        if (buf.includes('\n')) resolve(buf.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const m = /^okerr test server listening on (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line);
    assert.ok(m, line);
    const r = await fetch(`${m[1]}api/director/demo`);
    assert.equal(await r.text(), `${m[1]}\n`);
    const code = await new Promise((resolve) => {
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
  });
});
