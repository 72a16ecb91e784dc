// Typed Node.js usage (ES module), checked by tsc --strict.
import { OkerrError, OkerrProject, type OkerrOptions, type UpdateResult } from 'okerrupdate';

const options: OkerrOptions = { timeoutMs: 3000, retries: 2, logLevel: 'warn' };
const okerr: OkerrProject = OkerrProject.fromEnv(process.env, options);

export async function report(load: number): Promise<UpdateResult | string> {
  try {
    return await okerr.indicator('host:load', { method: 'numerical|maxlim=4', tags: ['linux'] }).update(load);
  } catch (e) {
    if (e instanceof OkerrError) return `${e.code} ${e.status ?? ''} ${e.message}`;
    throw e;
  }
}
