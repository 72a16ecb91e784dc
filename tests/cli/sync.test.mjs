// okerrapi sync FILE [--dry-run] [--json] of the installed package, run as a process the way a
// deploy step runs it, against the local okerr server (which, like the real one, applies an
// update's settings only when the update creates the indicator).
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOkerrServer } from '../server/okerr-server.mjs';

const APP = fileURLToPath(new URL('../out/app/', import.meta.url));
const OKERRAPI = join(APP, 'node_modules', '.bin', 'okerrapi');
const KEY = 'KEY-CANARY';

let srv;
let dir;
before(async () => {
  srv = await startOkerrServer({
    projects: [
      {
        textid: 'proj',
        apiKey: KEY,
        indicators: [
          { name: 'rs:cfg', method: 'numerical|maxlim=37', tags: ['alpha'], desc: 'first-desc', status: 'OK' },
          { name: 'untouched', method: 'numerical|maxlim=5' },
        ],
      },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'okerr-sync-'));
});
after(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => srv.reset());

function okerrapi(args, env = {}) {
  return new Promise((resolve) => {
    const environment = { PATH: process.env.PATH, HOME: dir, OKERR_TEXTID: 'proj', OKERR_API_KEY: KEY, ...env };
    execFile(OKERRAPI, ['--url', srv.url, '--direct', ...args], { env: environment, cwd: dir, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

function specFile(specs, name = 'okerr-indicators.json') {
  const path = join(dir, name);
  writeFileSync(path, typeof specs === 'string' ? specs : JSON.stringify(specs));
  return path;
}

const SPECS = [
  { name: 'rs:cfg', method: 'numerical|maxlim=40', policy: 'Daily', tags: ['beta'], desc: 'second-desc' },
  { name: 'new:one', method: 'heartbeat' },
];
const api = () => srv.received.filter((r) => r.kind === 'api');
const noCanary = (...texts) => texts.forEach((t) => assert.ok(!t.includes('CANARY'), t));

test('prints the plan, applies it, exit 0; tags and the missing indicator are said, not done', async () => {
  const r = await okerrapi(['sync', specFile(SPECS)]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      "rs:cfg: maxlim '37' → '40'",
      "rs:cfg: policy 'Default' → 'Daily'",
      "rs:cfg: desc 'first-desc' → 'second-desc'",
      "rs:cfg: tags not changed, the server keeps [alpha] (UI_ONLY: only okerr's web UI changes tags)",
      "new:one: missing, not created (its first update creates it with the spec's settings)",
      'sync: 1 changed, 0 unchanged, 1 missing, 1 not applied',
      '',
    ].join('\n'),
  );
  assert.equal(r.stderr, '');
  const i = srv.indicator('proj', 'rs:cfg');
  assert.deepEqual([i.args.maxlim, i.policy, i.desc, i.tags], ['40', 'Daily', 'second-desc', ['alpha']]);
  assert.equal(srv.indicator('proj', 'new:one'), undefined);
  assert.ok(!api().some((q) => q.url.includes('untouched')), 'no other indicator is read or touched');
  // Run again: nothing to do.
  const again = await okerrapi(['sync', specFile(SPECS)]);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /sync: 0 changed, 1 unchanged, 1 missing, 1 not applied\n$/);
});

test('--dry-run reads and changes nothing; --json prints the result object', async () => {
  const r = await okerrapi(['sync', '--dry-run', '--json', specFile(SPECS)]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    dryRun: true,
    changed: [
      {
        name: 'rs:cfg',
        set: { maxlim: '40', policy: 'Daily', desc: 'second-desc' },
        was: { maxlim: '37', policy: 'Default', desc: 'first-desc' },
      },
    ],
    unchanged: [],
    missing: ['new:one'],
    drift: [{ name: 'rs:cfg', field: 'tags', server: ['alpha'], code: 'UI_ONLY' }],
  });
  assert.deepEqual(api().map((q) => q.method), ['GET', 'GET']);
  assert.equal(srv.indicator('proj', 'rs:cfg').args.maxlim, '37');
  const text = await okerrapi(['--dry-run', 'sync', specFile(SPECS)]);
  assert.match(text.stdout, /^rs:cfg: maxlim '37' → '40'\n/);
  assert.match(text.stdout, /sync: 1 to change, .* \(dry run: nothing was changed\)\n$/);
});

test('a failure is exit 1: an unknown policy (per indicator), a refused key (the whole call)', async () => {
  const r = await okerrapi(['sync', specFile([{ name: 'rs:cfg', policy: 'Nope', desc: 'x' }])]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^rs:cfg: policy not changed, the server keeps 'Default' \(NO_SUCH_POLICY: /);
  assert.match(r.stderr, /No such policy/);
  assert.equal(srv.indicator('proj', 'rs:cfg').desc, 'first-desc');
  const forbidden = await okerrapi(['--json', 'sync', specFile(SPECS)], { OKERR_API_KEY: 'wrong-CANARY' });
  assert.equal(forbidden.code, 1);
  assert.equal(JSON.parse(forbidden.stdout).error.code, 'FORBIDDEN');
  noCanary(forbidden.stdout, forbidden.stderr);
});

test('a bad FILE is exit 2 and sends nothing', async () => {
  const cases = [
    ['[{"name": ', /is not JSON/],
    ['{"name": "rs:cfg"}', /must hold a JSON array of specs/],
    ['[{"name": "rs:cfg", "method": "numerical|maxlimit=40"}]', /method 'numerical' has no argument 'maxlimit'/],
    ['[{"name": "rs:cfg", "method": "heartbeat|secret=OWN-CANARY|x=1"}]', /has no argument 'x'/],
    ['[{"name": "rs:cfg"}, {"name": "rs:cfg"}]', /has a spec already/],
  ];
  for (const [text, says] of cases) {
    const r = await okerrapi(['sync', specFile(text)]);
    assert.equal(r.code, 2, `${text}: ${r.stderr}`);
    assert.match(r.stderr, says);
    noCanary(r.stdout, r.stderr);
  }
  const missing = await okerrapi(['sync', join(dir, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read .*nope\.json: ENOENT/);
  if (process.getuid?.() !== 0) {
    const locked = specFile('[]', 'locked.json');
    chmodSync(locked, 0o000);
    const r = await okerrapi(['sync', locked]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /EACCES/);
  }
  const usage = await okerrapi(['sync']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /command 'sync' takes exactly one argument/);
  assert.equal(srv.received.length, 0);
});

test('--help shows sync', async () => {
  const r = await okerrapi(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /sync FILE +apply the settings in FILE/);
});
