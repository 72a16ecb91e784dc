// Browsers, and any runtime no other entry names: the wasm travels inside this module (base64)
// and is compiled synchronously, so importing is all it takes: no fetch of a second file, no
// file access, no top-level await (which several bundlers reject). The price is size; users who
// would rather load okerrupdate_bg.wasm themselves import `okerrupdate/init`.
import { initSync, __setErrorClass, __setFetch, OkerrProject, OkerrIndicator } from './okerrupdate_web.js';
import { wasmBase64 } from './okerrupdate_inline.js';
import { OkerrError } from './okerr-error.mjs';
import { okerrFetch } from './okerr-fetch.mjs';
import { guardClasses } from './okerr-guard.mjs';

function decode(base64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(base64);
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

initSync({ module: decode(wasmBase64) });
__setErrorClass(OkerrError);
__setFetch(okerrFetch);
guardClasses(OkerrError, { OkerrProject, OkerrIndicator });

export { OkerrProject, OkerrIndicator, OkerrError };
