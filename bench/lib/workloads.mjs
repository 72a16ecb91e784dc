// The timed loops, shared by run.mjs (measurements 2 to 5) and profile.mjs (the same loops
// under `node --cpu-prof`). Each function does one repetition and returns what it measured.
import { performance } from 'node:perf_hooks';
import { startOkerrServer } from '../../tests/server/okerr-server.mjs';
import { quantile } from './stats.mjs';

export const TEXTID = 'bench';
export const SECRET = 'bench-secret';
export const FORM = 'application/x-www-form-urlencoded';

/** A logger that drops every line: the log line is built and passed to JS, nothing is written. */
export const SINK = { debug() {}, info() {}, warn() {}, error() {} };

/** The local okerr server, counting but not keeping what it receives. */
export function startServer() {
  return startOkerrServer({ projects: [{ textid: TEXTID, policies: { Default: { secret: SECRET } } }], keepReceived: false });
}

/**
 * A direct-mode project on `server` with throttling `throttleSeconds`, the given log setup and,
 * when given, a `throttleStore`.
 */
export function project(OkerrProject, server, { throttleSeconds = 0, logLevel = 'info', logger = SINK, throttleStore } = {}) {
  return new OkerrProject(TEXTID, SECRET, { url: server.url, direct: true, throttleSeconds, logLevel, logger, throttleStore });
}

/**
 * A `throttleStore` that keeps the contract in a Map of this process: what a store costs the
 * package itself (the call, its promise, the time limit), without a network round trip.
 */
export function mapStore() {
  const records = new Map();
  return {
    async claim(key, status, numerical, token, periodMs) {
      const r = records.get(key);
      const now = Date.now();
      if (r && now - r.at < periodMs && (numerical || r.status === status)) return false;
      records.set(key, { status, token, at: now });
      return true;
    },
    async release(key, token) {
      if (records.get(key)?.token === token) records.delete(key);
    },
  };
}

/**
 * The exact request our client makes for `run()`, as the server received it: the plain-fetch
 * baselines send these very bytes.
 */
export async function capture(server, run) {
  server.configure({ keepReceived: true });
  server.clearReceived();
  try {
    await run();
    return server.received.filter((r) => r.kind === 'update').map((r) => ({ name: r.name, body: r.body, contentType: r.headers['content-type'], path: r.path }));
  } finally {
    server.configure({ keepReceived: false });
    server.clearReceived();
  }
}

/** How a plain-JS user posts one update: fetch, read the answer, check it. */
export async function plainPost(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': FORM }, body });
  const text = await res.text();
  if (res.status !== 200 || text !== 'OK') throw new Error(`plain fetch: ${res.status} ${text}`);
}

/** The same, with the time limit every okerrupdate request has (5 s, through an AbortSignal). */
export async function plainPostWithTimeout(url, body) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': FORM }, body, signal: controller.signal });
    const text = await res.text();
    if (res.status !== 200 || text !== 'OK') throw new Error(`plain fetch: ${res.status} ${text}`);
  } finally {
    clearTimeout(timer);
  }
}

async function sentOrThrow(promise) {
  const r = await promise;
  if (!r.sent) throw new Error(`update not sent: ${r.reason}`);
}

/** `n` sequential updates of one indicator; ms. */
export async function oursSequential(indicator, n) {
  const t0 = performance.now();
  for (let k = 0; k < n; k++) await sentOrThrow(indicator.update('OK'));
  return performance.now() - t0;
}

/** `n` sequential plain fetch POSTs of `body` (with `post`, default plainPost); ms. */
export async function plainSequential(url, body, n, post = plainPost) {
  const t0 = performance.now();
  for (let k = 0; k < n; k++) await post(url, body);
  return performance.now() - t0;
}

/** One update of each indicator, all at once (Promise.all); ms. */
export async function oursFanout(indicators) {
  const t0 = performance.now();
  await Promise.all(indicators.map((i) => sentOrThrow(i.update('OK'))));
  return performance.now() - t0;
}

/** One plain fetch POST of each body (with `post`, default plainPost), all at once; ms. */
export async function plainFanout(url, bodies, post = plainPost) {
  const t0 = performance.now();
  await Promise.all(bodies.map((b) => post(url, b)));
  return performance.now() - t0;
}

/**
 * `n` calls that the throttle skips, back to back without awaiting each (each returned promise
 * is already settled); the last one is checked. Returns calls per second.
 */
export async function throttledRate(indicator, status, n) {
  let last;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) last = indicator.update(status);
  const ms = performance.now() - t0;
  const r = await last;
  if (r.reason !== 'throttled') throw new Error(`expected a throttled update, got ${r.reason}`);
  return (n * 1000) / ms;
}

/**
 * `n` throttled calls, each awaited before the next, as a loop `for (...) await ind.update(s)`
 * runs them: what users see, the call and the await together. Calls per second.
 */
export async function throttledAwaitedRate(indicator, status, n) {
  let r;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) r = await indicator.update(status);
  const ms = performance.now() - t0;
  if (r.reason !== 'throttled') throw new Error(`expected a throttled update, got ${r.reason}`);
  return (n * 1000) / ms;
}

/**
 * The plain-JS throttle of `jsThrottleRate` as an `async` function returning a frozen result,
 * each call awaited: the floor of the awaited loop. Calls per second.
 */
export async function jsThrottleAwaitedRate(n) {
  const period = 300_000;
  const last = new Map([['bench:js', { at: Date.now(), status: 'OK' }]]);
  const THROTTLED = Object.freeze({ sent: false, reason: 'throttled' });
  const update = async (name, status) => {
    const l = last.get(name);
    const now = Date.now();
    if (l && now >= l.at && now < l.at + period && l.status === String(status)) return THROTTLED;
    throw new Error('would send');
  };
  const t0 = performance.now();
  for (let k = 0; k < n; k++) await update('bench:js', 'OK');
  return (n * 1000) / (performance.now() - t0);
}

/**
 * The time of single throttled calls, each timed on its own with performance.now(); also the
 * cost of an empty timed region (the timer itself), so the reader can tell call from clock.
 * Returns `{ p50, p99, timer }` in ns.
 */
export function throttledLatency(indicator, status, n) {
  const times = new Float64Array(n);
  const empty = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    indicator.update(status);
    times[k] = performance.now() - t0;
  }
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    empty[k] = performance.now() - t0;
  }
  times.sort();
  empty.sort();
  return { p50: quantile(times, 0.5) * 1e6, p99: quantile(times, 0.99) * 1e6, timer: quantile(empty, 0.5) * 1e6 };
}

/**
 * A plain-JS throttle doing the same decision (a Map lookup, Date.now, a compare, a settled
 * promise): the floor a JS implementation would reach. Calls per second.
 */
export function jsThrottleRate(n) {
  const period = 300_000;
  const last = new Map([['bench:js', { at: Date.now(), status: 'OK' }]]);
  const THROTTLED = Object.freeze({ sent: false, reason: 'throttled' });
  const update = (name, status) => {
    const l = last.get(name);
    const now = Date.now();
    if (l && now >= l.at && now < l.at + period && l.status === String(status)) return Promise.resolve(THROTTLED);
    return Promise.reject(new Error('would send'));
  };
  const t0 = performance.now();
  for (let k = 0; k < n; k++) update('bench:js', 'OK');
  return (n * 1000) / (performance.now() - t0);
}
