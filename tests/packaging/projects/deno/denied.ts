// Deno with too little permission: `deno run --allow-net=127.0.0.1:1 denied.ts URL` (or no
// --allow-net at all). The refusal is the runtime's own: no retry can help, so the update
// rejects at once and says which flag fixes it.
import { OkerrError, OkerrProject } from 'okerrupdate';

const [url] = Deno.args;
const lines: string[] = [];
const log = (m: string) => void lines.push(m);
const logger = { debug: log, info: log, warn: log, error: log };
// Were a retry attempted, its ten-minute pause would outlast the test: none is.
const okerr = new OkerrProject({ textid: 'deno-pkg', secret: 'packaging-secret-4711', url, retries: 5, backoffMs: 600_000, logger });
let code: string | undefined;
let message = '';
try {
  await okerr.indicator('deno:denied').update('OK');
} catch (e) {
  if (e instanceof OkerrError) ({ code, message } = e);
}
const retries = lines.filter((l) => /; retry \d+ of \d+ in/.test(l)).length;
console.log(JSON.stringify({ code, message, retries }));
