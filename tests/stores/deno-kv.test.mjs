// okerrupdate/stores/deno-kv with Deno's own KV on a file (--unstable-kv): several deno
// processes updating one name at once, each update from a project of its own, send one POST.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startServer } from '../node/helpers.mjs';
import { bin, fleetProcess, freshProject, posts, runOk } from './helpers.mjs';

let server;
let dir;
before(async () => {
  server = await startServer();
  dir = await freshProject('deno-kv');
});
after(() => server?.close());

const env = () => ({ DENO_DIR: join(dir, '.deno'), DENO_NO_UPDATE_CHECK: '1' });
// Only the network and the KV file's folder: the store needs no other permission.
const deno = (args) => [bin('deno'), ['run', '--no-prompt', '--unstable-kv', '--allow-net', `--allow-read=${dir}`, `--allow-write=${dir}`, 'fleet.ts', server.url, join(dir, 'throttle.kv'), ...args]];

test('4 deno processes x 10 updates of one name at once, on one KV file: one POST', async () => {
  const name = 'kv:burst';
  const fleet = await Promise.all([0, 1, 2, 3].map(() => fleetProcess(...deno(['burst', name, '10']), { cwd: dir, env: env() })));
  fleet.forEach((p) => p.go());
  const results = (await Promise.all(fleet.map((p) => p.done))).flat();
  assert.equal(results.length, 40);
  assert.equal(results.filter((r) => r === 'sent').length, 1, results.join());
  assert.equal(results.filter((r) => r === 'throttled').length, 39);
  assert.deepEqual(posts(server, name), ['OK']);
});

test('turns between two projects on one KV, and a skip that does not extend the window', async () => {
  const name = 'kv:turns';
  const [cmd, args] = deno(['sequence', name]);
  const { stdout } = await runOk(cmd, args, { cwd: dir, env: env() });
  const out = JSON.parse(stdout.trim().split('\n').at(-1));
  assert.deepEqual(out.turns, ['sent', 'throttled', 'sent', 'sent', 'throttled']);
  assert.deepEqual(out.window, ['sent', 'throttled', 'sent']);
  assert.deepEqual(posts(server, name), ['OK', 'ERR', 'OK']);
});

test('deno check: the fleet script type-checks against the store\'s types', async () => {
  await runOk(bin('deno'), ['check', '--unstable-kv', 'fleet.ts'], { cwd: dir, env: env() });
});
