// A throttle shared by Deno instances (Deno Deploy's KV, or a local file): typed, checked only.
// `deno run --unstable-kv --allow-net kv.ts` would report once for the whole fleet.
import { OkerrProject } from 'okerrupdate';
import { denoKvThrottleStore } from 'okerrupdate/stores/deno-kv';

export async function fleetProject(url: string): Promise<OkerrProject> {
  const kv: Deno.Kv = await Deno.openKv();
  return new OkerrProject({ textid: 'deno-pkg', url, throttleStore: denoKvThrottleStore(kv) });
}
