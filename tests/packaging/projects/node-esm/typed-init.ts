// Typed use of okerrupdate/init in Node.js, checked by tsc --strict.
import { readFileSync } from 'node:fs';
import { init, initSync, OkerrProject } from 'okerrupdate/init';

export async function start(fromFile: boolean): Promise<OkerrProject> {
  if (fromFile) initSync(readFileSync(new URL(import.meta.resolve('okerrupdate/okerrupdate_bg.wasm'))));
  else await init(new URL('https://cdn.example/okerrupdate_bg.wasm'));
  return new OkerrProject({ textid: 'MyTextID' });
}
