// What a runtime that no condition names gets (the exports map's `default`), bundled for a
// neutral platform: everything it needs, the wasm included, is inside the bundle.
import { OkerrProject, OkerrError } from 'okerrupdate';

const okerr = new OkerrProject({ textid: globalThis.process.env.OKERR_TEXTID, secret: globalThis.process.env.OKERR_SECRET, url: globalThis.process.env.OKERR_URL });
const result = await okerr.indicator('default:entry').update('OK');
let code;
try {
  okerr.indicator('a', { method: 'nosuch|' });
} catch (e) {
  code = e instanceof OkerrError ? e.code : 'not an OkerrError';
}
console.log(JSON.stringify({ result, badMethod: code }));
