// Monitoring jobs in Deno: run(), wrap() and flush(), typed, with --allow-net only.
import { OkerrProject, type FlushResult } from 'okerrupdate';

const [url] = Deno.args;
const okerr = new OkerrProject({ textid: 'deno-pkg', secret: 'packaging-secret-4711', url, direct: true });

const value: number = await okerr.indicator('deno:run').run(() => 41 + 1);
const failure = new Error('deno job failed');
const same = await okerr
  .indicator('deno:run-fail')
  .run(async (): Promise<void> => {
    throw failure;
  })
  .then(() => false, (e: unknown) => e === failure);
const backup = okerr.wrap('deno:wrap', async (dir: string, copies: number) => `${dir} x${copies}`);
const wrapped: string = await backup('/var', 3);
okerr.indicator('deno:flush').update('OK', 'flushed');
const flushed: FlushResult = await okerr.flush(10_000);
console.log(JSON.stringify({ value, same, wrapped, flushed }));
