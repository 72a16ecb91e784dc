// Many names over time: the throttle's memory follows the names inside the window, not every
// name ever seen. The wasm memory is read from the instance the package makes (the glue does not
// export it), caught as bench/memory.mjs does.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const instances = [];
WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
  construct(target, args, newTarget) {
    const instance = Reflect.construct(target, args, newTarget);
    instances.push(instance);
    return instance;
  },
});
const { OkerrProject } = await import('okerrupdate');
const memory = () => instances.map((i) => i.exports.memory).find((m) => m instanceof WebAssembly.Memory).buffer.byteLength;

test('waves of 5,000 new names, each after the last one\'s period: wasm memory stops growing', async () => {
  const op = new OkerrProject({
    textid: 'names', secret: 'names-secret', url: 'http://127.0.0.1:9/', direct: true, logLevel: 'silent',
    throttleSeconds: 0.25,
    fetch: async () => new Response('OK'),
  });
  const sizes = [];
  for (let wave = 0; wave < 12; wave++) {
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 5000 }, (_, i) => op.indicator(`w${wave}:${i}`).update('OK')));
    assert.ok(results.every((r) => r.sent));
    sizes.push(memory());
    await new Promise((r) => setTimeout(r, Math.max(0, 260 - (Date.now() - started))));
  }
  // The first waves set the high-water mark of 5,000 sends at once (their exchanges, promises
  // and deadlines); from then on the names of old waves are swept and their room reused. Before
  // the sweep, every wave added its names for good: +2.7 MB from wave 6 to wave 12.
  const growth = sizes[11] - sizes[5];
  assert.ok(growth <= 256 * 1024, `wasm memory grew ${growth} bytes from wave 6 to wave 12: ${sizes.join(', ')}`);
});
