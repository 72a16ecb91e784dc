// Run by hostile.test.mjs in a process of its own (with --expose-gc): a call answered with a
// 100 MB page by the server at argv[2], and the wasm linear memory before and after. argv[3]
// says which call: `update` (its answer is read to 64 KB) or `list` (an API answer, read to
// 8 MiB, then TOO_LARGE), made twice. The glue does not export the memory, so the instance is
// caught as the glue creates it.
import { wasmMemoryBytes } from '../wasm-instance.mjs';

const { OkerrProject } = await import('okerrupdate');
const memory = () => {
  gc();
  return wasmMemoryBytes();
};

const [url, call = 'update'] = process.argv.slice(2);
const p = new OkerrProject({ textid: 'T', secret: 's', apiKey: 'k', url, direct: true, retries: 0, timeoutMs: 20000, logLevel: 'silent' });
const big = call === 'list' ? () => p.listIndicators('big') : () => p.indicator('big').update('OK');
// A first call (the server answers it briefly), so that what any call allocates once is
// counted before.
await (call === 'list' ? p.listIndicators('warm') : p.indicator('warm').update('OK')).catch(() => {});
const wasmBefore = memory();
let code;
let bodyLength;
try {
  await big();
} catch (e) {
  code = e.code;
  bodyLength = e.body?.length;
}
const wasmAfter = memory();
// The same again: what the first one grew is reused, not grown anew.
const again = await big().then(() => 'resolved', (e) => e.code);
const wasmAgain = memory();
const afterwards = await p.indicator('small').update('ERR').then(() => true, (e) => e.code === 'REJECTED');
console.log(JSON.stringify({ code, bodyLength, again, wasmBefore, wasmAfter, wasmAgain, afterwards }));
