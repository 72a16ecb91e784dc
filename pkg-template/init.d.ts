export * from "./index.js";

/** Where `init()` can take the wasm from: its URL, a `fetch` answer, its bytes, or a compiled module. */
export type InitInput = string | URL | Request | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

/**
 * Fetch and instantiate the wasm; without `input`, `okerrupdate_bg.wasm` beside the package's
 * module (bundlers such as Vite copy it into the build). Resolves once the classes are usable.
 */
export declare function init(input?: InitInput | Promise<InitInput>): Promise<void>;

/** Instantiate the wasm at once from its bytes or a compiled `WebAssembly.Module`. */
export declare function initSync(module: ArrayBuffer | ArrayBufferView | WebAssembly.Module): void;
