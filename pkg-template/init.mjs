// `okerrupdate/init`: for users who load the wasm themselves. Nothing runs until `init()` or
// `initSync()`; the classes work once either has finished.
import * as glue from './okerrupdate_web.js';
import { wireLater } from './okerr-wire.mjs';

const face = wireLater(glue);

/**
 * Fetch and instantiate the wasm: from `input` (URL, Response, bytes or WebAssembly.Module),
 * by default okerrupdate_bg.wasm beside this module (bundlers such as Vite copy it for you).
 */
export async function init(input = new URL('./okerrupdate_bg.wasm', import.meta.url)) {
  await glue.default({ module_or_path: input });
  face.started();
}

/** Instantiate the wasm at once from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(module) {
  glue.initSync({ module });
  face.started();
}

export const { OkerrProject, OkerrIndicator, OkerrError } = face;
