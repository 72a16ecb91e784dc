// `okerrupdate/init`: the user loads the wasm file themselves.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync, OkerrProject, OkerrError } from 'okerrupdate/init';

initSync(readFileSync(fileURLToPath(import.meta.resolve('okerrupdate/okerrupdate_bg.wasm'))));

const okerr = OkerrProject.fromEnv(process.env);
const result = await okerr.indicator('node-esm:init').update('OK');
let code;
try {
  new OkerrProject({ textid: 'x', retries: -1 });
} catch (e) {
  code = e instanceof OkerrError ? e.code : 'not an OkerrError';
}
console.log(JSON.stringify({ result, badOption: code }));
