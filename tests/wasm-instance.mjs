// The wasm instance the package makes, for tests that measure its memory or its table of JS
// references: the glue exports neither, so the instance is caught as the glue creates it.
// Import this module before `okerrupdate` (then import the package with `await import`).
const instances = [];
WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
  construct(target, args, newTarget) {
    const instance = Reflect.construct(target, args, newTarget);
    instances.push(instance);
    return instance;
  },
});
// An entry that instantiates asynchronously (`init()`) goes through `instantiate` instead.
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async (...args) => {
  const result = await instantiate.apply(WebAssembly, args);
  instances.push(result.instance ?? result);
  return result;
};

/** The exports of the package's instance (its `memory`, `__wbindgen_externrefs`...). */
export const wasmExports = () => instances.map((i) => i.exports).find((e) => e.memory instanceof WebAssembly.Memory);

/** The size of the package's wasm linear memory, in bytes. */
export const wasmMemoryBytes = () => wasmExports().memory.buffer.byteLength;
