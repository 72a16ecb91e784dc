// Measurement 3, our side: the same updates the Python client sends, from a child process of
// its own (as Python is), timing itself; the server stays in run.mjs's process. Reads a JSON
// spec on stdin ({ url, textid, secret, mode: 'sequential' | 'fanout', n, warmup }; the fan-out
// updates n distinct indicators at once and always warms up with one whole round), prints
// {"seconds": ...}.
import { performance } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { OkerrProject } from 'okerrupdate';
import { SINK } from './lib/workloads.mjs';

const spec = JSON.parse(await text(process.stdin));
const op = new OkerrProject(spec.textid, spec.secret, { url: spec.url, direct: true, throttleSeconds: 0, logger: SINK });
const sent = (r) => {
  if (!r.sent) throw new Error(`not sent: ${r.reason}`);
};
let run;
if (spec.mode === 'sequential') {
  const ind = op.indicator('bench:node-seq');
  run = async (n) => {
    for (let k = 0; k < n; k++) sent(await ind.update('OK'));
  };
} else {
  const inds = Array.from({ length: spec.n }, (_, k) => op.indicator(`bench:node-fan:${k}`));
  run = async () => (await Promise.all(inds.map((i) => i.update('OK')))).forEach(sent);
}
// The fan-out's warm-up is one whole round, which also creates the indicators on the server.
await run(spec.warmup);
const t0 = performance.now();
await run(spec.n);
console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));
