// Cloudflare Workers: workerd refuses to compile wasm from bytes at run time, so the .wasm is
// imported as a module (wrangler bundles it as a CompiledWasm module) and instantiated at once.
import wasm from './okerrupdate_bg.wasm';
import * as glue from './okerrupdate_web.js';
import { wire } from './okerr-wire.mjs';

glue.initSync({ module: wasm });
export const { OkerrProject, OkerrIndicator, OkerrError } = wire(glue);
