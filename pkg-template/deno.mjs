// Deno 2.2+: Deno imports the .wasm itself (WebAssembly ES module integration), from the npm
// cache like any other module, so `--allow-net` is the only permission an update needs; the
// bundler-target glue okerrupdate_bg.js provides what the wasm imports.
import * as wasm from './okerrupdate_bg.wasm';
import { __wbg_set_wasm, __setErrorClass, OkerrProject, OkerrIndicator } from './okerrupdate_bg.js';
import { OkerrError } from './okerr-error.mjs';
import { guardClasses } from './okerr-guard.mjs';
import { addJobMethods } from './okerr-job.mjs';

__wbg_set_wasm(wasm);
wasm.__wbindgen_start();
__setErrorClass(OkerrError);
addJobMethods(OkerrError, { OkerrProject, OkerrIndicator });
guardClasses(OkerrError, { OkerrProject, OkerrIndicator });

export { OkerrProject, OkerrIndicator, OkerrError };
