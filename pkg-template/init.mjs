// `okerrupdate/init`: for users who load the wasm themselves. Nothing runs until `init()` or
// `initSync()`; the classes work once either has finished.
import * as glue from './okerrupdate_web.js';
import { wireLater } from './okerr-wire.mjs';

const face = wireLater(glue);

/**
 * Fetch and instantiate the wasm: from `input` (URL, Response, bytes or WebAssembly.Module),
 * by default okerrupdate_bg.wasm beside this module (bundlers such as Vite copy it for you).
 * A `file:` URL is read from the disk where the runtime can (Node's `fetch` cannot read it).
 * A failure is an `OkerrError` with code `NOT_INITIALIZED`.
 */
export async function init(input = new URL('./okerrupdate_bg.wasm', import.meta.url)) {
  try {
    const url = typeof input === 'string' || input instanceof URL ? new URL(input, import.meta.url) : null;
    const fs = url?.protocol === 'file:' ? globalThis.process?.getBuiltinModule?.('node:fs') : undefined;
    await glue.default({ module_or_path: fs ? fs.readFileSync(url) : input });
  } catch (e) {
    const { OkerrError } = face;
    throw new OkerrError(`init() could not load the wasm (${e?.message ?? e}): pass its URL, bytes or a compiled module, or in Node import 'okerrupdate' instead`, { code: 'NOT_INITIALIZED' });
  }
  face.started();
}

/** Instantiate the wasm at once from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(module) {
  glue.initSync({ module });
  face.started();
}

export const { OkerrProject, OkerrIndicator, OkerrError } = face;
