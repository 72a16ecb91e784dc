// Many names over time: the throttle's memory follows the names inside the window, not every
// name ever seen. The wasm memory is read from the instance the package makes (the glue does not
// export it), caught by ../wasm-instance.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { wasmMemoryBytes as memory } from '../wasm-instance.mjs';

const { OkerrProject } = await import('okerrupdate');

test('waves of 5,000 new names, each after the last one\'s period: wasm memory stops growing', async () => {
  const op = new OkerrProject({
    textid: 'names', secret: 'names-secret', url: 'http://127.0.0.1:9/', direct: true, logLevel: 'silent',
    throttleSeconds: 0.25,
    fetch: async () => new Response('OK'),
  });
  const sizes = [];
  for (let wave = 0; wave < 12; wave++) {
    const started = Date.now();
    // Each wave's indicator objects are freed once their update is answered: what is measured
    // is the project's memory of names, not objects waiting for the garbage collector.
    // Sent 250 at a time: thousands of sends at once would set a high-water mark of their own
    // (each in-flight send holds its exchange), which is not what this measures.
    for (let batch = 0; batch < 5000; batch += 250) {
      const indicators = Array.from({ length: 250 }, (_, i) => op.indicator(`w${wave}:${batch + i}`));
      const results = await Promise.all(indicators.map((ind) => ind.update('OK')));
      assert.ok(results.every((r) => r.sent));
      for (const ind of indicators) ind.free();
    }
    sizes.push(memory());
    await new Promise((r) => setTimeout(r, Math.max(0, 260 - (Date.now() - started))));
  }
  // The table breathes: it grows until a sweep, and a sweep keeps its room, so where the high-
  // water mark falls depends on the timing (a hash table doubling adds about 1.2 MB at once).
  // What must not happen is growth with every wave: before the sweep, each wave added its 5,000
  // names for good, about 0.55 MB a wave, 5 MB from wave 3 to wave 12.
  const growth = sizes[11] - sizes[2];
  console.log(`wasm memory after each wave: ${sizes.join(', ')}`);
  assert.ok(growth <= 2 * 1024 * 1024, `wasm memory grew ${growth} bytes from wave 3 to wave 12: ${sizes.join(', ')}`);
});
