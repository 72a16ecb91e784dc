// Run by hostile.test.mjs in a process of its own (with --expose-gc): one update answered with
// a 100 MB page by the server at argv[2], and the wasm linear memory before and after. The glue
// does not export the memory, so the instance is caught as the glue creates it.
const instances = [];
WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
  construct(target, args, newTarget) {
    const instance = Reflect.construct(target, args, newTarget);
    instances.push(instance);
    return instance;
  },
});
const { OkerrProject } = await import('okerrupdate');
const memory = () => {
  gc();
  return instances.map((i) => i.exports.memory).find((m) => m instanceof WebAssembly.Memory).buffer.byteLength;
};

const url = process.argv[2];
const p = new OkerrProject({ textid: 'T', secret: 's', url, direct: true, retries: 0, timeoutMs: 20000, logLevel: 'silent' });
// A first update (the server answers it OK), so that what any update allocates once is
// counted before.
await p.indicator('warm').update('OK').catch(() => {});
const wasmBefore = memory();
let code;
let bodyLength;
try {
  await p.indicator('big').update('OK');
} catch (e) {
  code = e.code;
  bodyLength = e.body?.length;
}
const wasmAfter = memory();
const afterwards = await p.indicator('small').update('ERR').then(() => true, (e) => e.code === 'REJECTED');
console.log(JSON.stringify({ code, bodyLength, wasmBefore, wasmAfter, afterwards }));
