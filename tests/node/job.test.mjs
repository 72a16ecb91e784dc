// Monitoring jobs from Node: indicator.run(fn), project.wrap(name, fn), project.flush(), and
// rejectOnFailure: false, against the local okerr server (and one that is down).
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { OkerrProject, OkerrError } from 'okerrupdate';
import { startOkerrServer } from '../server/okerr-server.mjs';
import { startServer, fastOptions, memoryLogger, updates, SECRET } from './helpers.mjs';

let server;
let deadUrl;
before(async () => {
  server = await startServer();
  // A server that was there and is gone: its port refuses connections.
  const gone = await startOkerrServer({ projects: [] });
  deadUrl = gone.url;
  await gone.close();
});
after(() => server.close());
beforeEach(() => server.reset());

const project = (more = {}) => new OkerrProject(fastOptions(server, { direct: true, throttleSeconds: 0, ...more }));
const sentTo = (name) => updates(server).filter((r) => r.form.name === name).map((r) => ({ status: r.form.status, details: r.form.details }));
/** Runs a Node script in a child process, without blocking this one (whose server must answer it). */
function node(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? error.code : 0, stdout, stderr });
    });
  });
}
const entry = pathToFileURL(createRequire(import.meta.url).resolve('okerrupdate')).href;

describe('indicator.run(fn)', () => {
  test('a job that returns: its value, OK with "ok in N.NN s", reported before run settles', async () => {
    const ind = project().indicator('job:sync');
    assert.equal(await ind.run(() => 42), 42);
    assert.deepEqual(await ind.run(async () => ({ rows: 3 })), { rows: 3 });
    const sent = sentTo('job:sync');
    assert.equal(sent.length, 2, 'both reports arrived before run() settled');
    for (const s of sent) {
      assert.equal(s.status, 'OK');
      assert.match(s.details, /^ok in \d+\.\d\d s$/);
    }
  });

  test('a job that throws or rejects: the very same error, ERR with the duration and the message', async () => {
    const ind = project().indicator('job:fails');
    const thrown = new TypeError('disk full');
    const e1 = await ind.run(() => { throw thrown; }).then(() => assert.fail('resolved'), (e) => e);
    assert.equal(e1, thrown);
    const rejected = new Error(`cannot connect with ${SECRET}\n  at job (job.js:1)`);
    const e2 = await ind.run(async () => { throw rejected; }).then(() => assert.fail('resolved'), (e) => e);
    assert.equal(e2, rejected);
    // A thrown non-Error is passed through as it is, and reported as text.
    const e3 = await ind.run(() => Promise.reject('plain text')).then(() => assert.fail('resolved'), (e) => e);
    assert.equal(e3, 'plain text');
    const sent = sentTo('job:fails');
    assert.deepEqual(sent.map((s) => s.status), ['ERR', 'ERR', 'ERR']);
    assert.match(sent[0].details, /^failed in \d+\.\d\d s: disk full$/);
    assert.match(sent[1].details, /^failed in \d+\.\d\d s: cannot connect with \[secret\] at job \(job\.js:1\)$/, 'masked, one line');
    assert.match(sent[2].details, /: plain text$/);
  });

  test('the details are masked first, then cut to 200 characters, never through a secret', async () => {
    const ind = project().indicator('job:long');
    const message = `${'x'.repeat(170)} ${SECRET} ${'y'.repeat(500)}`;
    await ind.run(() => { throw new Error(message); }).catch(() => {});
    const [s] = sentTo('job:long');
    assert.ok(s.details.length <= 200, `${s.details.length} characters`);
    assert.ok(!s.details.includes('CANARY'), s.details);
    assert.ok(!s.details.includes('[sec…'), s.details);
  });

  test('a failure to report (the server is down) never changes the outcome; it is logged at warn', async () => {
    const { lines, logger } = memoryLogger();
    const ind = new OkerrProject({ textid: 'proj', secret: SECRET, url: deadUrl, direct: true, retries: 0, logger }).indicator('job:dead');
    assert.equal(await ind.run(() => 'done'), 'done');
    const thrown = new Error('job broke');
    assert.equal(await ind.run(() => { throw thrown; }).catch((e) => e), thrown);
    const warns = lines.filter((l) => l.level === 'warn');
    assert.equal(warns.length, 2, JSON.stringify(lines));
    assert.match(warns[0].message, /could not reach/);
    // A report the indicator cannot take (a numerical indicator gets no OK/ERR) is a warning too.
    const { lines: l2, logger: logger2 } = memoryLogger();
    const num = project({ logger: logger2 }).indicator('job:num', { method: 'numerical' });
    assert.equal(await num.run(() => 7), 7);
    assert.match(l2.find((l) => l.level === 'warn')?.message ?? '', /okerr update of job:num@proj not sent: a numerical status/);
    assert.equal(sentTo('job:num').length, 0);
  });

  test('a job that is not a function is refused before anything runs', async () => {
    const e = await project().indicator('job:bad').run('not a function').catch((x) => x);
    assert.ok(e instanceof OkerrError);
    assert.equal(e.code, 'INVALID_ARGUMENT');
    assert.equal(server.received.length, 0);
  });

  test('the job runs at once, before run() returns; it may use its own indicator', async () => {
    const ind = project().indicator('job:now');
    let ran = false;
    const pending = ind.run(async () => {
      ran = true;
      await ind.update('OK', 'from inside the job');
      return 'inner';
    });
    assert.equal(ran, true);
    assert.equal(await pending, 'inner');
    assert.deepEqual(sentTo('job:now').map((s) => s.details.replace(/\d+\.\d\d/, 'N')), ['from inside the job', 'ok in N s']);
  });

  test('a job that frees its own indicator (at once, or after an await): run settles as the job did; nothing is reported', async () => {
    const p = project();
    const now = p.indicator('job:free-now');
    assert.equal(await now.run(() => { now.free(); return 'value'; }), 'value');
    const thrown = new Error('failed after free');
    const failing = p.indicator('job:free-throw');
    assert.equal(await failing.run(() => { failing.free(); throw thrown; }).catch((e) => e), thrown);
    const later = p.indicator('job:free-later');
    assert.equal(await later.run(async () => { await null; later.free(); return 1; }), 1);
    for (const ind of [now, failing, later]) await assert.rejects(ind.update('OK'), (e) => e.code === 'FREED');
    assert.deepEqual(updates(server).filter((r) => r.form.name.startsWith('job:free')), [], 'a freed indicator cannot report');
    assert.equal(await p.indicator('job:after-free').run(() => 2), 2);
    assert.deepEqual(sentTo('job:after-free').map((s) => s.status), ['OK']);
  });
});

