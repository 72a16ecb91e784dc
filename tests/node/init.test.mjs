// `okerrupdate/init` in Node: `await init()` reads the .wasm beside the module from the disk
// (Node's fetch cannot read a file: URL), and a failure is an OkerrError, not a bare TypeError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { init, OkerrError, OkerrProject } from 'okerrupdate/init';

test('before init() the classes say NOT_INITIALIZED; a wasm that cannot be loaded is NOT_INITIALIZED too', async () => {
  assert.throws(() => new OkerrProject('t', 's'), (e) => e instanceof OkerrError && e.code === 'NOT_INITIALIZED');
  await assert.rejects(init(new URL('file:///nonexistent/okerrupdate_bg.wasm')), (e) => e instanceof OkerrError && e.code === 'NOT_INITIALIZED');
});

test('await init() with no argument loads the .wasm beside the module', async () => {
  await init();
  const p = new OkerrProject({ textid: 't', secret: 's', url: 'http://127.0.0.1:9/', direct: true, dryRun: true, logLevel: 'silent' });
  assert.deepEqual(await p.indicator('x').update('OK'), { sent: false, reason: 'dry-run' });
});
