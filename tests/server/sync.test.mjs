// The steps project.sync() relies on, as the real server takes them (okerr-dev, okerrui/models.py
// Indicator.update / setarg / setdefargs / tags, okerrui/views.py api_set / api_indicator), and
// as seen on the real server (fixture okerrtest, commit ee30cc8): `node --test tests/server/`.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startOkerrServer } from './okerr-server.mjs';

const KEY = 'k1';
let srv;
before(async () => {
  srv = await startOkerrServer({ projects: [{ textid: 'p', apiKey: KEY, indicators: [{ name: 'hb', tags: ['web'] }] }] });
});
after(() => srv.close());
beforeEach(() => srv.reset());

async function post(path, fields, headers = {}) {
  const body = typeof fields === 'string' ? fields : new URLSearchParams(fields);
  const extra = typeof fields === 'string' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {};
  const r = await fetch(srv.url + path, { method: 'POST', body, headers: { ...extra, ...headers } });
  return [r.status, await r.text()];
}
const update = (fields) => post('update', { textid: 'p', ...fields });
const set = (name, fields) => post(`api/set/p/${encodeURIComponent(name)}`, fields, { 'X-API-KEY': KEY });
const read = async (name) => {
  const r = await fetch(`${srv.url}api/indicator/p/${encodeURIComponent(name)}`, { headers: { 'X-API-KEY': KEY } });
  return [r.status, r.status === 200 ? JSON.parse(await r.text()) : await r.text()];
};
const ind = (name) => srv.indicator('p', name);

describe('the steps of the issue, as on the real server', () => {
  it('Indicator.update: method, policy, tags and desc only in the autocreate branch; the update itself is 200 OK', async () => {
    assert.deepEqual(await update({ name: 'rs:cfg', status: '10', method: 'numerical|maxlim=37', tags: 'alpha', desc: 'first-desc' }), [200, 'OK']);
    assert.deepEqual(
      await update({ name: 'rs:cfg', status: '38', method: 'numerical|maxlim=40', policy: 'Daily', tags: 'beta', desc: 'second-desc' }),
      [200, 'OK'],
    );
    const i = ind('rs:cfg');
    assert.deepEqual([i.status, i.args.maxlim, i.policy, i.tags, i.desc], ['ERR', '37', 'Default', ['alpha'], 'first-desc']);
    assert.equal(i.details, ' | 38.0 > 37.0 (maxlim)');
    // Step 3: the method changed in code to heartbeat; the server still reads a number.
    assert.deepEqual(await update({ name: 'rs:cfg', status: 'OK', method: 'heartbeat' }), [200, 'OK']);
    assert.deepEqual([ind('rs:cfg').codename, ind('rs:cfg').status], ['numerical', 'ERR']);
  });

  it("api_indicator: Indicator.tags() lists flags, codename, passive, ATTENTION, policy:NAME, then the user's tags", async () => {
    await update({ name: 'rs:cfg', status: '38', method: 'numerical|maxlim=37', tags: 'alpha,OK' });
    const [status, json] = await read('rs:cfg');
    assert.equal(status, 200);
    assert.deepEqual(json.tags, ['ERR', 'numerical', 'passive', 'ATTENTION', 'policy:Default', 'alpha', 'OK']);
    assert.deepEqual([json.checkmethod, json.policyname, json.desc], ['numerical', 'Default', '']);
    assert.equal(typeof json.args.maxlim, 'string');
  });

  it('missing: api_indicator 404 "No indicator with id", api_set 404 "No such indicator"', async () => {
    assert.deepEqual(await read('nope'), [404, 'No indicator with id nope in project with textid p']);
    assert.deepEqual(await set('nope', { desc: 'x' }), [404, 'No such indicator\n']);
  });
});

describe('api_set as sync uses it', () => {
  beforeEach(() => update({ name: 'rs:cfg', status: '10', method: 'numerical|maxlim=37|patience=2h', tags: 'alpha', desc: 'first-desc' }));

  it('checkmethod: i.setdefargs() resets every argument; the args loop runs after it, whatever the form order', async () => {
    // Args before the checkmethod in the form, as seen on the real server.
    assert.deepEqual(await set('rs:cfg', 'patience=1h&checkmethod=heartbeat'), [200, "Changed rs:cfg {'checkmethod': 'heartbeat', 'patience': '1h'}\n"]);
    assert.deepEqual([ind('rs:cfg').codename, ind('rs:cfg').args], ['heartbeat', { patience: '1h', secret: '' }]);
    assert.deepEqual(await set('rs:cfg', { checkmethod: 'numerical' }), [200, "Changed rs:cfg {'checkmethod': 'numerical'}\n"]);
    assert.deepEqual(ind('rs:cfg').args, { current: '', patience: '', secret: '', minlim: '', maxlim: '', diffmin: '', diffmax: '' });
  });

  it("setarg: names the method lacks are ignored and not in the answer; tags are no field; values are fixarg'ed", async () => {
    const [status, text] = await set('rs:cfg', { maxlim: ' 40 ', bogus: '1', tags: 'beta', str: 'x', desc: 'second-desc', policy: 'Daily' });
    assert.equal(status, 200);
    assert.equal(text, "Changed rs:cfg {'policy': 'Daily', 'description': 'second-desc', 'maxlim': '40'}\n");
    const i = ind('rs:cfg');
    assert.deepEqual([i.args.maxlim, i.args.bogus, i.tags, i.policy, i.desc], ['40', undefined, ['alpha'], 'Daily', 'second-desc']);
  });

  it('an unknown policy: 404 "No such policy" and nothing of the call changes', async () => {
    const before = structuredClone(ind('rs:cfg'));
    assert.deepEqual(await set('rs:cfg', { checkmethod: 'heartbeat', maxlim: '99', policy: 'Nope', desc: 'zzz' }), [404, 'No such policy\n']);
    assert.deepEqual(ind('rs:cfg'), before);
  });
});
