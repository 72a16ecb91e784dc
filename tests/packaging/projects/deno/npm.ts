// The same through an `npm:` specifier.
import { OkerrProject } from 'npm:okerrupdate';

const okerr = new OkerrProject({ textid: 'deno-pkg', secret: 'packaging-secret-4711', url: Deno.args[0] });
console.log(JSON.stringify({ result: await okerr.indicator('deno:npm').update('OK') }));
