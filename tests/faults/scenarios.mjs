// Fault scenarios: the local server misbehaves on request, and each update (or API call)
// settles with the right OkerrError code, or is delivered exactly once, in bounded time.
// Each scenario asserts for itself, so the canary suite can replay them all at debug level.
import assert from 'node:assert/strict';
import { acceptedOf, closedPort, isOkerrError, TEXTID, updatesOf } from './harness.mjs';

// Wall-clock slack for a loaded 2-core CI machine, on top of the computed bound.
const SLACK_MS = 800;

/** The longest an update may take: every attempt times out, plus every backoff wait. */
function bound(o, extraMs = 0) {
  let backoff = 0;
  for (let k = 1; k <= o.retries; k++) backoff += o.backoffMs * 2 ** (k - 1);
  return o.timeoutMs * (o.retries + 1) + backoff + extraMs + SLACK_MS;
}

let seq = 0;
const fresh = (what) => `${what}-${++seq}`;

/** The project keeps working after the scenario: a new status goes out and is stored once. */
async function stillWorks(ctx, project) {
  ctx.srv.clearFaults();
  const name = fresh('after');
  const r = await ctx.settle(ctx.indicator(project, name).update('OK'));
  assert.equal(r.error, undefined, `the project no longer works: ${r.error?.message}`);
  assert.deepEqual({ ...r.value }, { sent: true, reason: 'sent' });
  assert.equal(acceptedOf(ctx.srv, name), 1);
}

/** A retryable answer (or several) before success: delivered exactly once. */
function retriedThenSent(label, faults, { direct = true, minMs = 0, more = {} } = {}) {
  return {
    name: `${label} then success: delivered exactly once`,
    async run(ctx) {
      const p = ctx.project({ direct, ...more });
      const name = fresh('retried');
      ctx.srv.addFault(faults.map((f) => ({ path: '/update', ...f })));
      const r = await ctx.settle(ctx.indicator(p, name).update('OK'));
      assert.equal(r.error, undefined, r.error?.message);
      assert.equal(r.value.sent, true);
      const attempts = updatesOf(ctx.srv, name);
      // A delayed answer is still an answer: only the other faults cost an attempt.
      const expected = faults.filter((f) => f.kind !== 'delay').reduce((n, f) => n + (f.times ?? 1), 0) + 1;
      assert.equal(attempts.length, expected, 'one attempt per fault, then the one that went through');
      assert.equal(acceptedOf(ctx.srv, name), 1, 'stored exactly once');
      assert.equal(ctx.srv.indicator(TEXTID, name)?.status, 'OK');
      assert.ok(r.ms >= minMs, `took ${r.ms} ms, Retry-After wanted at least ${minMs}`);
      assert.ok(r.ms < bound(ctx.options(more), minMs), `took ${r.ms} ms`);
      await stillWorks(ctx, p);
    },
  };
}

/** Every attempt fails the same way: the promise rejects with `code` in bounded time. */
function failsWith(label, code, { faults, direct = true, more = {}, minMs = 0, check, sendsUpdate = true }) {
  return {
    name: `${label}: ${code}`,
    async run(ctx) {
      const p = ctx.project({ direct, ...more });
      const name = fresh('fails');
      ctx.srv.addFault(faults(ctx));
      const r = await ctx.settle(ctx.indicator(p, name).update('OK'));
      assert.ok(isOkerrError(r.error, code), `expected OkerrError ${code}, got ${r.error?.code} ${r.error?.message ?? JSON.stringify(r.value)}`);
      assert.ok(r.ms >= minMs, `took ${r.ms} ms, expected at least ${minMs}`);
      assert.ok(r.ms < bound(ctx.options(more)), `took ${r.ms} ms, bound ${bound(ctx.options(more))}`);
      assert.equal(acceptedOf(ctx.srv, name), 0, 'nothing stored');
      if (!sendsUpdate) assert.equal(updatesOf(ctx.srv, name).length, 0, 'no update may go out');
      check?.(r.error, ctx, name);
      await stillWorks(ctx, p);
    },
  };
}

/** Run one scenario with no fault left over from another, and none left behind. */
export async function runScenario(scenario, ctx) {
  ctx.srv.clearFaults();
  try {
    await scenario.run(ctx);
  } finally {
    ctx.srv.clearFaults();
  }
}

const ALL = -1;

