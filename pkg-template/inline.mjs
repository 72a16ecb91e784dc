// Browsers, and any runtime no other entry names: the wasm travels inside this module (base64)
// and is compiled synchronously, so importing is all it takes: no fetch of a second file, no
// file access, no top-level await (which several bundlers reject). The price is size; users who
// would rather load okerrupdate_bg.wasm themselves import `okerrupdate/init`.
import * as glue from './okerrupdate_web.js';
import { wasmBase64 } from './okerrupdate_inline.js';
import { OkerrError } from './okerr-error.mjs';
import { wire } from './okerr-wire.mjs';

try {
  glue.initSync({ module: decode(wasmBase64) });
} catch (e) {
  // Workers (and pages whose Content-Security-Policy lacks 'wasm-unsafe-eval') refuse to
  // compile wasm from bytes; the bare CompileError does not say what to do about it.
  throw new OkerrError(
    `okerrupdate could not compile its inlined wasm here (${e?.message ?? e}). For Cloudflare Workers, bundle with ` +
      `the "workerd" export condition (wrangler does) so the .wasm arrives as a module; in a page, allow 'wasm-unsafe-eval'.`,
    { code: 'NOT_INITIALIZED' },
  );
}
export const { OkerrProject, OkerrIndicator } = wire(glue);
export { OkerrError };

function decode(base64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(base64);
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
