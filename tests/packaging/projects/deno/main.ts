// Deno, with the package installed in node_modules: `deno run --allow-net main.ts URL`.
import { OkerrError, OkerrProject, type UpdateResult } from 'okerrupdate';

const [url] = Deno.args;
const okerr = new OkerrProject({ textid: 'deno-pkg', secret: 'packaging-secret-4711', url });
const result: UpdateResult = await okerr.indicator('deno:bare', { method: 'string' }).update('all good', 'from Deno');

let code: string | undefined;
try {
  okerr.indicator('deno:bad', { tags: ['-dropped by the server'] });
} catch (e) {
  if (e instanceof OkerrError) code = e.code;
}
// A method called on an object of the other class is refused before it reaches the wasm.
let misuse: string | undefined;
try {
  OkerrProject.prototype.indicator.call(okerr.indicator('deno:bare'), 'x');
} catch (e) {
  if (e instanceof OkerrError) misuse = e.code;
}
console.log(JSON.stringify({ result, badTag: code, misuse }));
