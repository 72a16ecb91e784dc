// Node.js 20: a CommonJS project and an ES module project, each a fresh install of the packed
// tarball, plus the explicit-init entry and the `default` entry a runtime no condition names gets.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bin, freshProject, lastJson, okerrEnv, okerrServer, runOk, updates, SECRET, SETUP_TIMEOUT } from './helpers.mjs';

let server;
before(async () => {
  server = await okerrServer('node-pkg');
}, { timeout: SETUP_TIMEOUT });
after(() => server?.close(), { timeout: SETUP_TIMEOUT });

const env = () => okerrEnv(server, 'node-pkg');

test('node-cjs: require() loads the package, sends through the director, errors are OkerrError', async () => {
  const dir = await freshProject('node-cjs', { type: 'commonjs' });
  const { stdout } = await runOk(process.execPath, ['index.js'], { cwd: dir, env: env() });
  const out = lastJson(stdout);
  assert.deepEqual(out.result, { sent: true, reason: 'sent' });
  assert.equal(out.missingTextid, 'INVALID_ARGUMENT');
  assert.match(out.version, /^\d+\.\d+\.\d+/);
  const got = updates(server).find((u) => u.name === 'node-cjs:backup');
  assert.equal(got?.outcome, 'accepted');
  assert.equal(got.status, 'OK');
  assert.equal(got.form.secret, SECRET);
  assert.equal(got.form.details, 'nightly backup done');
});

test('node-esm: import and require() share one wasm instance; numerical update accepted', async () => {
  const dir = await freshProject('node-esm');
  const { stdout } = await runOk(process.execPath, ['index.js'], { cwd: dir, env: env() });
  const out = lastJson(stdout);
  assert.deepEqual(out.result, { sent: true, reason: 'sent' });
  assert.equal(out.sameInstance, true);
  assert.deepEqual(out.badName, { esm: true, cjs: true, code: 'INVALID_ARGUMENT' });
  const got = updates(server).find((u) => u.name === 'node-esm:temperature');
  assert.equal(got?.outcome, 'accepted');
  assert.equal(got.status, '36.6');
  assert.equal(got.form.method, 'numerical|maxlim=37');
});

test('node-esm: okerrupdate/init with the wasm file the user read (initSync)', async () => {
  const dir = await freshProject('node-esm');
  const { stdout } = await runOk(process.execPath, ['init.js'], { cwd: dir, env: env() });
  const out = lastJson(stdout);
  assert.deepEqual(out.result, { sent: true, reason: 'sent' });
  assert.equal(out.badOption, 'INVALID_ARGUMENT');
  assert.deepEqual(out.early, ['NOT_INITIALIZED', 'NOT_INITIALIZED'], 'the classes before initSync()');
  assert.equal(out.isInstance, true, 'instanceof holds for objects made after initSync()');
  assert.equal(updates(server).find((u) => u.name === 'node-esm:init')?.outcome, 'accepted');
});

test('default entry: a neutral-platform bundle (no conditions) carries the wasm inline and runs', async () => {
  const dir = await freshProject('default-neutral');
  // esbuild with platform neutral and no conditions resolves `import` + `default` only, as an
  // unknown runtime's bundler would.
  await runOk(bin('esbuild'), ['index.js', '--bundle', '--platform=neutral', '--format=esm', '--outfile=dist/bundle.mjs'], { cwd: dir });
  assert.deepEqual(readdirSync(join(dir, 'dist')), ['bundle.mjs'], 'no separate .wasm file');
  const bundle = readFileSync(join(dir, 'dist/bundle.mjs'), 'utf8');
  assert.match(bundle, /wasmBase64/);
  assert.doesNotMatch(bundle, /okerrupdate_bg\.wasm|node:fs|require\(/, 'nothing that needs a file system');
  const { stdout } = await runOk(process.execPath, ['dist/bundle.mjs'], { cwd: dir, env: env() });
  const out = lastJson(stdout);
  assert.deepEqual(out.result, { sent: true, reason: 'sent' });
  assert.equal(out.badMethod, 'INVALID_ARGUMENT');
  assert.equal(updates(server).find((u) => u.name === 'default:entry')?.outcome, 'accepted');
});

test('tsc --strict: typed Node.js examples (ESM, CommonJS require, okerrupdate/init) with @types/node', async () => {
  const dir = await freshProject('node-esm');
  await runOk(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: dir });
  // node16 is the mode in which a CommonJS file may not require() ESM-flavoured declarations.
  await runOk(bin('tsc'), ['-p', 'tsconfig.json', '--module', 'node16', '--moduleResolution', 'node16'], { cwd: dir });
});
