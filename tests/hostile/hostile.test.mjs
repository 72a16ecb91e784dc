// The promises of SECURITY.md against servers, callers and runtimes built to break them: echoes
// of the secret cut at every limit, every kind of redirect (plain and https, with a certificate
// made at test time by run.sh), slow and endless answers, a 100 MB answer, a polluted
// Object.prototype, a fetch that ignores its signal, loggers that call back into the project,
// lone surrogates. Each test failed on the code before the fix it names.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { OkerrError, OkerrProject } from 'okerrupdate';
import { textForms } from '../faults/harness.mjs';
import { answer, leaks, memoryLogger, spellings, startRaw } from './servers.mjs';

const SECRET = 'Zq7Xk9CANARYw3Pv8Ym2tR';
const KEY = 'Kx9Qz4CANARYb7Nd2Lf6Wj';
const SPECIAL = 'Sp3c CANARY&sécret/"<x>\'+%';
const APP = fileURLToPath(new URL('../out/app/', import.meta.url));

/** What a promise came to, without letting a rejection escape. */
async function settle(promise) {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

function project(url, extra = {}) {
  const { logger, lines } = memoryLogger();
  const p = new OkerrProject({ textid: 'T', secret: SECRET, apiKey: KEY, url, direct: true, retries: 0, backoffMs: 1, timeoutMs: 3000, logLevel: 'debug', logger, ...extra });
  return { p, lines };
}

/** Every text the error and the log lines show, checked for pieces of each secret. */
function assertNoLeak(error, lines, secrets = [SECRET, KEY]) {
  const texts = [...(error ? textForms(error) : []), ...lines].join('\n');
  for (const s of secrets) assert.deepEqual(leaks(texts, s), [], `a piece of the secret shows in:\n${texts}`);
}

const isCode = (code) => (e) => e instanceof OkerrError && e.code === code;

describe('1-2. mask first, cut after, at one boundary', () => {
  let srv;
  let reply;
  before(async () => {
    srv = await startRaw((req, res, r) => reply(res, r));
  });
  after(() => srv.close());

  it('an echoed secret straddling the message, log and body limits leaves no piece of it', async () => {
    // The first line is cut at 200 characters in the message and log line, the body at 1000.
    for (const at of [...Array(16).keys()].flatMap((k) => [185 + k, 985 + k])) {
      reply = (res, r) => answer(res, 400, 'x'.repeat(at) + new URLSearchParams(r.body).get('secret') + ' tail');
      const { p, lines } = project(srv.url);
      const { error } = await settle(p.indicator(`cut${at}`).update('OK'));
      assert.ok(isCode('HTTP')(error), String(error));
      assertNoLeak(error, lines);
    }
  });

  it('an API key echoed in a 403 or 404 at the limits leaves no piece of it', async () => {
    for (const status of [403, 404]) {
      for (const at of [190, 195, 199, 990, 995, 999]) {
        reply = (res, r) => answer(res, status, 'y'.repeat(at) + r.headers['x-api-key'] + ' tail');
        const { p, lines } = project(srv.url);
        const { error } = await settle(p.getIndicator('x'));
        assert.ok(error instanceof OkerrError, String(error));
        assertNoLeak(error, lines);
      }
    }
  });

  it('every spelling of an echoed secret is masked', async () => {
    const all = Object.values(spellings(SPECIAL)).join(' | ');
    reply = (res) => answer(res, 500, `${all}\n${all}`);
    const { p, lines } = project(srv.url, { secret: SPECIAL });
    const { error } = await settle(p.indicator('spelled').update('OK'));
    assert.ok(isCode('HTTP')(error), String(error));
    assertNoLeak(error, lines, [SPECIAL, KEY]);
    assert.match(error.body, /\[secret\]/);
  });

  it('a secret in the wrong setting is masked in the error that quotes it', () => {
    const M = 'Mq4Jr7CANARYe2Wc9Ub5';
    const attempts = [
      () => new OkerrProject('t', SECRET).indicator('x', { method: `|secret=${M}` }),
      () => new OkerrProject('t', SECRET).indicator('x', { method: `secret=${M}` }),
      () => new OkerrProject('t', SECRET).indicator('x', { method: `${'h'.repeat(50)}|secret=${M}` }),
      () => OkerrProject.fromEnv({ OKERR_TEXTID: 't', OKERR_SECRET: SECRET, OKERR_DIRECT: SECRET }),
      () => OkerrProject.fromConfig(`OKERR_TEXTID=t\nOKERR_SECRET=${SECRET}\nOKERR_DIRECT=${SECRET}\n`),
      () => new OkerrProject('t', SECRET).setLogLevel(SECRET),
      () => new OkerrProject('t', SECRET).setLogLevel(`${'l'.repeat(50)}${SECRET}`),
      () => new OkerrProject('t', SECRET, { url: `https://${'u'.repeat(40)}${SECRET}.example/ x` }),
      () => new OkerrProject('t', undefined, { apiKey: KEY, mode: `${'m'.repeat(45)}${KEY}` }),
    ];
    for (const attempt of attempts) {
      let error;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      assert.ok(isCode('INVALID_ARGUMENT')(error), `${attempt}: ${error}`);
      assertNoLeak(error, [], [SECRET, KEY, M]);
    }
  });

  it("the command-line tool's stderr masks a secret in a bad setting", async () => {
    const home = mkdtempSync(join(tmpdir(), 'okerr-hostile-home-'));
    const run = (args, env) => new Promise((resolve) => {
      execFile(join(APP, 'node_modules/.bin/okerrupdate'), args, { env: { PATH: process.env.PATH, HOME: home, ...env } }, (error, stdout, stderr) => resolve({ code: error?.code ?? 0, out: stdout + stderr }));
    });
    try {
      for (const [args, env] of [
        [['-i', 't', 'x', 'OK'], { OKERR_SECRET: SECRET, OKERR_DIRECT: SECRET }],
        [['-i', 't', '-S', SECRET, '--url', `http://${'v'.repeat(45)}${SECRET}/ x`, 'x', 'OK'], {}],
      ]) {
        const { code, out } = await run(args, env);
        assert.equal(code, 1, out);
        assert.deepEqual(leaks(out, SECRET), [], out);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('3. updates never follow redirects', () => {
  let evil;
  before(async () => {
    evil = await startRaw((req, res) => answer(res, 200, 'OK'));
  });
  after(() => evil.close());

  for (const status of [301, 302, 303, 307, 308]) {
    it(`an update answered ${status} fails with REDIRECT: not followed, not retried, not counted as sent`, async () => {
      let redirect = true;
      const origin = await startRaw((req, res) => (redirect ? answer(res, status, '', { location: `${evil.url}update?secret=${SECRET}` }) : answer(res, 200, 'OK')));
      try {
        evil.requests.length = 0;
        const { p, lines } = project(origin.url, { retries: 3 });
        const ind = p.indicator('moved');
        const { error } = await settle(ind.update('OK'));
        assert.ok(isCode('REDIRECT')(error), String(error));
        assert.equal(error.status, status);
        assert.ok(error.message.includes(evil.origin), error.message);
        assertNoLeak(error, lines);
        assert.equal(evil.requests.length, 0, 'the redirect target got nothing');
        assert.equal(origin.requests.length, 1, 'a redirect is not retried');
        redirect = false;
        assert.deepEqual(await ind.update('OK'), { sent: true, reason: 'sent' }, 'the same update goes out again: it was not sent');
      } finally {
        await origin.close();
      }
    });
  }

  it('an https server redirecting an update to plain http gets REDIRECT and the http server nothing', async () => {
    const origin = await startRaw((req, res) => answer(res, 307, '', { location: `${evil.url}update` }), { https: true });
    try {
      evil.requests.length = 0;
      const { p, lines } = project(origin.url);
      const { error } = await settle(p.indicator('tls').update('OK'));
      assert.ok(isCode('REDIRECT')(error), String(error));
      assertNoLeak(error, lines);
      assert.equal(evil.requests.length, 0);
    } finally {
      await origin.close();
    }
  });

  it('a director redirect from https to plain http is refused; https to https is followed', async () => {
    const node = await startRaw((req, res) => answer(res, 200, 'OK'), { https: true });
    const second = await startRaw((req, res) => answer(res, 200, `${node.url}\n`), { https: true });
    let to = `${evil.url}api/director/T`;
    const director = await startRaw((req, res) => answer(res, 302, '', { location: to }), { https: true });
    try {
      evil.requests.length = 0;
      const { p } = project(director.url, { direct: false });
      const { error } = await settle(p.indicator('d').update('OK'));
      assert.ok(isCode('DIRECTOR')(error), String(error));
      assert.match(error.message, /plain-http/);
      assert.equal(evil.requests.length, 0, 'nothing went to the plain-http director');
      assert.equal(node.requests.length, 0, 'no update was sent');

      to = `${second.url}api/director/T`;
      const { p: q } = project(director.url, { direct: false });
      assert.deepEqual(await q.indicator('d').update('OK'), { sent: true, reason: 'sent' });
      assert.equal(node.requests.length, 1);
    } finally {
      await Promise.all([node.close(), second.close(), director.close()]);
    }
  });
});

describe('4. the throttle follows the update started last', () => {
  it('OK answered slowly, ERR at once: a following OK is sent, and the server ends OK', async () => {
    const stored = [];
    const srv = await startRaw(async (req, res, r) => {
      const status = new URLSearchParams(r.body).get('status');
      stored.push(status);
      if (status === 'OK' && stored.length === 1) await new Promise((resolve) => setTimeout(resolve, 300));
      answer(res, 200, 'OK');
    });
    try {
      const { p } = project(srv.url);
      const ind = p.indicator('order');
      const slow = ind.update('OK');
      while (stored.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const fast = await ind.update('ERR');
      assert.equal(fast.sent, true);
      assert.equal((await slow).sent, true);
      assert.deepEqual(await ind.update('OK'), { sent: true, reason: 'sent' }, 'the server holds ERR: OK must not be throttled');
      assert.deepEqual(stored, ['OK', 'ERR', 'OK']);
    } finally {
      await srv.close();
    }
  });
});

/**
 * A server answering every request but a warm-up one with 100 MB of `line` (64 KB chunks),
 * as fast as the client reads; `written()` says how much went out.
 */
async function hundredMegabytes(line, isWarm, warm) {
  let written = 0;
  const srv = await startRaw(async (req, res, r) => {
    // The child's warm-up call gets a short answer, so that a broken limit shows in the
    // growth it measures after it.
    if (isWarm(req, r)) return answer(res, 200, warm);
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.from(line.repeat(Math.ceil((64 * 1024) / line.length)));
    for (let sent = 0; sent < 100 * 1024 * 1024 && !res.destroyed; sent += chunk.length) {
      written += chunk.length;
      if (!res.write(chunk)) {
        await new Promise((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
    res.end();
  });
  return { srv, written: () => written };
}

/** big-answer.mjs in a process of its own against `url`, for `call`: what it measured. */
async function measureBigAnswer(url, call) {
  const script = fileURLToPath(new URL('./big-answer.mjs', import.meta.url));
  const out = await new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', script, url, call], { cwd: fileURLToPath(new URL('.', import.meta.url)) }, (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)));
  });
  return JSON.parse(out);
}

describe('5. bounded answers', () => {
  it('a 100 MB answer is read to 64 KB and cancelled: wasm memory stays within 1 MiB', async () => {
    const { srv, written } = await hundredMegabytes('x', (req, r) => new URLSearchParams(r.body).get('name') === 'warm', 'OK');
    try {
      const m = await measureBigAnswer(srv.url, 'update');
      assert.equal(m.code, 'REJECTED', JSON.stringify(m));
      assert.ok(m.bodyLength <= 1000, `the error keeps an excerpt, not the answer: ${m.bodyLength}`);
      assert.ok(m.wasmAfter - m.wasmBefore <= 1 << 20, `wasm memory grew by ${m.wasmAfter - m.wasmBefore} bytes`);
      assert.ok(m.afterwards, 'the project still sends after it');
      // Two updates answered, each cancelled after its first chunks.
      assert.ok(written() < 50 * 1024 * 1024, `the answer was read on: ${written()} bytes written`);
    } finally {
      await srv.close();
    }
  });

  it('a 100 MB list is read to 8 MiB and refused as TOO_LARGE, never a cut list: wasm memory stays within 1 MiB', async () => {
    const { srv, written } = await hundredMegabytes('servers:web-0042.example.com\n', (req) => req.url.endsWith('/warm'), 'warm:1\n');
    try {
      const m = await measureBigAnswer(srv.url, 'list');
      assert.equal(m.code, 'TOO_LARGE', JSON.stringify(m));
      assert.equal(m.again, 'TOO_LARGE');
      assert.ok(m.bodyLength <= 1000, `the error keeps an excerpt, not the answer: ${m.bodyLength}`);
      // The chunks wait in JS: of an answer past the bound only its first 64 KB enters the
      // wasm memory (growing a buffer chunk by chunk grew it by 24 MiB).
      const grew = m.wasmAfter - m.wasmBefore;
      assert.ok(grew <= 1 << 20, `wasm memory grew by ${grew} bytes`);
      assert.ok(m.wasmAgain - m.wasmAfter <= 1 << 20, `a second one grew it again, by ${m.wasmAgain - m.wasmAfter} bytes`);
      assert.ok(m.afterwards, 'the project still sends after it');
      assert.ok(written() < 60 * 1024 * 1024, `the answer was read on: ${written()} bytes written`);
    } finally {
      await srv.close();
    }
  });

  it('an endless answer, trickled a byte at a time, is a TIMEOUT', async () => {
    const srv = await startRaw(async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      while (!res.destroyed) {
        res.write('O');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    try {
      const { p } = project(srv.url, { timeoutMs: 300, retries: 1 });
      const { error } = await settle(p.indicator('trickle').update('OK'));
      assert.ok(isCode('TIMEOUT')(error), String(error));
      assert.equal(srv.requests.length, 2, 'tried again once');
    } finally {
      await srv.close();
    }
  });
});

describe('6. options are own properties only', () => {
  let srv;
  before(async () => {
    srv = await startRaw((req, res) => answer(res, 200, 'OK'));
  });
  after(() => srv.close());

  it('Object.prototype.fetch and .logger are never used; Object.prototype.textid changes nothing', async () => {
    const spied = [];
    const polluted = {
      fetch: (...args) => {
        spied.push(args);
        return fetch(...args);
      },
      logger: { debug: () => spied.push('log'), info: () => spied.push('log'), warn: () => spied.push('log'), error: () => spied.push('log') },
      textid: 'polluted',
    };
    try {
      Object.assign(Object.prototype, polluted);
      const p = new OkerrProject('t', 's', {});
      assert.equal(p.textid, 't');
      const q = new OkerrProject({ textid: 'T', secret: SECRET, url: srv.url, direct: true });
      assert.equal((await q.indicator('own').update('OK')).sent, true);
    } finally {
      for (const k of Object.keys(polluted)) delete Object.prototype[k];
    }
    assert.deepEqual(spied, [], 'the polluted fetch or logger was used');
    assert.equal(srv.requests.length, 1, 'the update went out through the real fetch');
  });

  it('options inherited through Object.create are all ignored alike', async () => {
    const used = [];
    const spy = (...args) => {
      used.push('fetch');
      return fetch(...args);
    };
    const spyLogger = { debug: () => used.push('log'), info: () => used.push('log'), warn: () => used.push('log'), error: () => used.push('log') };
    const inherited = Object.create({ fetch: spy, logger: spyLogger, direct: false, secret: 'inherited', throttleSeconds: 0 });
    const options = Object.assign(inherited, { textid: 'T', url: srv.url, direct: true, logLevel: 'silent' });
    const p = new OkerrProject(options);
    assert.deepEqual(p.toJSON(), { textid: 'T', url: srv.url, direct: true, hasSecret: false, hasApiKey: false });
    const before = srv.requests.length;
    assert.equal((await p.indicator('inherit').update('OK')).sent, true);
    assert.deepEqual(used, [], 'an inherited fetch or logger was used');
    assert.equal(new URLSearchParams(srv.requests[before].body).get('secret'), null, 'an inherited secret was sent');
  });
});

describe('7. credentials in a URL', () => {
  it('a url with user:password@ is INVALID_ARGUMENT and the password is never echoed', () => {
    const PASSWORD = 'Pw5Vn3CANARYq8Tz1Hx';
    for (const attempt of [
      () => new OkerrProject('t', 's', { url: `https://user:${PASSWORD}@cp.okerr.com/` }),
      () => new OkerrProject('t', 's', { url: `https://user:${PASSWORD}@cp.okerr.com/ with space` }),
      () => OkerrProject.fromEnv({ OKERR_TEXTID: 't', OKERR_URL: `https://u:${PASSWORD}@h/` }),
    ]) {
      assert.throws(attempt, (e) => isCode('INVALID_ARGUMENT')(e) && leaks(textForms(e).join('\n'), PASSWORD).length === 0);
    }
  });
});

describe('8. timeoutMs is a hard limit', () => {
  it('a fetch that ignores its AbortSignal and never settles gives TIMEOUT', async () => {
    const p = new OkerrProject({ textid: 'T', secret: 's', url: 'http://127.0.0.1:9/', direct: true, retries: 1, backoffMs: 1, timeoutMs: 200, logLevel: 'silent', fetch: () => new Promise(() => {}) });
    const { error } = await settle(p.indicator('stuck').update('OK'));
    assert.ok(isCode('TIMEOUT')(error), String(error));
  });

  it('an answer whose body never ends and ignores cancel gives TIMEOUT', async () => {
    const endless = () => new Response(new ReadableStream({ pull: () => new Promise(() => {}), cancel: () => new Promise(() => {}) }));
    const p = new OkerrProject({ textid: 'T', secret: 's', url: 'http://127.0.0.1:9/', direct: true, retries: 0, timeoutMs: 200, logLevel: 'silent', fetch: async () => endless() });
    const { error } = await settle(p.indicator('stuck-body').update('OK'));
    assert.ok(isCode('TIMEOUT')(error), String(error));
  });
});

describe('9. calls back into the project are defined behaviour', () => {
  let srv;
  before(async () => {
    srv = await startRaw((req, res) => answer(res, 200, 'OK'));
  });
  after(() => srv.close());

  it('a logger that calls setLogger, setLogLevel, indicator and update on its own project', async () => {
    let p;
    const calls = [];
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const reentrant = {};
    for (const m of ['debug', 'info', 'warn', 'error']) {
      reentrant[m] = (line) => {
        calls.push(line);
        if (calls.length > 20) return;
        // The logger's own exceptions are ignored by the client: record them to see them.
        try {
          p.setLogLevel('debug');
          p.setLogger(reentrant);
          calls.push(String(p), JSON.stringify(p));
          p.indicator(`inner${calls.length}`).update('OK').catch((e) => thrown.push(e));
          if (calls.length >= 20) p.setLogger(quiet);
        } catch (e) {
          thrown.push(e);
        }
      };
    }
    const thrown = [];
    // A dry run logs while update() runs; a send logs while its answer is read. (A secret of
    // 6 characters or more: a shorter one is warned about while the constructor runs, before
    // `p` is set; that case has a test of its own below.)
    p = new OkerrProject({ textid: 'T', secret: 'secret-s', url: srv.url, direct: true, dryRun: true, logLevel: 'debug', logger: reentrant });
    assert.equal((await p.indicator('dry').update('OK')).reason, 'dry-run');
    calls.length = 0;
    p = new OkerrProject({ textid: 'T', secret: 'secret-s', url: srv.url, direct: true, logLevel: 'debug', logger: reentrant });
    assert.equal((await p.indicator('outer').update('OK')).sent, true);
    assert.equal((await p.indicator('after').update('OK')).sent, true, 'the instance still works');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(thrown.map(String), [], 'a call back into the project threw');
  });

  it('a logger that calls back while the short-secret warning is written (in the constructor, in indicator())', async () => {
    const thrown = [];
    let p;
    let warned = 0;
    const logger = {
      debug() {}, info() {}, error() {},
      warn() {
        warned += 1;
        try {
          // In the constructor `p` is not set yet: the logger's own TypeError is ignored.
          p.indicator('again', { secret: 'xy' });
          p.setLogLevel('debug');
          p.free();
        } catch (e) {
          thrown.push(e.code ?? e.name);
        }
      },
    };
    p = new OkerrProject({ textid: 'T', secret: 's', url: srv.url, direct: true, logger });
    assert.deepEqual([warned, thrown], [1, ['TypeError']]);
    const q = new OkerrProject({ textid: 'T', secret: 'long-enough', url: srv.url, direct: true, logger });
    p = q;
    const ind = q.indicator('short', { secret: 'ab' });
    // Warned once: the call back made another short-secret indicator without a second line,
    // and free() during indicator() is refused.
    assert.deepEqual([warned, thrown], [2, ['TypeError', 'INVALID_ARGUMENT']]);
    assert.equal(ind.name, 'short');
    assert.equal((await q.indicator('works').update('OK')).sent, true, 'the project still works');
  });

  it('a fetch and an option getter that call back into the project', async () => {
    let p;
    const fetchBack = (url, init) => {
      p.setLogLevel('silent');
      p.indicator('from-fetch');
      return fetch(url, init);
    };
    p = new OkerrProject({ textid: 'T', secret: 's', url: srv.url, direct: true, logLevel: 'silent', fetch: fetchBack });
    const options = {
      get method() {
        p.setLogLevel('debug');
        p.indicator('from-getter');
        return 'heartbeat';
      },
    };
    assert.equal((await p.indicator('getter', options).update('OK')).sent, true);
    assert.equal((await p.indicator('again').update('OK')).sent, true);
  });
});

describe('10. lone surrogates', () => {
  it('in a name, a secret, a status or details are INVALID_ARGUMENT', async () => {
    const p = new OkerrProject({ textid: 'T', secret: 's', url: 'http://127.0.0.1:9/', direct: true, dryRun: true, logLevel: 'silent' });
    assert.throws(() => p.indicator('cpu\uD800'), isCode('INVALID_ARGUMENT'));
    assert.throws(() => p.indicator('cpu\uDBFF'), isCode('INVALID_ARGUMENT'));
    assert.throws(() => new OkerrProject('t', 's\uDC00'), isCode('INVALID_ARGUMENT'));
    assert.throws(() => new OkerrProject('t\uD83D'), isCode('INVALID_ARGUMENT'));
    const str = p.indicator('s', { method: 'string' });
    await assert.rejects(str.update('a\uD800b'), isCode('INVALID_ARGUMENT'));
    await assert.rejects(str.update('ok', 'details \uDFFF'), isCode('INVALID_ARGUMENT'));
    assert.deepEqual(await str.update('a\uD83D\uDE00b', 'a pair is fine \uD83D\uDE00'), { sent: false, reason: 'dry-run' });
  });
});

// Found by an attacker's review after the fixes above; each failed before its own fix.
describe('11. holes found in review', () => {
  let srv;
  let reply;
  before(async () => {
    srv = await startRaw((req, res, r) => reply(req, res, r));
  });
  after(() => srv.close());

  it('an API answer that is not JSON, echoing the key at the cut, leaks no piece of it', async () => {
    for (const at of [0, 150, 190, 195, 199]) {
      reply = (req, res, r) => answer(res, 200, `{"echo": "${'z'.repeat(at)}${r.headers['x-api-key']}", oops`);
      const { p, lines } = project(srv.url);
      const { error } = await settle(p.getIndicator('x'));
      assert.ok(error instanceof OkerrError, String(error));
      assertNoLeak(error, lines);
    }
  });

  it("a redirect's Location echoing the key, cut in the message, leaks no piece of it", async () => {
    for (const location of [(key) => `ftp://h/${'x'.repeat(40)}${key}`, (key) => `/hop/${'y'.repeat(165)}${key}`]) {
      reply = (req, res, r) => (req.url.startsWith('/hop/') ? answer(res, 302) : answer(res, 302, '', { location: location(r.headers['x-api-key']) }));
      const { p, lines } = project(srv.url);
      const { error } = await settle(p.getIndicator('x'));
      assert.ok(error instanceof OkerrError, String(error));
      assertNoLeak(error, lines);
    }
  });

  it('a compressed answer that declares a small length is still read only to 64 KB', async () => {
    const { gzipSync } = await import('node:zlib');
    const bomb = gzipSync(Buffer.alloc(60 * 1024 * 1024, 'x'), { level: 9 });
    const bombServer = await startRaw((req, res, r) => {
      if (new URLSearchParams(r.body).get('name') === 'warm') return answer(res, 200, 'OK');
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip', 'content-length': bomb.length });
      res.end(bomb);
    });
    try {
      const script = fileURLToPath(new URL('./big-answer.mjs', import.meta.url));
      const out = await new Promise((resolve, reject) => {
        execFile(process.execPath, ['--expose-gc', script, bombServer.url], { cwd: fileURLToPath(new URL('.', import.meta.url)) }, (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)));
      });
      const m = JSON.parse(out);
      assert.equal(m.code, 'REJECTED', JSON.stringify(m));
      assert.ok(m.wasmAfter - m.wasmBefore <= 1 << 20, `wasm memory grew by ${m.wasmAfter - m.wasmBefore} bytes from a ${bomb.length}-byte answer`);
    } finally {
      await bombServer.close();
    }
  });

  it("a caller's fetch answering with hostile objects gets a failure in time, and the instance keeps working", async () => {
    const boom = () => {
      throw new Error('hostile getter');
    };
    const stream = (chunk) => new ReadableStream({ start: (c) => { c.enqueue(chunk); c.close(); } });
    const answers = [
      () => new (class extends Response { get headers() { return boom(); } })('OK'),
      () => new (class extends Response { get body() { return boom(); } })('OK'),
      () => new (class extends Response { get type() { return boom(); } })('OK'),
      () => new Proxy(new Response('OK'), { get: boom }),
      () => new Proxy(new Response('OK'), { getPrototypeOf: boom }),
      () => new Response(stream(new Proxy(new Uint8Array(2), { get: boom, getPrototypeOf: boom }))),
      () => new Response(stream(new (class extends Uint8Array { get length() { return boom(); } })(2))),
      () => new Response(stream(1e9)),
      () => ({ status: 200, headers: { get: boom }, body: null }),
    ];
    const uncaught = [];
    const onUncaught = (e) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      for (const [i, make] of answers.entries()) {
        const p = new OkerrProject({ textid: 'T', secret: 's', url: srv.url, direct: true, retries: 0, timeoutMs: 2000, logLevel: 'silent', fetch: async () => make() });
        const r = await settle(p.indicator(`hostile${i}`).update('OK'));
        assert.ok(r.error instanceof OkerrError || r.value, `answer ${i}: ${r.error}`);
      }
      reply = (req, res) => answer(res, 200, 'OK');
      const healthy = new OkerrProject({ textid: 'T', secret: 's', url: srv.url, direct: true, logLevel: 'silent' });
      assert.equal((await healthy.indicator('after-hostile').update('OK')).sent, true, 'another project still sends');
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    assert.deepEqual(uncaught.map(String), []);
  });

  it('free() from a logger or a getter during a call on the same object is refused; the object still works', async () => {
    let ind;
    const thrown = [];
    const logger = { debug() {}, warn() {}, error() {}, info: () => {
      try {
        ind.free();
      } catch (e) {
        thrown.push(e.code);
      }
    } };
    const p = new OkerrProject({ textid: 'T', secret: 's', url: srv.url, direct: true, dryRun: true, logger, logLevel: 'info' });
    ind = p.indicator('freed-in-call');
    assert.equal((await ind.update('OK')).reason, 'dry-run');
    assert.deepEqual(thrown, ['INVALID_ARGUMENT']);
    assert.equal((await ind.update('ERR')).reason, 'dry-run', 'the indicator still works');
    const q = new OkerrProject({ textid: 'T', secret: 's', url: srv.url, direct: true, dryRun: true, logLevel: 'silent' });
    const options = {
      get method() {
        try {
          q.free();
        } catch (e) {
          thrown.push(e.code);
        }
        return 'heartbeat';
      },
    };
    assert.equal(q.indicator('getter', options).name, 'getter');
    assert.ok(thrown.length >= 2 && thrown.every((c) => c === 'INVALID_ARGUMENT'), String(thrown));
    ind.free();
    await assert.rejects(ind.update('OK'), isCode('FREED'));
    q.free();
    assert.throws(() => q.indicator('x'), isCode('FREED'));
  });

  it('OK sent, ERR slow in flight, then OK: the last OK is sent and the server ends OK', async () => {
    const stored = [];
    let release;
    reply = async (req, res, r) => {
      const status = new URLSearchParams(r.body).get('status');
      stored.push(status);
      if (status === 'ERR') await new Promise((resolve) => (release = resolve));
      answer(res, 200, 'OK');
    };
    const { p } = project(srv.url);
    const ind = p.indicator('inflight-order');
    assert.equal((await ind.update('OK')).sent, true);
    const slow = ind.update('ERR');
    while (stored.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const last = ind.update('OK');
    while (stored.length < 3 && release) {
      release();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal((await slow).sent, true);
    assert.deepEqual(await last, { sent: true, reason: 'sent' }, 'not throttled by the OK before the ERR');
    assert.equal(stored.at(-1), 'OK');
  });

  it("a job's failure holding a secret with runs of spaces is masked before it is made one line", async () => {
    const spaced = 'Zq7Xk9  CANARY\u00a0w3Pv8';
    let details;
    reply = (req, res, r) => {
      details = new URLSearchParams(r.body).get('details');
      answer(res, 200, 'OK');
    };
    const p = new OkerrProject({ textid: 'T', secret: spaced, url: srv.url, direct: true, logLevel: 'silent' });
    await assert.rejects(p.indicator('job').run(() => {
      throw new Error(`login failed with ${spaced} at\nline two`);
    }));
    assert.match(details, /\[secret\]/);
    assert.ok(!details.includes('CANARY'), details);
  });
});

describe("12. the exchange's awaits: handlers bound once per slot, the engine's own then", () => {
  it("a fetch's promise with its own then, a thenable that settles twice, a throwing species: one answer each, in time", async () => {
    const calls = { ownThen: 0 };
    const ok = () => new Response('OK');
    const boom = () => {
      throw new Error('hostile promise');
    };
    const fetches = [
      // A genuine promise carrying its own `then`, which would call back twice with junk.
      () => Object.assign(Promise.resolve(ok()), {
        then(res) {
          calls.ownThen += 1;
          res({ status: 200, headers: { get: boom }, body: null });
          res(ok());
        },
      }),
      // A thenable (not a promise) that resolves twice, then rejects.
      () => ({
        then(res, rej) {
          res(ok());
          res({ status: 500, headers: { get: boom }, body: null });
          rej(new Error('late'));
        },
      }),
      // A promise subclass whose species and constructor throw.
      () => {
        const p = Promise.resolve(ok());
        Object.defineProperty(p, 'constructor', { get: boom });
        return p;
      },
      () => new (class extends Promise {
        static get [Symbol.species]() {
          return boom();
        }
      })((res) => res(ok())),
    ];
    const uncaught = [];
    const onUncaught = (e) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      for (const [i, fetch] of fetches.entries()) {
        const p = new OkerrProject({ textid: 'T', secret: 's', url: 'http://127.0.0.1:9/', direct: true, retries: 0, timeoutMs: 2000, logLevel: 'silent', fetch });
        const r = await settle(p.indicator(`then${i}`).update('OK'));
        if (i < 2) assert.deepEqual(r.value, { sent: true, reason: 'sent' }, `fetch ${i}: ${r.error}`);
        else assert.ok(isCode('NETWORK')(r.error) || r.value?.sent, `fetch ${i}: ${r.error}`);
      }
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    assert.equal(calls.ownThen, 0, "a promise's own then is never called");
    assert.deepEqual(uncaught.map(String), []);
  });

  it("an answer arriving after its exchange timed out is never taken for a later exchange's", async () => {
    // Exchange 1 times out; its fetch then resolves, late, to an accepted answer while
    // exchange 2 (which may reuse the slot) waits for its own answer: a 500.
    let late;
    const fetch = (url, init) => new Promise((resolve) => {
      if (!late) late = () => resolve(new Response('OK'));
      else setTimeout(() => resolve(new Response('server down', { status: 500 })), 100);
    });
    const p = new OkerrProject({ textid: 'T', secret: 's', url: 'http://127.0.0.1:9/', direct: true, retries: 0, timeoutMs: 50, logLevel: 'silent', fetch });
    const first = await settle(p.indicator('late1').update('OK'));
    assert.ok(isCode('TIMEOUT')(first.error), String(first.error));
    const p2 = new OkerrProject({ textid: 'T', secret: 's', url: 'http://127.0.0.1:9/', direct: true, retries: 0, timeoutMs: 2000, logLevel: 'silent', fetch });
    const second = p2.indicator('late2').update('OK');
    late();
    const r = await settle(second);
    assert.ok(isCode('HTTP')(r.error), `the second exchange got ${r.error ?? JSON.stringify(r.value)}`);
  });

  it("an application's own bind, setTimeout and Promise.resolve that call back into a project: every update gets its answer", async () => {
    const real = { bind: Function.prototype.bind, setTimeout: globalThis.setTimeout, resolve: Promise.resolve };
    const p = new OkerrProject({ textid: 'T', secret: 's', url: 'http://127.0.0.1:9/', direct: true, retries: 0, timeoutMs: 2000, logLevel: 'silent', throttleSeconds: 0, fetch: async () => new Response('OK') });
    const inner = [];
    let calls = 0;
    const reenter = (why) => {
      if (calls++ < 30) inner.push(p.indicator(`${why}${calls}`).update('OK'));
    };
    const uncaught = [];
    const onUncaught = (e) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    let outer;
    try {
      // More updates at once than any test before: new slots are made, and their handlers bound.
      Function.prototype.bind = function (...args) {
        reenter('bind');
        return real.bind.apply(this, args);
      };
      globalThis.setTimeout = function (...args) {
        reenter('timer');
        return real.setTimeout.apply(this, args);
      };
      Promise.resolve = function (...args) {
        reenter('resolve');
        return real.resolve.apply(this, args);
      };
      outer = Array.from({ length: 1500 }, (_, k) => p.indicator(`outer${k}`).update('OK'));
      // The exchanges start in the microtasks that follow: keep the application's functions
      // in place until they all have.
      await new Promise((resolve) => real.setTimeout(resolve, 0));
    } finally {
      Function.prototype.bind = real.bind;
      globalThis.setTimeout = real.setTimeout;
      Promise.resolve = real.resolve;
    }
    const results = await Promise.all([...outer, ...inner].map(settle));
    process.off('uncaughtException', onUncaught);
    assert.ok(inner.length > 0, 'the application was called back');
    assert.deepEqual(results.filter((r) => !r.value?.sent).map((r) => String(r.error)), []);
    assert.deepEqual(uncaught.map(String), []);
  });

  it('a thousand exchanges at once, half timing out, each get their own answer', async () => {
    let n = 0;
    const fetch = () => {
      const k = n++;
      return new Promise((resolve) => setTimeout(() => resolve(k % 2 ? new Response('OK') : new Response('no', { status: 500 })), k % 4 < 2 ? 1 : 300));
    };
    const p = new OkerrProject({ textid: 'T', secret: 's', url: 'http://127.0.0.1:9/', direct: true, retries: 0, timeoutMs: 150, logLevel: 'silent', fetch, throttleSeconds: 0 });
    const results = await Promise.all(Array.from({ length: 1000 }, (_, k) => settle(p.indicator(`many${k}`).update('OK'))));
    const codes = results.map((r, k) => [k % 4, r.value ? 'sent' : r.error.code]);
    for (const [kind, got] of codes) {
      const want = kind >= 2 ? 'TIMEOUT' : kind === 1 ? 'sent' : 'HTTP';
      assert.equal(got, want, `exchange of kind ${kind}`);
    }
  });
});

describe("13. the application's setTimeout, clearTimeout and bind", () => {
  const real = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout, bind: Function.prototype.bind };
  const boom = () => {
    throw new Error('replaced by the application');
  };
  const restore = () => {
    globalThis.setTimeout = real.setTimeout;
    globalThis.clearTimeout = real.clearTimeout;
    Function.prototype.bind = real.bind;
  };
  /** `promise` settled, or `'hung'` when it has not after `ms` (the real clock's). */
  const within = (promise, ms) => Promise.race([settle(promise), new Promise((resolve) => real.setTimeout(() => resolve('hung'), ms))]);
  const make = (fetch, extra = {}) => new OkerrProject({ textid: 'T', secret: 'Ck9-secret', url: 'http://127.0.0.1:9/', direct: true, retries: 0, timeoutMs: 2000, logLevel: 'silent', throttleSeconds: 0, fetch, ...extra });
  let uncaught;
  const onUncaught = (e) => uncaught.push(e);
  before(() => {
    uncaught = [];
    process.on('uncaughtException', onUncaught);
  });
  after(() => {
    restore();
    process.off('uncaughtException', onUncaught);
  });

  it('a setTimeout that throws while an identical update is in flight: the joiner does not spin, it fails NETWORK; the first settles', async () => {
    let release;
    const p = make(() => new Promise((resolve) => (release = () => resolve(new Response('OK')))), { throttleSeconds: 300 });
    const first = p.indicator('joined').update('OK');
    await new Promise((resolve) => real.setTimeout(resolve, 20));
    let joiner;
    try {
      globalThis.setTimeout = boom;
      joiner = await within(p.indicator('joined').update('OK'), 3000);
    } finally {
      restore();
    }
    assert.equal(joiner.error?.code, 'NETWORK', JSON.stringify(joiner));
    assert.match(joiner.error.message, /could not wait for the identical update in flight/);
    release();
    assert.deepEqual((await within(first, 3000)).value, { sent: true, reason: 'sent' });
  });

  it('a setTimeout that throws: each update is NETWORK at once, nothing sent; a flush with a time limit ends', async () => {
    let fetched = 0;
    let release;
    const p = make(() => {
      fetched += 1;
      return fetched === 1 ? new Promise((resolve) => (release = () => resolve(new Response('OK')))) : new Response('OK');
    }, { retries: 2, backoffMs: 1 });
    const inFlight = p.indicator('in-flight').update('OK');
    await new Promise((resolve) => real.setTimeout(resolve, 20));
    let results;
    let flushed;
    try {
      globalThis.setTimeout = boom;
      results = await Promise.all(['a', 'b', 'c'].map((n) => within(p.indicator(`no-timer-${n}`).update('OK'), 3000)));
      flushed = await within(p.flush(50), 3000);
    } finally {
      restore();
    }
    for (const r of results) {
      assert.ok(isCode('NETWORK')(r.error), String(r.error ?? JSON.stringify(r)));
      assert.match(r.error.message, /no timer for timeoutMs \(setTimeout or bind threw: replaced by the application\)/);
    }
    assert.equal(fetched, 1, 'nothing sent without a time limit');
    assert.deepEqual(flushed.value, { settled: 0, pending: 1 }, 'the time limit is reached at once');
    release();
    assert.deepEqual((await inFlight), { sent: true, reason: 'sent' });
    assert.deepEqual((await within(p.indicator('after').update('OK'), 3000)).value, { sent: true, reason: 'sent' });
    assert.deepEqual(uncaught.map(String), []);
  });

  it('a clearTimeout that throws: the update is sent, and the timer it could not clear ends no later exchange', async () => {
    // Exchange A ends at once; its timer (300 ms) stays armed. B starts after A, on the slot A
    // gave back, and its answer comes after A's timer has fired.
    const p = make(() => new Response('OK'), { timeoutMs: 300 });
    let a;
    try {
      globalThis.clearTimeout = boom;
      a = await within(p.indicator('clear-a').update('OK'), 3000);
    } finally {
      restore();
    }
    assert.deepEqual(a.value, { sent: true, reason: 'sent' }, String(a.error));
    const slow = make(() => new Promise((resolve) => real.setTimeout(() => resolve(new Response('OK')), 500)));
    const b = await within(slow.indicator('clear-b').update('OK'), 3000);
    assert.deepEqual(b.value, { sent: true, reason: 'sent' }, `B got ${b.error}`);
    assert.deepEqual(uncaught.map(String), []);
  });

  it('a bind that throws when a new slot needs its handlers: NETWORK for that update, the others sent', async () => {
    // More exchanges at once than any test before: some need new slots, and so bind.
    const p = make(async () => new Response('OK'));
    let results;
    try {
      Function.prototype.bind = boom;
      results = await within(Promise.all(Array.from({ length: 5000 }, (_, k) => settle(p.indicator(`bind${k}`).update('OK')))), 20000);
    } finally {
      restore();
    }
    assert.notEqual(results, 'hung');
    const failed = results.value.filter((r) => !r.value?.sent);
    assert.ok(failed.length > 0, 'no new slot was needed: the test proves nothing');
    for (const r of failed) assert.ok(isCode('NETWORK')(r.error), String(r.error));
    const again = await Promise.all(Array.from({ length: 5000 }, (_, k) => settle(p.indicator(`bound${k}`).update('OK'))));
    assert.deepEqual(again.filter((r) => !r.value?.sent).map((r) => String(r.error)), []);
    assert.deepEqual(uncaught.map(String), []);
  });

  it('exchanges whose fetch never settles: the deadline table stays bounded (20,000 abandoned, 1,024 kept)', async () => {
    const script = fileURLToPath(new URL('./abandoned.mjs', import.meta.url));
    const out = await new Promise((resolve, reject) => {
      execFile(process.execPath, ['--expose-gc', script, '40', '500'], { cwd: fileURLToPath(new URL('.', import.meta.url)) }, (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)));
    });
    const m = JSON.parse(out);
    assert.deepEqual(m.codes, ['TIMEOUT']);
    assert.ok(m.after.refs - m.before.refs < 8192, `the wasm's table of JS references grew by ${m.after.refs - m.before.refs} over 17,500 more abandoned exchanges`);
    assert.ok(m.after.memory - m.before.memory <= 256 << 10, `wasm memory grew by ${m.after.memory - m.before.memory} bytes`);
  });

  it('a late answer to a slot retired past the bound never reaches the exchange that holds it now', async () => {
    let late;
    const lateProject = make(() => new Promise((resolve) => (late = () => resolve(new Response('OK')))), { timeoutMs: 30 });
    assert.ok(isCode('TIMEOUT')((await settle(lateProject.indicator('late').update('OK'))).error));
    // More abandoned slots than the bound: every one, the late one's too, is retired and free.
    const hang = make(() => new Promise(() => {}), { timeoutMs: 30 });
    await Promise.all(Array.from({ length: 1100 }, (_, k) => settle(hang.indicator(`hang${k}`).update('OK'))));
    // The retired slots go to new exchanges, each answered 500 after the late answer comes.
    const down = make(() => new Promise((resolve) => real.setTimeout(() => resolve(new Response('down', { status: 500 })), 200)));
    const pending = Array.from({ length: 1500 }, (_, k) => settle(down.indicator(`down${k}`).update('OK')));
    await new Promise((resolve) => real.setTimeout(resolve, 20));
    late();
    const results = await Promise.all(pending);
    assert.deepEqual([...new Set(results.map((r) => r.error?.code ?? 'sent'))], ['HTTP']);
  });
});

// Found by a second attacker's review (issue 18); each failed before its own fix.
describe('14. round three: paths, cut lists, method lines, server codes, forged lines', () => {
  let srv;
  let reply;
  before(async () => {
    srv = await startRaw((req, res, r) => reply(req, res, r));
  });
  after(() => srv.close());

  // How the client writes a path part (Python's quote: letters, digits, _.-~ and / stay).
  const quote = (s) => [...new TextEncoder().encode(s)].map((b) => (/[A-Za-z0-9_.\-~/]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

  it('a name, prefix, term or page address with a . or .. segment, in any spelling, is INVALID_ARGUMENT and nothing is sent', async () => {
    reply = (req, res) => answer(res, 200, 'OK');
    const { p, lines } = project(srv.url);
    const names = ['user1:/../victim', 'x/../../../update', 'x/../../delete/T/victim', 'x/../../../indicators/T', '..', '.', 'a/./b', 'a/..'];
    // `%2e` is written `%252e` in the path, which fetch leaves alone; refused all the same,
    // for a server or proxy that decodes the path before resolving it.
    const spelled = [...names, 'a/%2e%2e/b', 'a/.%2E', '%2E%2e', '%2e'];
    for (const n of names) {
      // What fetch would have made of it: another path than the one built.
      const built = `/api/get/T/${quote(n)}/days`;
      assert.notEqual(new URL(built, srv.url).pathname, built, n);
    }
    const calls = [];
    for (const n of names) {
      calls.push(
        () => p.deleteIndicator(n),
        () => p.createIndicator(n),
        () => p.getIndicator(n),
        () => p.setArgs(n, { retest: 1 }),
        () => p.updateLog(n),
        () => p.getArg(n, 'days'),
      );
    }
    for (const n of spelled) calls.push(() => p.listIndicators(n), () => p.statusPage(n), () => p.statusPage(`../../api/indicators/${n}`));
    for (const one of ['..', '.', '%2e%2E', '.%2e']) calls.push(() => p.getArg('x', one), () => p.filter('OK', one), () => p.tagFilter(one));
    for (const call of calls) {
      const { error } = await settle(call());
      assert.ok(isCode('INVALID_ARGUMENT')(error), `${call}: ${error}`);
    }
    assert.equal(srv.requests.length, 0, srv.requests.map((r) => r.url).join('\n'));
    for (const textid of ['..', '.', '%2e%2e', '%2E']) {
      assert.throws(() => new OkerrProject(textid, 's', { apiKey: KEY }), isCode('INVALID_ARGUMENT'), textid);
    }
    // A name the API cannot address is still a name for updates (it goes in the form).
    assert.equal((await p.indicator('a/../b').update('OK')).sent, true);
    assertNoLeak(null, lines);
  });

  it('a status page over the bound is TOO_LARGE, not "not public"; one of 300 items over 64 KB is read whole', async () => {
    const item = (k) => ({ title: `item ${k}`, desc: 'd'.repeat(200), chapter: 'all', weight: k, status: 'OK', details: null, updated: '01/01/2026 00:00:00', changed: '01/01/2026 00:00:00', updated_age: '0:00:01', changed_age: '0:00:01' });
    const page = JSON.stringify({ addr: 'index', textid: 'T', name: 'T', title: 't', desc: '', chapters: { all: Array.from({ length: 300 }, (_, k) => item(k)) }, blog: [] }, null, 4);
    assert.ok(page.length > 64 * 1024);
    reply = (req, res) => (req.url.includes('huge') ? answer(res, 200, `{"chapters": {"x": [${'"y",'.repeat(2_300_000)}"y"]}}`, { 'content-type': 'application/json' }) : answer(res, 200, page, { 'content-type': 'application/json' }));
    const { p } = project(srv.url);
    const whole = await p.statusPage();
    assert.equal(whole.chapters.all.length, 300);
    const { error } = await settle(p.statusPage('huge'));
    assert.ok(isCode('TOO_LARGE')(error), String(error));
    assert.equal(error.status, 200);
    assert.match(error.message, /larger than 8388608 bytes/);
  });

  it('every spelling of secret= in a method line is masked in its refusal', () => {
    const M = 'Hd8Vn3CANARYq6Tz1Kc4';
    for (const method of [`numerical secret=${M}`, `numerical SECRET = ${M}|maxlim=1`, `heartbeat|patience=1h secret=${M}`, `heartbeat|Secret\t=${M}=x`, `bogus|x=1|secret=${M}`]) {
      const { lines } = project(srv.url);
      let error;
      try {
        new OkerrProject('t', SECRET, { logLevel: 'debug', logger: memoryLogger().logger }).indicator('m', { method });
      } catch (e) {
        error = e;
      }
      assert.ok(isCode('INVALID_ARGUMENT')(error), `${method}: ${error}`);
      assertNoLeak(error, lines, [SECRET, M]);
    }
  });

  it("a secret echoed form-encoded with ~ and ! escaped, lower-case hex and + for a space is masked", async () => {
    const S = 'Tw5~Lp CANARY!x9~Rm!';
    const echoes = ['Tw5%7eLp+CANARY%21x9%7eRm%21', 'Tw5%7ELp%20CANARY%21x9%7ERm%21', 'Tw5~Lp+CANARY%21x9~Rm%21', 'Tw5%7eLp CANARY!x9~Rm!'];
    reply = (req, res) => answer(res, 400, `${echoes.join(' | ')}\n${echoes.join(' | ')}`);
    const { p, lines } = project(srv.url, { secret: S });
    const { error } = await settle(p.indicator('tilde').update('OK'));
    assert.ok(isCode('HTTP')(error), String(error));
    const texts = [...textForms(error), ...lines].join('\n');
    for (const echo of echoes) assert.ok(!texts.includes(echo) && !texts.includes(echo.slice(0, 12)), `${echo} shows in:\n${texts}`);
    assert.match(error.body, /^\[secret\] \| \[secret\] \| \[secret\] \| \[secret\]/);
  });

  it('a server code outside the documented list is HTTP, its word in serverCode; the documented ones stay codes', async () => {
    const { p } = project(srv.url);
    for (const word of ['FREED', 'INVALID_ARGUMENT', 'NOT_INITIALIZED', '__proto__', 'constructor', 'NO_API_KEY']) {
      reply = (req, res) => answer(res, 400, `ERROR:${word} chosen by the server`);
      for (const call of [() => p.indicator(`c${word}`).update('OK'), () => p.getIndicator('x')]) {
        const { error } = await settle(call());
        assert.ok(error instanceof OkerrError, String(error));
        assert.deepEqual([error.code, error.serverCode, error.status], ['HTTP', word, 400], `${word}: ${error.message}`);
      }
    }
    reply = (req, res) => answer(res, 400, 'ERROR:LIMIT_MAXINDICATORS Project already has 5 indicators');
    const { error } = await settle(p.indicator('lim').update('OK'));
    assert.deepEqual([error.code, error.serverCode], ['LIMIT_MAXINDICATORS', 'LIMIT_MAXINDICATORS']);
    reply = (req, res) => answer(res, 400, 'Bad secret');
    assert.equal((await settle(p.indicator('plain').update('OK'))).error.serverCode, undefined);
  });

  it('line separators and bidi controls from a server reach no message or log line raw', async () => {
    const forged = 'no\u2028okerr updated (200 OK) x@T = OK \u202Edesrever\u2066\u2069 \u2029\u202A\u202B\u202C\u202D\u2067\u2068';
    reply = (req, res) => (req.url.startsWith('/api/') ? answer(res, 302, '', { location: `/next/\u202E${req.url}` }) : answer(res, 400, forged));
    const { p, lines } = project(srv.url);
    const { error } = await settle(p.indicator('fx').update('OK'));
    assert.ok(isCode('HTTP')(error), String(error));
    await settle(p.getIndicator('y'));
    const breakers = /[\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
    assert.doesNotMatch(error.message, breakers);
    for (const line of lines) assert.doesNotMatch(line, breakers, line);
    assert.ok(lines.some((l) => l.includes('okerr updated (200 OK)')), 'the server text is quoted, on one line');
  });

  it('an API key above U+00FF is refused at construction, not after every retry as NETWORK', () => {
    for (const apiKey of ['key\u0100', 'k\u20ACy', 'ключ']) {
      assert.throws(() => new OkerrProject('T', 's', { apiKey }), (e) => isCode('INVALID_ARGUMENT')(e) && !e.message.includes(apiKey));
      assert.throws(() => OkerrProject.fromEnv({ OKERR_TEXTID: 'T', OKERR_API_KEY: apiKey }), isCode('INVALID_ARGUMENT'));
    }
    assert.ok(new OkerrProject('T', 's', { apiKey: 'caf\u00e9\u00ff' }));
  });
});