describe('project.wrap(name, fn)', () => {
  test('the wrapped function keeps the arguments, this, result and errors; each call reports', async () => {
    const p = project();
    async function backup(dir, { full }) {
      if (dir === '/nope') throw new Error(`no such directory ${dir}`);
      return `${this?.prefix ?? ''}${dir}:${full}`;
    }
    const monitored = p.wrap('job:backup', backup);
    assert.equal(monitored.name, 'backup');
    assert.equal(monitored.length, 2);
    assert.equal(await monitored('/var', { full: true }), '/var:true');
    assert.equal(await monitored.call({ prefix: '>' }, '/srv', { full: false }), '>/srv:false');
    const e = await monitored('/nope', { full: true }).catch((x) => x);
    assert.equal(e.message, 'no such directory /nope');
    assert.deepEqual(sentTo('job:backup').map((s) => s.status), ['OK', 'OK', 'ERR']);
    assert.match(sentTo('job:backup')[2].details, /no such directory \/nope$/);
  });

  test('a bad name, option or function throws at wrap time, not at the call', () => {
    const p = project();
    for (const [name, fn, options] of [['', () => {}], ['ok', () => {}, { tags: ['-a'] }], ['ok', 42]]) {
      let caught;
      try { p.wrap(name, fn, options); } catch (e) { caught = e; }
      assert.ok(caught instanceof OkerrError, String(caught));
      assert.equal(caught.code, 'INVALID_ARGUMENT');
    }
  });
});

