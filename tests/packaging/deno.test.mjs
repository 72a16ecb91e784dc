// Deno 2 (the npm package `deno`): the package from node_modules by its bare name and through
// `npm:`, with --allow-net as the only permission; --allow-env only for fromEnv(Deno.env.toObject()).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bin, freshProject, lastJson, okerrEnv, okerrServer, out, run, runOk, updates, SETUP_TIMEOUT } from './helpers.mjs';

let server;
let dir;
before(async () => {
  server = await okerrServer('deno-pkg');
  dir = await freshProject('deno');
}, { timeout: SETUP_TIMEOUT });
after(() => server?.close(), { timeout: SETUP_TIMEOUT });

// --no-prompt: a permission the package asked for would fail the run instead of waiting for an answer.
const deno = (args, env = {}) =>
  run(bin('deno'), args, {
    cwd: dir,
    env: { DENO_DIR: join(out, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', ...env },
  });

test('deno: bare specifier, only --allow-net: no read or env permission asked', async () => {
  const r = await deno(['run', '--no-prompt', '--allow-net', 'main.ts', server.url]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /Requires|NotCapable|--allow-/);
  const res = lastJson(r.stdout);
  assert.deepEqual(res.result, { sent: true, reason: 'sent' });
  assert.equal(res.badTag, 'INVALID_ARGUMENT', 'errors are the OkerrError class the entry registered');
  assert.equal(res.misuse, 'INVALID_ARGUMENT', 'the entry guards the classes');
  const got = updates(server).find((u) => u.name === 'deno:bare');
  assert.equal(got?.outcome, 'accepted');
  assert.equal(got.status, 'all good');
  assert.equal(got.form.method, 'string');
  assert.equal(got.form.details, 'from Deno');
});

test('deno: npm: specifier, only --allow-net', async () => {
  const r = await deno(['run', '--no-prompt', '--allow-net', 'npm.ts', server.url]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lastJson(r.stdout).result, { sent: true, reason: 'sent' });
  assert.equal(updates(server).find((u) => u.name === 'deno:npm')?.outcome, 'accepted');
});

test('deno: fromEnv(Deno.env.toObject()) needs --allow-env, and works with it', async () => {
  const env = okerrEnv(server, 'deno-pkg');
  const denied = await deno(['run', '--no-prompt', '--allow-net', 'env.ts'], env);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /env access/);
  const r = await deno(['run', '--no-prompt', '--allow-net', '--allow-env', 'env.ts'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lastJson(r.stdout).result, { sent: true, reason: 'sent' });
  assert.equal(updates(server).find((u) => u.name === 'deno:env')?.outcome, 'accepted');
});

test('deno: without the net permission an update fails at once and names --allow-net (no retries)', async () => {
  for (const flags of [[], ['--allow-net=127.0.0.1:1']]) {
    const r = await deno(['run', '--no-prompt', ...flags, 'denied.ts', server.url]);
    assert.equal(r.code, 0, r.stderr);
    const res = lastJson(r.stdout);
    assert.equal(res.code, 'DIRECTOR', JSON.stringify(res));
    assert.match(res.message, /no retry can help: allow network access \(Deno: run with --allow-net\)/);
    assert.equal(res.retries, 0);
  }
  assert.equal(updates(server).find((u) => u.name === 'deno:denied'), undefined);
});

test('deno: run(), wrap() and flush() report jobs, with --allow-net only', async () => {
  const r = await deno(['run', '--no-prompt', '--allow-net', 'job.ts', server.url]);
  assert.equal(r.code, 0, r.stderr);
  const res = lastJson(r.stdout);
  assert.deepEqual(res, { value: 42, same: true, wrapped: '/var x3', flushed: { settled: 1, pending: 0 } });
  const sent = (name) => updates(server).filter((u) => u.name === name);
  assert.equal(sent('deno:run')[0]?.status, 'OK');
  assert.match(sent('deno:run')[0].form.details, /^ok in \d+\.\d\d s$/);
  assert.equal(sent('deno:run-fail')[0]?.status, 'ERR');
  assert.match(sent('deno:run-fail')[0].form.details, /^failed in \d+\.\d\d s: deno job failed$/);
  assert.equal(sent('deno:wrap')[0]?.status, 'OK');
  assert.equal(sent('deno:flush')[0]?.form.details, 'flushed');
});

test('deno check: the typed examples type-check against the package .d.ts (strict)', async () => {
  await runOk(bin('deno'), ['check', 'main.ts', 'npm.ts', 'env.ts', 'job.ts', 'kv.ts'], {
    cwd: dir,
    env: { DENO_DIR: join(out, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1' },
  });
});

test('tsc --strict: the same examples with Deno\'s own declarations (`deno types`)', async () => {
  const { stdout } = await runOk(bin('deno'), ['types'], { cwd: dir });
  // tsc has no `deno.net` lib; the declarations it would add are not used here.
  writeFileSync(join(dir, 'lib.deno.d.ts'), stdout.replace('/// <reference lib="deno.net" />', ''));
  await runOk(bin('tsc'), ['-p', 'tsc.json'], { cwd: dir });
});
