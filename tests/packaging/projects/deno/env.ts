// Configuration from the environment: the one case that needs --allow-env.
import { OkerrProject } from 'okerrupdate';

const okerr = OkerrProject.fromEnv(Deno.env.toObject());
console.log(JSON.stringify({ result: await okerr.indicator('deno:env').update('OK') }));
