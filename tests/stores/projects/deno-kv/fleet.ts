// One Deno process of a fleet sharing a Deno KV file, for deno-kv.test.mjs:
//   deno run --unstable-kv fleet.ts URL KVFILE burst NAME COUNT
//     prints "ready", waits for a line on stdin, then COUNT updates of NAME at once, each from a
//     project of its own; prints their results.
//   deno run --unstable-kv fleet.ts URL KVFILE sequence NAME
//     two projects (two processes as far as the throttle knows) taking turns, then a skip that
//     must not extend the window; prints the results.
import { OkerrProject, type UpdateResult } from 'okerrupdate';
import { denoKvThrottleStore } from 'okerrupdate/stores/deno-kv';

const [url, path, scenario, name, count] = Deno.args;
const kv = await Deno.openKv(path);
const project = (throttleSeconds = 300) =>
  new OkerrProject({ textid: 'proj', secret: 'CANARY-project-secret', url, direct: true, retries: 0, logLevel: 'warn', throttleSeconds, throttleStore: denoKvThrottleStore(kv) });
const reasons = (results: UpdateResult[]) => results.map((r) => r.reason);

if (scenario === 'burst') {
  console.log('ready');
  await Deno.stdin.readable.getReader().read();
  console.log(JSON.stringify(reasons(await Promise.all(Array.from({ length: Number(count) }, () => project().indicator(name).update('OK'))))));
} else {
  const [a, b] = [project(), project()];
  const turns: UpdateResult[] = [];
  for (const [p, status] of [[a, 'OK'], [b, 'OK'], [b, 'ERR'], [a, 'OK'], [a, 'OK']] as const) turns.push(await p.indicator(name).update(status));
  // A one-second period: a skip half-way does not move the window.
  const [c, d] = [project(1), project(1)];
  const window: UpdateResult[] = [await c.indicator(`${name}:window`).update('OK')];
  await new Promise((r) => setTimeout(r, 500));
  window.push(await d.indicator(`${name}:window`).update('OK'));
  await new Promise((r) => setTimeout(r, 600));
  window.push(await d.indicator(`${name}:window`).update('OK'));
  console.log(JSON.stringify({ turns: reasons(turns), window: reasons(window) }));
}
kv.close();
