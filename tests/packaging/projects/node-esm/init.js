// `okerrupdate/init`: the user loads the wasm file themselves.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initSync, OkerrProject, OkerrIndicator, OkerrError } from 'okerrupdate/init';

// Too early: the classes say so instead of failing inside the glue.
const early = [() => new OkerrProject('x', 'secret-x'), () => OkerrProject.fromEnv(process.env)].map((f) => {
  try {
    f();
    return 'worked';
  } catch (e) {
    return e instanceof OkerrError ? e.code : `not an OkerrError: ${e}`;
  }
});

initSync(readFileSync(fileURLToPath(import.meta.resolve('okerrupdate/okerrupdate_bg.wasm'))));

const okerr = OkerrProject.fromEnv(process.env);
const isInstance = okerr instanceof OkerrProject && okerr.indicator('x') instanceof OkerrIndicator;
const result = await okerr.indicator('node-esm:init').update('OK');
let code;
try {
  new OkerrProject({ textid: 'x', retries: -1 });
} catch (e) {
  code = e instanceof OkerrError ? e.code : 'not an OkerrError';
}
console.log(JSON.stringify({ result, badOption: code, early, isInstance }));
