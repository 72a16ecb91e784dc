// A Worker bundled by wrangler (`wrangler deploy --dry-run --outdir dist` in `dir`) run in
// workerd through Miniflare, with the bundle's .wasm as a CompiledWasm module (wrangler's own
// module rule for .wasm) and everything workerd prints kept for a failure's message. Each call
// is a fresh isolate.
import { join } from 'node:path';

/** Resolves to `{ mf, log() }` once workerd is ready; `extra` goes to Miniflare as it is. */
export async function startWorkerd(dir, bindings, extra = {}) {
  const { Miniflare } = await import('miniflare');
  let log = '';
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, 'dist/index.js'),
    modulesRoot: join(dir, 'dist'),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    bindings,
    handleRuntimeStdio(stdout, stderr) {
      stdout.on('data', (d) => (log += d));
      stderr.on('data', (d) => (log += d));
    },
    ...extra,
  });
  await mf.ready.catch((e) => {
    throw new Error(`${e.message}\n--- workerd said:\n${log}`);
  });
  return { mf, log: () => log };
}
