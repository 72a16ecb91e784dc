// The same calls through the Python reference client and through this package must put the
// same form fields on the wire, field by field and byte for byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { OkerrProject } from 'okerrupdate';
import { startOkerrServer } from '../server/okerr-server.mjs';

const TEXTID = 'ref';
const SECRET = 'ref-secret';
const X = { site: 'eu-1' };
const CALLS = [
  { name: 'ref:hb', status: 'OK' },
  { name: 'ref:hb-details', status: 'ERR', details: 'disk full: 99% (/var)' },
  { name: 'test:1', status: '36.6', details: 'Current temperature is normal', options: { method: 'numerical|maxlim=37' } },
  { name: 'ref:string', status: 'v1.2 beta & more', options: { method: 'string|options=dynamic', desc: 'Version, shown', policy: 'Default' } },
  { name: 'ref:tags', status: 'OK', options: { tags: ['prod', 'db_1'] } },
  { name: 'ref:error', status: 'OK', options: { error: 'backup failed' } },
  { name: 'ref:keys', status: 'OK', options: { keypath: 'a:b', origkeypath: 'c/d' } },
  { name: 'ref:own-secret', status: 'OK', options: { secret: 'indicator-secret' } },
  { name: 'ref/<repair>//me%', status: 'OK' },
  { name: 'ref:unicode-é', status: 'OK', details: 'température ✓ 100%' },
];

let server;
// The Default policy has the project's secret; 'ref:own-secret' exists already with its own.
const PROJECT = {
  textid: TEXTID,
  policies: { Default: { secret: SECRET } },
  indicators: [{ name: 'ref:own-secret', method: 'heartbeat|secret=indicator-secret' }],
};
before(async () => { server = await startOkerrServer({ projects: [PROJECT] }); });
after(() => server.close());

async function sendWithPython() {
  const script = fileURLToPath(new URL('send_with_python.py', import.meta.url));
  const child = spawn('python3', [script], { stdio: ['pipe', 'inherit', 'inherit'] });
  child.stdin.end(JSON.stringify({ textid: TEXTID, secret: SECRET, url: server.url, x: X, calls: CALLS }));
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, 'the Python client failed');
}

async function sendWithPackage() {
  const project = new OkerrProject(TEXTID, SECRET, { url: server.url, direct: true, x: X, logLevel: 'error' });
  for (const call of CALLS) {
    await project.indicator(call.name, call.options).update(call.status, call.details);
  }
}

test('every call sends what the reference client sends, field by field', async () => {
  await sendWithPython();
  const python = server.received.filter((r) => r.kind === 'update');
  server.clearReceived();
  await sendWithPackage();
  const ours = server.received.filter((r) => r.kind === 'update');
  assert.equal(python.length, CALLS.length);
  assert.equal(ours.length, CALLS.length);
  CALLS.forEach((call, k) => {
    assert.deepEqual(ours[k].fields, python[k].fields, `fields of ${call.name}`);
    assert.equal(ours[k].body, python[k].body, `raw body of ${call.name}`);
    assert.equal(ours[k].headers['content-type'], python[k].headers['content-type']);
    assert.equal(ours[k].path, python[k].path);
  });
});
