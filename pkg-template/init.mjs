// `okerrupdate/init`: for users who load the wasm themselves. Nothing runs until `init()` or
// `initSync()`; the classes work once either has finished.
import load, { initSync as loadSync, __setErrorClass, OkerrProject as Project, OkerrIndicator as Indicator } from './okerrupdate_web.js';
import { OkerrError } from './okerr-error.mjs';
import { guardClasses, untilReady } from './okerr-guard.mjs';
import { addJobMethods } from './okerr-job.mjs';

let ready = false;

/**
 * Fetch and instantiate the wasm: from `input` (URL, Response, bytes or WebAssembly.Module),
 * by default okerrupdate_bg.wasm beside this module (bundlers such as Vite copy it for you).
 */
export async function init(input = new URL('./okerrupdate_bg.wasm', import.meta.url)) {
  await load({ module_or_path: input });
  __setErrorClass(OkerrError);
  ready = true;
}

/** Instantiate the wasm at once from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(module) {
  loadSync({ module });
  __setErrorClass(OkerrError);
  ready = true;
}

addJobMethods(OkerrError, { OkerrProject: Project, OkerrIndicator: Indicator });
guardClasses(OkerrError, { OkerrProject: Project, OkerrIndicator: Indicator });
const { OkerrProject, OkerrIndicator } = untilReady(OkerrError, { OkerrProject: Project, OkerrIndicator: Indicator }, () => ready);

export { OkerrProject, OkerrIndicator, OkerrError };
