// Where the time goes: the throttled path and the send path under `node --cpu-prof`, with the
// wasm's function names (an unstripped build of the same code), summarised by self time. Only
// the samples taken during the measured loop count (after a warm-up): the workload prints that
// window on V8's profile clock (the monotonic clock process.hrtime reads, in µs).
//
//   node --cpu-prof ... bench/profile.mjs run throttled|throttled-num|send|plain PKG_DIR URL N [BODY]
//       prints {"from": µs, "to": µs}; `plain` is the plain-fetch baseline of `send`
//   summarise(file) -> { total, categories, top }              (used by run.mjs)
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { categorise as wasmCategory } from './lib/size.mjs';
import { SINK, plainPost } from './lib/workloads.mjs';

const GLUE_STRINGS = /^(passStringToWasm0|getStringFromWasm0|decodeText|getUint8ArrayMemory0|getDataViewMemory0|encodeInto|takeFromExternrefTable0|addToExternrefTable0|isLikeNone)$/;

function category({ functionName: f, url }) {
  // Our module's url names it; undici's HTTP parser (llhttp) is wasm too.
  if (url.startsWith('wasm://')) return /okerrupdate/.test(url) ? 'wasm: ' + wasmCategory(f) : 'fetch (undici): llhttp wasm';
  if (f === '(garbage collector)') return 'GC';
  if (f === '(program)' || f === '(idle)' || f === '(root)') return `V8 ${f}`;
  if (/okerrupdate_\w+\.c?js$/.test(url)) return GLUE_STRINGS.test(f) ? 'glue: strings and memory views' : 'glue: other wasm-bindgen JS';
  if (/okerr-\w+\.[cm]?js$|index\.c?mjs$|index\.cjs$/.test(url)) return 'package entry JS';
  if (/undici/.test(url)) return 'fetch (undici)';
  if (url.startsWith('node:')) return 'Node internals (http, net, streams, timers)';
  if (/\/tests\/server\//.test(url)) return 'test server';
  if (/\/bench\//.test(url)) return 'benchmark loop';
  if (url === '') return `V8 builtin: ${f || '(anonymous)'}`;
  return 'other JS';
}

/** Self time per function and per category from a .cpuprofile, for samples within `window`. */
export function summarise(file, window = { from: -Infinity, to: Infinity }) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let t = prof.startTime;
  prof.samples.forEach((id, k) => {
    const dt = prof.timeDeltas[k] ?? 0;
    t += dt;
    if (t >= window.from && t <= window.to) self.set(id, (self.get(id) ?? 0) + dt);
  });
  const fns = new Map();
  const cats = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    if (callFrame.functionName === '(idle)') continue;
    total += us;
    const key = `${callFrame.functionName || '(anonymous)'} ${callFrame.url ? basename(callFrame.url) : ''}`.trim();
    const cat = category(callFrame);
    const f = fns.get(key) ?? { name: key, category: cat, us: 0 };
    f.us += us;
    fns.set(key, f);
    cats.set(cat, (cats.get(cat) ?? 0) + us);
  }
  const share = (list) => list.map((x) => ({ ...x, share: x.us / total })).sort((a, b) => b.us - a.us);
  return {
    total,
    categories: share([...cats].map(([name, us]) => ({ name, us }))),
    functions: share([...fns.values()]),
  };
}

/** `loop(n)` for each kind: the measured work. */
async function workload(kind, pkgDir, url, body) {
  if (kind === 'plain') {
    const to = new URL('update', url);
    return async (n) => {
      for (let k = 0; k < n; k++) await plainPost(to, body);
    };
  }
  const { OkerrProject } = await import(pathToFileURL(`${pkgDir}/index.mjs`).href);
  if (kind === 'throttled' || kind === 'throttled-num') {
    const op = new OkerrProject('bench', 'bench-secret', { url, direct: true, logger: SINK });
    const ind = kind === 'throttled' ? op.indicator('prof:throttled') : op.indicator('prof:throttled-num', { method: 'numerical' });
    const value = kind === 'throttled' ? 'OK' : 36.6;
    await ind.update(value);
    return async (n) => {
      let last;
      for (let k = 0; k < n; k++) last = ind.update(value);
      if ((await last).reason !== 'throttled') throw new Error('expected throttled');
    };
  }
  const op = new OkerrProject('bench', 'bench-secret', { url, direct: true, throttleSeconds: 0, logger: SINK });
  const ind = op.indicator('prof:send');
  return async (n) => {
    for (let k = 0; k < n; k++) if (!(await ind.update('OK')).sent) throw new Error('expected sent');
  };
}

if (process.argv[2] === 'run') {
  const [, , , kind, pkgDir, url, n, body] = process.argv;
  const loop = await workload(kind, pkgDir, url, body);
  await loop(Math.ceil(Number(n) / 10));
  const us = () => Number(process.hrtime.bigint() / 1000n);
  const from = us();
  await loop(Number(n));
  console.log(JSON.stringify({ from, to: us() }));
}