export const faultScenarios = [
  retriedThenSent('500, 500', [{ kind: 'status', status: 500, times: 2 }]),
  retriedThenSent('502, 502, 502', [{ kind: 'status', status: 502, times: 3 }]),
  retriedThenSent('503', [{ kind: 'status', status: 503 }]),
  retriedThenSent('504, 504', [{ kind: 'status', status: 504, times: 2 }]),
  retriedThenSent('429', [{ kind: 'status', status: 429 }]),
  retriedThenSent('500, 502, 503 (through the director)', [
    { kind: 'status', status: 500 },
    { kind: 'status', status: 502 },
    { kind: 'status', status: 503 },
  ], { direct: false }),
  retriedThenSent('429 with Retry-After: 1', [{ kind: 'status', status: 429, retryAfter: 1 }], { minMs: 950 }),
  retriedThenSent('503 with Retry-After: 1', [{ kind: 'status', status: 503, retryAfter: '1' }], { minMs: 950 }),
  {
    name: '503 with an HTTP-date Retry-After two seconds ahead: the wait follows the date',
    async run(ctx) {
      const p = ctx.project({ direct: true });
      const name = fresh('date');
      // The date has whole seconds: two seconds ahead is more than one second from now.
      ctx.srv.addFault({ path: '/update', kind: 'status', status: 503, retryAfter: new Date(Date.now() + 2000).toUTCString() });
      const r = await ctx.settle(ctx.indicator(p, name).update('OK'));
      assert.equal(r.error, undefined, r.error?.message);
      const [first, second] = updatesOf(ctx.srv, name);
      assert.ok(second.time - first.time >= 900, `retried after ${second.time - first.time} ms`);
      assert.equal(acceptedOf(ctx.srv, name), 1);
    },
  },
  retriedThenSent('a hang (no answer at all)', [{ kind: 'hang' }], { minMs: 240 }),
  retriedThenSent('a reset at connect', [{ kind: 'reset', at: 'connect' }]),
  retriedThenSent('a reset after the headers', [{ kind: 'reset', at: 'headers' }]),
  retriedThenSent('a reset mid-answer', [{ kind: 'reset', at: 'partial' }]),
  // The timeout is far above the delay: a loaded machine must not turn this answer into a timeout.
  retriedThenSent('a slow answer within the timeout', [{ kind: 'delay', ms: 100 }], { more: { timeoutMs: 2000 } }),
  failsWith('503 on every attempt', 'HTTP', {
    faults: () => ({ path: '/update', kind: 'status', status: 503, times: ALL }),
    check(e, ctx, name) {
      assert.equal(e.status, 503);
      assert.equal(updatesOf(ctx.srv, name).length, ctx.options().retries + 1, 'retries + 1 attempts');
    },
  }),
  failsWith('429 on every attempt with a huge Retry-After (capped, and retries stop)', 'HTTP', {
    more: { retries: 1, backoffMs: 1 },
    faults: () => ({ path: '/update', kind: 'status', status: 429, retryAfter: 1, times: ALL }),
    minMs: 950,
    check: (e) => assert.equal(e.status, 429),
  }),
  failsWith('a server that never answers', 'TIMEOUT', {
    faults: () => ({ path: '/update', kind: 'hang', times: ALL }),
    minMs: 250 * 4 - 20,
    check(e, ctx, name) {
      assert.equal(updatesOf(ctx.srv, name).length, 4, 'the retries went out after each timeout');
      assert.match(e.message, /within 250 ms \(4 attempts\)/);
    },
  }),
  failsWith('a reset mid-answer on every attempt', 'NETWORK', {
    faults: () => ({ path: '/update', kind: 'reset', at: 'partial', times: ALL }),
  }),
  failsWith('a reset at connect on every attempt', 'NETWORK', {
    faults: () => ({ path: '/update', kind: 'reset', at: 'connect', times: ALL }),
  }),
  {
    name: 'connection refused: NETWORK after every retry, in bounded time',
    async run(ctx) {
      const port = await closedPort();
      const o = ctx.options({ direct: true, url: `http://127.0.0.1:${port}/` });
      const p = ctx.project(o);
      const r = await ctx.settle(ctx.indicator(p, fresh('refused')).update('OK'));
      assert.ok(isOkerrError(r.error, 'NETWORK'), `${r.error?.code} ${r.error?.message}`);
      assert.match(r.error.message, /4 attempts/);
      assert.ok(r.ms < bound(o), `took ${r.ms} ms`);
    },
  },
  {
    name: 'director refuses connections: DIRECTOR',
    async run(ctx) {
      const port = await closedPort();
      const o = ctx.options({ url: `http://127.0.0.1:${port}/` });
      const r = await ctx.settle(ctx.indicator(ctx.project(o), fresh('dir-refused')).update('OK'));
      assert.ok(isOkerrError(r.error, 'DIRECTOR'), `${r.error?.code} ${r.error?.message}`);
      assert.ok(r.ms < bound(o), `took ${r.ms} ms`);
    },
  },
  failsWith('director never answers', 'DIRECTOR', {
    direct: false,
    sendsUpdate: false,
    faults: () => ({ path: '/api/director/', kind: 'hang', times: ALL }),
  }),
  failsWith('director answers 503 on every attempt', 'DIRECTOR', {
    direct: false,
    sendsUpdate: false,
    faults: () => ({ path: '/api/director/', kind: 'status', status: 503, times: ALL }),
  }),
  failsWith('director resets the connection', 'DIRECTOR', {
    direct: false,
    sendsUpdate: false,
    faults: () => ({ path: '/api/director/', kind: 'reset', times: ALL }),
  }),
  failsWith('director answers 404', 'DIRECTOR', {
    direct: false,
    sendsUpdate: false,
    faults: () => ({ path: '/api/director/', kind: 'status', status: 404, body: '' }),
    check: (e) => assert.equal(e.status, 404),
  }),
  {
    name: 'director does not know the textid (real 404): DIRECTOR, nothing sent',
    async run(ctx) {
      const p = ctx.project({ textid: 'no-such-project' });
      const r = await ctx.settle(ctx.indicator(p, fresh('unknown')).update('OK'));
      assert.ok(isOkerrError(r.error, 'DIRECTOR'), `${r.error?.code} ${r.error?.message}`);
      assert.equal(r.error.status, 404);
      assert.equal(ctx.srv.received.filter((x) => x.kind === 'update' && x.textid === 'no-such-project').length, 0);
    },
  },
  failsWith('director answers garbage', 'DIRECTOR', {
    direct: false,
    sendsUpdate: false,
    faults: () => ({ path: '/api/director/', kind: 'garbage' }),
  }),
  failsWith('director answers a javascript: URL', 'DIRECTOR', {
    direct: false,
    sendsUpdate: false,
    faults: () => ({ path: '/api/director/', kind: 'directorUrl', url: 'javascript:alert(1)' }),
  }),
  failsWith('director answers bytes that are not UTF-8', 'DIRECTOR', {
    direct: false,
    sendsUpdate: false,
    faults: () => ({ path: '/api/director/', kind: 'body', status: 200, bytes: [0x68, 0x74, 0x74, 0x70, 0xff, 0xfe, 0x80] }),
  }),
  failsWith('director answers a 1 MB page', 'DIRECTOR', {
    direct: false,
    sendsUpdate: false,
    faults: () => ({ path: '/api/director/', kind: 'body', status: 200, size: 1_000_000 }),
    check: (e) => assert.ok(e.body.length <= 1000 && e.message.length < 500, `body ${e.body.length}, message ${e.message.length}`),
  }),
  httpsBase('names a plain-http node for an https base: refused, the secret never leaves', (srv) => srv.url, 'DIRECTOR'),
  httpsBase('names an https node for an https base: delivered (the test route works)', () => 'https://node.okerr.test/', null),
  failsWith('a 1 MB error page on every attempt (the error keeps a short excerpt)', 'HTTP', {
    faults: () => ({ path: '/update', kind: 'body', status: 500, size: 1_000_000, times: ALL }),
    check(e) {
      assert.equal(e.status, 500);
      assert.ok(e.body.length <= 1000, `body excerpt of ${e.body.length} chars`);
      assert.ok(e.message.length < 500, `message of ${e.message.length} chars`);
    },
  }),
  failsWith('a 1 MB 400 page (not retried)', 'HTTP', {
    faults: () => ({ path: '/update', kind: 'body', status: 400, size: 1_000_000 }),
    check(e, ctx, name) {
      assert.equal(updatesOf(ctx.srv, name).length, 1, 'a 400 is final');
      assert.ok(e.body.length <= 1000);
    },
  }),
  failsWith('a 1 MB page starting ERROR: (no megabyte error code)', 'HTTP', {
    faults: () => ({ path: '/update', kind: 'body', status: 400, body: `ERROR:${'X'.repeat(1_000_000)}` }),
    check: (e) => assert.ok(e.body.length <= 1000),
  }),
  failsWith('a server code answer', 'LIMIT_MAXINDICATORS', {
    faults: () => ({ path: '/update', kind: 'status', status: 400, body: 'ERROR:LIMIT_MAXINDICATORS Project already has 3 indicators' }),
  }),
  failsWith('an error body that is not UTF-8', 'HTTP', {
    faults: () => ({ path: '/update', kind: 'body', status: 400, bytes: [0xff, 0xfe, 0x41, 0x80, 0x0a, 0xc3, 0x28, 0x1b, 0x5b, 0x32, 0x4a] }),
    check(e) {
      assert.ok(e.body.includes('\uFFFD'), JSON.stringify(e.body));
      assert.ok(![...e.message].some((c) => c < ' ' || (c >= '\x7f' && c <= '\x9f')), `control characters in ${JSON.stringify(e.message)}`);
    },
  }),
  failsWith('a 200 that is not OK (a proxy page): not counted as sent', 'REJECTED', {
    faults: () => ({ path: '/update', kind: 'garbage', body: '<html>captive portal</html>' }),
  }),
  failsWith('an empty 200', 'REJECTED', {
    faults: () => ({ path: '/update', kind: 'body', status: 200, body: '' }),
  }),
  {
    name: 'a failed send is not a send: the same status goes out again at once and is stored once',
    async run(ctx) {
      const p = ctx.project({ direct: true, retries: 0 });
      const name = fresh('again');
      const ind = ctx.indicator(p, name);
      ctx.srv.addFault({ path: '/update', kind: 'status', status: 503 });
      const first = await ctx.settle(ind.update('OK'));
      assert.ok(isOkerrError(first.error, 'HTTP'));
      const second = await ctx.settle(ind.update('OK'));
      assert.deepEqual({ ...second.value }, { sent: true, reason: 'sent' });
      const third = await ctx.settle(ind.update('OK'));
      assert.deepEqual({ ...third.value }, { sent: false, reason: 'throttled' });
      assert.equal(acceptedOf(ctx.srv, name), 1);
    },
  },
  {
    name: 'API call against a hanging server: TIMEOUT in bounded time; 503s then success',
    async run(ctx) {
      const o = ctx.options({ direct: true });
      const p = ctx.project(o);
      ctx.srv.addFault({ path: '/api/indicators/', kind: 'hang', times: ALL });
      const r = await ctx.settle(p.listIndicators());
      assert.ok(isOkerrError(r.error, 'TIMEOUT'), `${r.error?.code} ${r.error?.message}`);
      assert.ok(r.ms < bound(o), `took ${r.ms} ms`);
      ctx.srv.clearFaults();
      ctx.srv.addFault({ path: '/api/indicators/', kind: 'status', status: 503, times: 2 });
      const ok = await ctx.settle(p.listIndicators());
      assert.equal(ok.error, undefined, ok.error?.message);
      assert.ok(Array.isArray(ok.value));
    },
  },
  {
    name: 'API call answered with a 1 MB 500 page: HTTP with a short excerpt',
    async run(ctx) {
      const p = ctx.project({ direct: true, retries: 1 });
      ctx.srv.addFault({ path: '/api/', kind: 'body', status: 500, size: 1_000_000, times: ALL });
      const r = await ctx.settle(p.getIndicator('x'));
      assert.ok(isOkerrError(r.error), `${r.error}`);
      assert.ok((r.error.body ?? '').length <= 1000 && r.error.message.length < 500);
    },
  },
];

