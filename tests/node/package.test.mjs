// The package as a Node ESM user imports it, against the local okerr server.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { OkerrProject, OkerrIndicator, OkerrError } from 'okerrupdate';
import { startServer, fastOptions, memoryLogger, updates, TEXTID, SECRET, API_KEY } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.close());
beforeEach(() => server.reset());

const rejects = async (promise, code) => {
  const e = await promise.then(() => assert.fail('expected a rejection'), (err) => err);
  assert.ok(e instanceof OkerrError && e instanceof Error, `not an OkerrError: ${e}`);
  assert.equal(e.name, 'OkerrError');
  assert.equal(e.code, code, e.message);
  return e;
};
const throws = (fn, code) => {
  let caught;
  try { fn(); } catch (e) { caught = e; }
  assert.ok(caught instanceof OkerrError, `did not throw an OkerrError: ${caught}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
};

describe('construction', () => {
  test('positional and object forms', () => {
    const a = new OkerrProject('MyTextID', 'MySecret');
    const b = new OkerrProject({ textid: 'MyTextID', secret: 'MySecret', direct: true });
    assert.equal(a.textid, 'MyTextID');
    assert.equal(a.url, 'https://my.okerr.com/');
    assert.deepEqual(b.toJSON(), { textid: 'MyTextID', url: 'https://my.okerr.com/', direct: true, hasSecret: true, hasApiKey: false });
  });

  test('a missing textid or a bad option is an error at construction', () => {
    throws(() => new OkerrProject(), 'INVALID_ARGUMENT');
    throws(() => new OkerrProject(''), 'INVALID_ARGUMENT');
    throws(() => new OkerrProject({ secret: 's' }), 'INVALID_ARGUMENT');
    throws(() => new OkerrProject('t', 's', { timeoutMs: -1 }), 'INVALID_ARGUMENT');
    throws(() => new OkerrProject('t', 's', { timeoutMs: '5000' }), 'INVALID_ARGUMENT');
    throws(() => new OkerrProject('t', 's', { retries: 2.5 }), 'INVALID_ARGUMENT');
    throws(() => new OkerrProject('t', 's', { url: 'ftp://x/' }), 'INVALID_ARGUMENT');
    throws(() => new OkerrProject('t', 's', { url: 'my.okerr.com' }), 'INVALID_ARGUMENT');
    throws(() => new OkerrProject('t', 's', { direct: 'yes' }), 'INVALID_ARGUMENT');
    throws(() => new OkerrProject('t', 's', { logLevel: 'loud' }), 'INVALID_ARGUMENT');
    throws(() => new OkerrProject('t', 's', { logger: {} }), 'INVALID_ARGUMENT');
    throws(() => new OkerrProject('t', 's', { fetch: 'fetch' }), 'INVALID_ARGUMENT');
    const e = throws(() => new OkerrProject('t', 's', { timeout: 5 }), 'INVALID_ARGUMENT');
    assert.match(e.message, /unknown option 'timeout'/);
    throws(() => new OkerrProject('t', 42), 'INVALID_ARGUMENT');
    // A value of x that is neither a string nor a finite number is named as the problem.
    assert.match(throws(() => new OkerrProject('t', 'long-secret', { x: { a: true } }), 'INVALID_ARGUMENT').message, /every value must be a string or a finite number/);
  });

  test('textid, or a secret also passed as an argument, cannot be given again in options', () => {
    let e = throws(() => new OkerrProject('t', 'CANARY-S1', { textid: 'other' }), 'INVALID_ARGUMENT');
    assert.equal(e.message, 'textid is given both as an argument and in options: give it once');
    e = throws(() => new OkerrProject('t', 'CANARY-S1', { secret: 'CANARY-S2' }), 'INVALID_ARGUMENT');
    assert.equal(e.message, 'secret is given both as an argument and in options: give it once');
    // Without the positional secret, options may carry it.
    assert.equal(new OkerrProject('t', undefined, { secret: 's' }).toJSON().hasSecret, true);
    assert.equal(new OkerrProject('t', null, { secret: 's' }).toJSON().hasSecret, true);
  });

  test('a runtime that cannot compile the inlined wasm gets an OkerrError that says what to do', () => {
    // --jitless leaves Node without WebAssembly, as a Worker without the workerd condition or a
    // strict Content-Security-Policy leaves the browser entry unable to compile its bytes.
    const inline = createRequire(import.meta.url).resolve('okerrupdate/package.json').replace(/package\.json$/, 'inline.mjs');
    const r = spawnSync(process.execPath, ['--jitless', '--input-type=module', '-e',
      `import(${JSON.stringify(pathToFileURL(inline).href)}).then(() => console.log('loaded'), (e) => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })))`], { encoding: 'utf8' });
    const out = JSON.parse(r.stdout.trim().split('\n').pop());
    assert.equal(out.name, 'OkerrError');
    assert.equal(out.code, 'NOT_INITIALIZED');
    assert.match(out.message, /could not compile its inlined wasm here .*"workerd" export condition/);
  });

  test("fromEnv reads a Worker's typed vars (booleans, numbers) as the text they spell", () => {
    for (const direct of [true, 1, 'yes']) {
      assert.equal(OkerrProject.fromEnv({ OKERR_TEXTID: 't', OKERR_DIRECT: direct }).toJSON().direct, true, String(direct));
    }
    for (const direct of [false, 0]) {
      assert.equal(OkerrProject.fromEnv({ OKERR_TEXTID: 't', OKERR_DIRECT: direct }).toJSON().direct, false, String(direct));
    }
    assert.equal(OkerrProject.fromEnv({ OKERR_TEXTID: 42 }).textid, '42');
    // Bindings that are not text (a KV namespace, say) are not configuration.
    assert.equal(OkerrProject.fromEnv({ OKERR_TEXTID: 't', OKERR_URL: { get() {} } }).url, 'https://my.okerr.com/');
  });

  test('fromEnv reads the okerrupdate variables and lets overrides win', () => {
    const p = OkerrProject.fromEnv(
      { OKERR_TEXTID: 'envproj', OKERR_SECRET: 's', OKERR_URL: 'http://127.0.0.1:9/', OKERR_DIRECT: '1', OKERR_API_KEY: 'k', PREFIX: 'h1', HOME: '/root' },
      { url: 'http://127.0.0.1:10/' },
    );
    assert.deepEqual(p.toJSON(), { textid: 'envproj', url: 'http://127.0.0.1:10/', direct: true, hasSecret: true, hasApiKey: true });
    throws(() => OkerrProject.fromEnv({}), 'INVALID_ARGUMENT');
    throws(() => OkerrProject.fromEnv({ OKERR_TEXTID: 't', OKERR_DIRECT: 'maybe' }), 'INVALID_ARGUMENT');
    throws(() => OkerrProject.fromEnv('OKERR_TEXTID=t'), 'INVALID_ARGUMENT');
  });

  test('fromConfig reads dotenv files and okerrclient.conf', () => {
    const dotenv = OkerrProject.fromConfig('# okerr\nOKERR_TEXTID=abc\nOKERR_SECRET="s e"\nOKERR_DIRECT=0\n');
    assert.equal(dotenv.textid, 'abc');
    assert.equal(dotenv.toJSON().hasSecret, true);
    const old = OkerrProject.fromConfig('textid = oldproj # comment\nsecret = xyz\n', { direct: true });
    assert.deepEqual(old.toJSON(), { textid: 'oldproj', url: 'https://my.okerr.com/', direct: true, hasSecret: true, hasApiKey: false });
    throws(() => OkerrProject.fromConfig('nothing here'), 'INVALID_ARGUMENT');
  });
});

describe('updates reach the server', () => {
  test('heartbeat, numerical and string, through the director', async () => {
    const p = new OkerrProject(fastOptions(server));
    assert.deepEqual({ ...(await p.indicator('hb').update('OK', 'alive')) }, { sent: true, reason: 'sent' });
    const temp = p.indicator('test:1', { method: 'numerical|maxlim=37' });
    assert.ok(temp instanceof OkerrIndicator);
    assert.equal((await temp.update('36.6', 'Current temperature is normal')).sent, true);
    await p.indicator('ver', { method: 'string|options=dynamic' }).update(42);
    assert.equal(server.indicator(TEXTID, 'hb').status, 'OK');
    assert.equal(server.indicator(TEXTID, 'test:1').details, 'Current temperature is normal');
    const directorCalls = server.received.filter((r) => r.kind === 'director');
    assert.equal(directorCalls.length, 1, 'the director answer is cached');
    assert.deepEqual(updates(server).map((r) => r.form.status), ['OK', '36.6', '42']);
  });

  test('direct mode posts to url itself', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true }));
    await p.indicator('d').update('ERR');
    assert.equal(server.received.filter((r) => r.kind === 'director').length, 0);
    assert.equal(updates(server)[0].path, '/update');
  });

  test('concurrent first updates ask the director once', async () => {
    const p = new OkerrProject(fastOptions(server));
    await Promise.all(Array.from({ length: 20 }, (_, i) => p.indicator(`c${i}`).update('OK')));
    assert.equal(server.received.filter((r) => r.kind === 'director').length, 1);
    assert.equal(updates(server).length, 20);
  });

  test('fields sent: names repaired, prefix, tags, x fields, keypaths', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true, prefix: 'host1', x: { site: 'eu', n: 3 } }));
    const i = p.indicator(':df//var@x', { tags: 'disk, prod', desc: 'Disk', policy: 'Default', keypath: 'k', origkeypath: 'o' });
    assert.equal(i.name, 'host1:df__var_x');
    await i.update('OK', 'fine');
    assert.deepEqual(updates(server)[0].fields, [
      ['textid', TEXTID], ['name', 'host1:df__var_x'], ['status', 'OK'], ['details', 'fine'], ['secret', SECRET],
      ['policy', 'Default'], ['tags', 'disk,prod'], ['keypath', 'k'], ['origkeypath', 'o'], ['desc', 'Disk'],
      ['x_site', 'eu'], ['x_n', '3'],
    ]);
  });

  test('an indicator secret replaces the project secret', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true }));
    await rejects(p.indicator('own', { secret: 'wrong' }).update('OK'), 'HTTP');
    assert.equal(updates(server)[0].form.secret, 'wrong');
  });
});

describe('refused before sending', () => {
  const cases = [
    ['a heartbeat status other than OK/ERR', (p) => p.indicator('h').update('GOOD')],
    ['a numerical status that is not a number', (p) => p.indicator('n', { method: 'numerical' }).update('36,6')],
    ['NaN as a status', (p) => p.indicator('n', { method: 'numerical' }).update(NaN)],
    ['an object as a status', (p) => p.indicator('h').update({ status: 'OK' })],
    ['an object as details', (p) => p.indicator('h').update('OK', { a: 1 })],
  ];
  for (const [what, call] of cases) {
    test(what, async () => {
      const p = new OkerrProject(fastOptions(server, { direct: true }));
      await rejects(call(p), 'INVALID_ARGUMENT');
      assert.equal(server.received.length, 0);
      assert.equal((await p.indicator('still-works').update('OK')).sent, true, 'the project keeps working');
    });
  }

  test('bad indicator options and names throw at indicator()', () => {
    const p = new OkerrProject(fastOptions(server, { direct: true }));
    throws(() => p.indicator('x', { method: 'numerical|maxlim' }), 'INVALID_ARGUMENT');
    throws(() => p.indicator('x', { method: 'nosuchcheck' }), 'INVALID_ARGUMENT');
    throws(() => p.indicator('x', { tags: ['ok', '-not-ok'] }), 'INVALID_ARGUMENT');
    throws(() => p.indicator('x', { colour: 'red' }), 'INVALID_ARGUMENT');
    throws(() => p.indicator('12345'), 'INVALID_ARGUMENT');
    throws(() => p.indicator(''), 'INVALID_ARGUMENT');
    throws(() => p.indicator(7), 'INVALID_ARGUMENT');
    assert.equal(server.received.length, 0);
  });

  test('statuses in any case and numbers in Python float syntax are accepted', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true, throttleSeconds: 0 }));
    await p.indicator('h').update('err');
    const n = p.indicator('n', { method: 'numerical' });
    for (const v of [' 7 ', '1e3', '-1', 'inf', 36.6]) await n.update(v);
    assert.equal(updates(server).filter((r) => r.outcome === 'accepted').length, 6);
  });
});

describe('throttling', () => {
  test('an unchanged status is not sent twice; a change is sent at once', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true }));
    const i = p.indicator('t');
    assert.equal((await i.update('OK')).reason, 'sent');
    assert.deepEqual({ ...(await i.update('OK')) }, { sent: false, reason: 'throttled' });
    assert.equal((await i.update('ERR')).reason, 'sent');
    assert.equal(updates(server).length, 2);
  });

  test('objects made for the same name share throttle state', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true }));
    await p.indicator('shared').update('OK');
    assert.equal((await p.indicator('shared').update('OK')).reason, 'throttled');
  });

  test('numerical methods with arguments are throttled as numerical', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true }));
    const n = p.indicator('temp', { method: 'numerical|maxlim=37' });
    await n.update(36.6);
    assert.equal((await n.update(36.7)).reason, 'throttled');
  });

  test('a failed send is not recorded as sent', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true, retries: 0 }));
    server.addFault({ path: '/update', kind: 'status', status: 500 });
    const i = p.indicator('f');
    await rejects(i.update('OK'), 'HTTP');
    assert.equal((await i.update('OK')).reason, 'sent');
  });

  test('concurrent identical updates send once', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true }));
    const i = p.indicator('once');
    const results = await Promise.all([i.update('OK'), i.update('OK'), p.indicator('once').update('OK')]);
    assert.ok(results.every((r) => r.sent));
    assert.equal(updates(server).length, 1);
  });

  test('throttleSeconds: 0 sends every update', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true, throttleSeconds: 0 }));
    const i = p.indicator('every');
    await i.update('OK');
    await i.update('OK');
    assert.equal(updates(server).length, 2);
  });

  test('a missing or null status is named as what it is', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true }));
    assert.match((await rejects(p.indicator('n').update(null), 'INVALID_ARGUMENT')).message, /got null$/);
    assert.match((await rejects(p.indicator('n').update(), 'INVALID_ARGUMENT')).message, /got undefined$/);
    assert.equal(server.received.length, 0);
  });

  test('dryRun checks, logs at info (as a send does), and sends nothing', async () => {
    const { lines, logger } = memoryLogger();
    const p = new OkerrProject(fastOptions(server, { direct: true, dryRun: true, logger, logLevel: 'info' }));
    assert.deepEqual({ ...(await p.indicator('dry').update('OK')) }, { sent: false, reason: 'dry-run' });
    await rejects(p.indicator('dry').update('MAYBE'), 'INVALID_ARGUMENT');
    assert.equal(server.received.length, 0);
    assert.deepEqual(lines, [{ level: 'info', message: `dry run, nothing sent: dry@${TEXTID} = OK` }]);
  });
});

describe('server answers and retries', () => {
  test('5xx and 429 are retried, then the update is delivered once', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true }));
    server.addFault([
      { path: '/update', kind: 'status', status: 503 },
      { path: '/update', kind: 'status', status: 429, retryAfter: '0' },
      { path: '/update', kind: 'status', status: 502 },
    ]);
    assert.equal((await p.indicator('r').update('OK')).sent, true);
    assert.equal(updates(server).filter((r) => r.outcome === 'accepted').length, 1);
    assert.equal(updates(server).length, 4);
  });

  test('other 4xx are not retried and carry status and body', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true, secret: 'wrong-secret' }));
    const e = await rejects(p.indicator('b').update('OK'), 'HTTP');
    assert.equal(e.status, 400);
    assert.equal(e.body, "do not create indicator 'b' with policy 'Default' because doesn't match secret");
    assert.equal(updates(server).length, 1);
  });

  test("an indicator's own secret= (method line) is what it sends, as the server checks it", async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true }));
    // Daily has no secret: the own secret creates the indicator and updates it at once.
    const daily = p.indicator('own:daily', { method: 'heartbeat|secret=own-1', policy: 'Daily' });
    assert.equal((await daily.update('ERR')).reason, 'sent');
    assert.equal(updates(server).at(-1).form.secret, 'own-1');
    assert.equal(server.indicator(TEXTID, 'own:daily').status, 'ERR');
    // Default has a secret: a new indicator needs it, and the refusal says so.
    const e = await rejects(p.indicator('own:default', { method: 'heartbeat|secret=own-2' }).update('OK'), 'HTTP');
    assert.match(e.message, /secret of its policy/);
    // Once it exists (made with the policy's secret, given its own by setArgs), its own works.
    const api = new OkerrProject(fastOptions(server, { direct: true, apiKey: API_KEY }));
    await api.createIndicator('own:default');
    await api.setArgs('own:default', { secret: 'own-2' });
    assert.equal((await p.indicator('own:default', { method: 'heartbeat|secret=own-2' }).update('ERR')).reason, 'sent');
    await rejects(p.indicator('own:default').update('OK'), 'HTTP', 'the policy secret no longer does');
    // A secret option that contradicts the method line could never be accepted: refused at once.
    throws(() => p.indicator('own:x', { method: 'heartbeat|secret=own-3', secret: 'other' }), 'INVALID_ARGUMENT');
  });

  test('the server code ERROR:CODE becomes error.code', async () => {
    await server.addProject({ textid: 'tiny', policies: { Default: { secret: 'tiny-secret' } }, maxIndicators: 0 });
    const p = new OkerrProject({ textid: 'tiny', secret: 'tiny-secret', url: server.url, direct: true });
    const e = await rejects(p.indicator('x').update('OK'), 'LIMIT_MAXINDICATORS');
    assert.equal(e.status, 400);
  });

  test('an unknown textid is a DIRECTOR error', async () => {
    const p = new OkerrProject({ textid: 'nosuch', secret: 'nosuch-secret', url: server.url, retries: 0 });
    const e = await rejects(p.indicator('x').update('OK'), 'DIRECTOR');
    assert.match(e.message, /nosuch/);
  });

  test('a refused connection is a NETWORK error after the retries', async () => {
    const p = new OkerrProject({ textid: 't', url: 'http://127.0.0.1:9/', direct: true, retries: 2, backoffMs: 1 });
    await rejects(p.indicator('x').update('OK'), 'NETWORK');
  });

  test('a server that never answers is a TIMEOUT', async () => {
    const p = new OkerrProject(fastOptions(server, { direct: true, retries: 1, timeoutMs: 100 }));
    server.addFault({ path: '/update', kind: 'hang', times: 2 });
    await rejects(p.indicator('x').update('OK'), 'TIMEOUT');
  });

  test('a custom fetch is used instead of the global one', async () => {
    const seen = [];
    const p = new OkerrProject(fastOptions(server, { direct: true, fetch: (url, init) => { seen.push(url); return fetch(url, init); } }));
    await p.indicator('f').update('OK');
    assert.deepEqual(seen, [`${server.url}update`]);
  });
});

describe('logging and secrets', () => {
  test('the default level (warn) prints nothing while all is well, nor a failure that rejects', async () => {
    const { lines, logger } = memoryLogger();
    const p = new OkerrProject(fastOptions(server, { direct: true, logger, retries: 0 }));
    await p.indicator('quiet').update('OK');
    server.addFault({ path: '/update', kind: 'status', status: 400, body: 'Bad secret' });
    await rejects(p.indicator('quiet').update('ERR'), 'HTTP');
    assert.deepEqual(lines, []);
    // The same failure, resolved as `failed` instead: the warn line is all that is left of it.
    const resolving = new OkerrProject(fastOptions(server, { direct: true, logger, retries: 0, rejectOnFailure: false }));
    server.addFault({ path: '/update', kind: 'status', status: 400, body: 'Bad secret' });
    assert.equal((await resolving.indicator('quiet').update('ERR')).reason, 'failed');
    assert.deepEqual(lines.map((l) => l.level), ['warn']);
    assert.match(lines[0].message, /Bad secret/);
  });

  test('a secret under 6 characters: one warning when the project or an indicator brings it, masks unchanged', async () => {
    const { lines, logger } = memoryLogger();
    const p = new OkerrProject(fastOptions(server, { direct: true, logger, secret: 'tiny' }));
    p.indicator('a');
    p.indicator('b', { secret: 'abc' });
    assert.deepEqual(lines.map((l) => l.level), ['warn']);
    assert.match(lines[0].message, /shorter than 6 characters/);
    assert.ok(!lines[0].message.includes('tiny'));
    const long = new OkerrProject(fastOptions(server, { direct: true, logger, secret: 'sixsix' }));
    assert.equal(lines.length, 1);
    long.indicator('c', { method: 'heartbeat|secret=ab' });
    assert.equal(lines.length, 2, 'an indicator secret counts too');
    new OkerrProject(fastOptions(server, { direct: true, logger, secret: 's', logLevel: 'error' }));
    assert.equal(lines.length, 2, 'not below warn');
  });

  test('the info line, levels, verbose and setLogger', async () => {
    const { lines, logger } = memoryLogger();
    const p = new OkerrProject(fastOptions(server, { direct: true, logger, logLevel: 'info', retries: 0 }));
    await p.indicator('log').update('OK');
    assert.deepEqual(lines, [{ level: 'info', message: `okerr updated (200 OK) log@${TEXTID} = OK` }]);
    // At info, a failure that rejects is there too, once.
    server.addFault({ path: '/update', kind: 'status', status: 400, body: 'Bad secret' });
    await rejects(p.indicator('log').update('ERR'), 'HTTP');
    assert.deepEqual(lines.slice(1).map((l) => l.level), ['info']);
    assert.match(lines[1].message, /Bad secret/);
    lines.length = 1;
    p.setLogLevel('silent');
    await p.indicator('log').update('ERR');
    assert.equal(lines.length, 1);
    p.verbose();
    await p.indicator('log').update('ERR');
    assert.ok(lines.some((l) => l.level === 'debug' && l.message.startsWith('skip update')));
    const other = memoryLogger();
    p.setLogger(other.logger);
    await p.indicator('log2').update('OK');
    assert.ok(other.lines.length > 0);
    throws(() => p.setLogger(null), 'INVALID_ARGUMENT');
    throws(() => p.setLogLevel('chatty'), 'INVALID_ARGUMENT');
  });

  test('the secret and API key appear in no log line, error, string, JSON or inspect output', async () => {
    const { lines, logger } = memoryLogger();
    const p = new OkerrProject(fastOptions(server, { direct: true, apiKey: API_KEY, logger, logLevel: 'debug', retries: 1 }));
    server.addFault({ path: '/update', kind: 'status', status: 503, body: `echo ${SECRET}` });
    server.addFault({ path: '/update', kind: 'status', status: 400, body: `Bad secret ${SECRET} ${API_KEY}` });
    // Its own secret replaces the policy's: Daily has none, so it creates the indicator.
    const i = p.indicator('canary', { method: 'heartbeat|secret=CANARY-method', policy: 'Daily' });
    const e = await rejects(i.update('OK'), 'HTTP');
    await i.update('OK');
    const seen = [
      ...lines.map((l) => l.message), e.message, e.stack, e.body, String(e), inspect(e),
      String(p), JSON.stringify(p), inspect(p), String(i), JSON.stringify(i), inspect(i),
    ].join('\n');
    for (const canary of [SECRET, API_KEY, 'CANARY-method']) assert.ok(!seen.includes(canary), `${canary} leaked:\n${seen}`);
    assert.ok(updates(server).some((r) => r.form.secret === 'CANARY-method'), 'the method-line secret itself was sent');
  });
});
