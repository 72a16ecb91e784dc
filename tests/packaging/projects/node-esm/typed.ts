// Typed Node.js usage (ES module), checked by tsc --strict.
import { OkerrError, OkerrProject, type OkerrOptions, type ThrottleStore, type UpdateResult } from 'okerrupdate';
import type { SyncChange, SyncDrift, SyncResult, SyncSpec } from 'okerrupdate';
import { redisThrottleStore, type RedisEval } from 'okerrupdate/stores/redis';

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

// Monitoring a job: run() and wrap() keep the job's types; a project that never rejects gives
// the failed variant with its OkerrError.
const quiet = OkerrProject.fromEnv(process.env, { rejectOnFailure: false });
export const rows: Promise<number> = quiet.indicator('job:rows').run(async () => 42);
export const backup: (dir: string, full: boolean) => Promise<string> = quiet.wrap('job:backup', async (dir: string, full: boolean) => `${dir}:${full}`);
// @ts-expect-error: the wrapped function keeps the job's parameters.
backup(42, true);
export async function heartbeat(): Promise<string> {
  const r = await quiet.indicator('job:alive').update('OK');
  if (r.reason === 'failed') return r.error.code;
  const flushed = await quiet.flush(5000);
  return `${r.sent} ${flushed.settled} ${flushed.pending}`;
}

// Deploy-time sync of indicator settings: specs, options and the result are typed.
export async function deploy(): Promise<string[]> {
  const specs: SyncSpec[] = [{ name: 'host:load', method: 'numerical|maxlim=4', policy: 'Daily', tags: ['linux'] }];
  const r: SyncResult = await okerr.sync(specs, { dryRun: true });
  const drift: SyncDrift[] = r.drift;
  const changed = r.changed.map((c: SyncChange) => `${c.name} ${Object.keys(c.set).join(',')} ${c.was.maxlim ?? ''}`);
  return [...changed, ...r.unchanged, ...r.missing, ...drift.map((d) => `${d.field}:${d.code}:${String(d.server)}`)];
}

// A throttle shared by a fleet of processes: any Redis client's eval (node-redis's shape here).
declare const client: { eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown> };
const evalFn: RedisEval = (script, keys, args) => client.eval(script, { keys, arguments: args });
export const fleet = OkerrProject.fromEnv(process.env, { throttleStore: redisThrottleStore(evalFn) });
// Any object with both methods is a store.
export const mapStore: ThrottleStore = { claim: async () => true, release: async () => {} };