/** A project whose base is https (routed by a test-only `fetch` to the local server). */
function httpsBase(label, nodeUrl, code) {
  return {
    name: `director ${label}`,
    async run(ctx) {
      const base = 'https://okerr.test/';
      const node = 'https://node.okerr.test/';
      const routed = [];
      // Tests cannot use real https: this fetch sends https URLs of the two test hosts to the
      // local server, and records every URL the client asked for.
      const fetchVia = (url, init) => {
        routed.push(url);
        return fetch(url.replace(base, ctx.srv.url).replace(node, ctx.srv.url), init);
      };
      const p = ctx.project({ url: base, fetch: fetchVia });
      const name = fresh('https');
      ctx.srv.addFault({ path: '/api/director/', kind: 'directorUrl', url: nodeUrl(ctx.srv) });
      const r = await ctx.settle(ctx.indicator(p, name).update('OK'));
      if (code) {
        assert.ok(isOkerrError(r.error, code), `${r.error?.code} ${r.error?.message}`);
        assert.match(r.error.message, /plain-http/);
        assert.deepEqual(routed, [`${base}api/director/${TEXTID}`], 'only the director was asked');
        assert.equal(updatesOf(ctx.srv, name).length, 0);
      } else {
        assert.equal(r.error, undefined, r.error?.message);
        assert.deepEqual(routed, [`${base}api/director/${TEXTID}`, `${node}update`]);
        assert.equal(acceptedOf(ctx.srv, name), 1);
      }
    },
  };
}