describe('project.flush()', () => {
  test('waits for every update and API call started before it; resolves { settled, pending }', async () => {
    const p = project({ apiKey: 'CANARY-api-key' });
    server.addFault({ path: '/update', kind: 'delay', ms: 200 });
    p.indicator('flush:a').update('OK');
    p.indicator('flush:b').update('ERR');
    p.listIndicators().catch(() => {});
    assert.deepEqual(await p.flush(), { settled: 3, pending: 0 });
    assert.equal(updates(server).length, 2);
    assert.ok(server.received.some((r) => r.kind === 'api'));
    assert.deepEqual(await p.flush(), { settled: 0, pending: 0 }, 'nothing in flight');
  });

  test('a time limit resolves with what is still pending; it never rejects', async () => {
    const { lines, logger } = memoryLogger();
    const p = project({ logger, timeoutMs: 60_000, retries: 0 });
    server.addFault({ path: '/update', kind: 'hang' });
    const hanging = p.indicator('flush:hang').update('OK');
    hanging.catch(() => {});
    assert.deepEqual(await p.flush(20), { settled: 0, pending: 1 });
    // A time limit that is not one is logged at error and ignored, never a rejection: an
    // update that fails (the server is closed under it below) still settles the flush.
    const down = new OkerrProject({ textid: 'proj', secret: SECRET, url: deadUrl, direct: true, retries: 0, logger });
    down.indicator('flush:down').update('OK').catch(() => {});
    assert.deepEqual(await down.flush('soon'), { settled: 1, pending: 0 });
    assert.match(lines.find((l) => l.level === 'error')?.message ?? '', /flush\(timeoutMs\): timeoutMs must be a number/);
  });

  test('a script that calls flush() and then process.exit(0): the update arrives', async () => {
    const script = `
      import { OkerrProject } from ${JSON.stringify(entry)};
      const p = new OkerrProject({ textid: 'proj', secret: ${JSON.stringify(SECRET)}, url: ${JSON.stringify(server.url)}, direct: true, logLevel: 'silent' });
      p.indicator('exit:flushed').update('OK', 'before exit');
      const r = await p.flush(30000);
      console.log(JSON.stringify(r));
      process.exit(0);`;
    server.addFault({ path: '/update', kind: 'delay', ms: 100 });
    const r = await node(['--input-type=module', '-e', script]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim()), { settled: 1, pending: 0 });
    assert.deepEqual(sentTo('exit:flushed'), [{ status: 'OK', details: 'before exit' }]);
  });
});

describe('rejectOnFailure: false', () => {
  test('an update nobody awaits, to a server that is down, under --unhandled-rejections=strict: no crash', async () => {
    const script = `
      import { OkerrProject } from ${JSON.stringify(entry)};
      const lines = [];
      const log = (level) => (m) => lines.push(level + ': ' + m);
      const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
      const p = new OkerrProject({ textid: 'proj', secret: 'strict-secret-4711', url: ${JSON.stringify(deadUrl)}, direct: true, retries: 1, backoffMs: 1, rejectOnFailure: false, logger });
      p.indicator('strict').update('OK');                 // not awaited
      const failed = await p.indicator('strict2').update('OK');
      const bad = await p.indicator('strict3').update('GOOD');
      await p.flush();
      setTimeout(() => console.log(JSON.stringify({
        failed: { sent: failed.sent, reason: failed.reason, code: failed.error.code, isError: failed.error instanceof Error, frozen: Object.isFrozen(failed) },
        bad: { reason: bad.reason, code: bad.error.code },
        lines,
      })), 50);`;
    const r = await node(['--unhandled-rejections=strict', '--input-type=module', '-e', script]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim());
    assert.deepEqual(out.failed, { sent: false, reason: 'failed', code: 'NETWORK', isError: true, frozen: true });
    assert.deepEqual(out.bad, { reason: 'failed', code: 'INVALID_ARGUMENT' });
    assert.equal(out.lines.filter((l) => /^warn: okerr update of strict2?@proj failed: could not reach/.test(l)).length, 2, out.lines.join('\n'));
    assert.ok(out.lines.some((l) => /^error: okerr update of strict3@proj not sent: a heartbeat status/.test(l)), out.lines.join('\n'));
  });

  test('the default still rejects, and a bad value for the option is refused', async () => {
    const p = new OkerrProject({ textid: 'proj', url: deadUrl, direct: true, retries: 0, logLevel: 'silent' });
    const e = await p.indicator('x').update('OK').catch((x) => x);
    assert.equal(e.code, 'NETWORK');
    assert.throws(() => new OkerrProject({ textid: 'proj', rejectOnFailure: 'no' }), (x) => x.code === 'INVALID_ARGUMENT');
  });
});
