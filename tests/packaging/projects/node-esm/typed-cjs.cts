// Typed Node.js usage from CommonJS (require), checked by tsc --strict.
import okerrupdate = require('okerrupdate');
import redisStore = require('okerrupdate/stores/redis');

const okerr = new okerrupdate.OkerrProject('MyTextID', 'MySecret', { direct: true });
export const indicator: okerrupdate.OkerrIndicator = okerr.indicator('backup');
export function isOkerrError(e: unknown): e is okerrupdate.OkerrError {
  return e instanceof okerrupdate.OkerrError;
}
export const job: (n: number) => Promise<number> = okerr.wrap('job', (n: number) => n * 2);
export async function failed(): Promise<string | undefined> {
  const r: okerrupdate.UpdateResult = await indicator.update('OK');
  return r.reason === 'failed' ? r.error.code : undefined;
}
export const synced: Promise<okerrupdate.SyncResult> = okerr.sync([{ name: 'backup', desc: 'nightly' }]);
// ioredis's shape: eval(script, numberOfKeys, ...keysAndArgs).
declare const redis: { eval(script: string, numkeys: number, ...rest: string[]): Promise<unknown> };
export const fleet = new okerrupdate.OkerrProject('MyTextID', 'MySecret', {
  throttleStore: redisStore.redisThrottleStore((s, keys, args) => redis.eval(s, keys.length, ...keys, ...args)),
});
