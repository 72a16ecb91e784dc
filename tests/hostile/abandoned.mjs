// Run by hostile.test.mjs in a process of its own (with --expose-gc): batches of exchanges whose
// fetch never settles, each timing out, and what the wasm keeps for them: its linear memory and
// its table of JS references (each slot of the deadline table holds three bound handlers). The
// glue exports neither, so the instance is caught as the glue creates it (../wasm-instance.mjs).
import { wasmExports as exports } from '../wasm-instance.mjs';

const { OkerrProject } = await import('okerrupdate');
const measure = () => {
  gc();
  return { memory: exports().memory.buffer.byteLength, refs: exports().__wbindgen_externrefs.length };
};

const [batches, size] = process.argv.slice(2).map(Number);
const p = new OkerrProject({ textid: 'T', secret: 'sssssssss', url: 'http://127.0.0.1:9/', direct: true, retries: 0, timeoutMs: 20, logLevel: 'silent', throttleSeconds: 0, fetch: () => new Promise(() => {}) });
const indicators = Array.from({ length: size }, (_, i) => p.indicator(`hang${i}`));
const batch = () => Promise.all(indicators.map((ind) => ind.update('OK').catch((e) => e.code)));
const codes = new Set();
// Warm-up: enough batches for the table to reach its bound (MAX_ABANDONED) once.
const warm = Math.ceil(2048 / size);
for (let k = 0; k < warm; k += 1) for (const c of await batch()) codes.add(c);
const before = measure();
for (let k = warm; k < batches; k += 1) for (const c of await batch()) codes.add(c);
const after = measure();
console.log(JSON.stringify({ codes: [...codes], before, after }));
