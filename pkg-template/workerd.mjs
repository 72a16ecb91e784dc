// Cloudflare Workers: workerd refuses to compile wasm from bytes at run time, so the .wasm is
// imported as a module (wrangler bundles it as a CompiledWasm module) and instantiated at once.
import wasm from './okerrupdate_bg.wasm';
import { initSync, __setErrorClass, OkerrProject, OkerrIndicator } from './okerrupdate_web.js';
import { OkerrError } from './okerr-error.mjs';
import { guardClasses } from './okerr-guard.mjs';
import { addJobMethods } from './okerr-job.mjs';

initSync({ module: wasm });
__setErrorClass(OkerrError);
addJobMethods(OkerrError, { OkerrProject, OkerrIndicator });
guardClasses(OkerrError, { OkerrProject, OkerrIndicator });

export { OkerrProject, OkerrIndicator, OkerrError };
