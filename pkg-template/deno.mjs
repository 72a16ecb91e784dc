// Deno 2.2+: Deno imports the .wasm itself (WebAssembly ES module integration), from the npm
// cache like any other module, so `--allow-net` is the only permission an update needs; the
// bundler-target glue okerrupdate_bg.js provides what the wasm imports.
import * as wasm from './okerrupdate_bg.wasm';
import * as glue from './okerrupdate_bg.js';
import { wire } from './okerr-wire.mjs';

glue.__wbg_set_wasm(wasm);
wasm.__wbindgen_start();
export const { OkerrProject, OkerrIndicator, OkerrError } = wire(glue);
