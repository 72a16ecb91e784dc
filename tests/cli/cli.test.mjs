// The okerrupdate and okerrapi commands of the installed package, run as separate processes the
// way users run them (npx in a project, node_modules/.bin), against local okerr servers; and
// side by side with the Python tools, which must put the same fields on the wire.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOkerrServer } from '../server/okerr-server.mjs';

const APP = fileURLToPath(new URL('../out/app/', import.meta.url));
const BIN = join(APP, 'node_modules', '.bin');
const SECRET = 'SECRET-CANARY';
const KEY = 'KEY-CANARY';
// Files outside HOME that the tools read too; on a machine that has them, the tests that need
// no configuration at all cannot run.
const SYSTEM_CONFIG = ['/usr/local/etc/okerr/okerrupdate', '/etc/okerr/okerrupdate', '/etc/okerrclient.conf'].find(existsSync);

const project = (textid, extra = {}) => ({
  textid,
  policies: { Default: { secret: SECRET } },
  apiKey: KEY,
  indicators: [
    { name: 'web:alive', status: 'OK', tags: ['web'] },
    { name: 'db:alive', status: 'ERR', silent: true },
    { name: 'www:sslcert', method: 'sslcert|host=okerr.com|days=20', status: 'OK' },
    { name: 'df-/var', method: 'numerical|maxlim=90', status: 'OK', log: [{ t: 1700000000, y: '42' }] },
  ],
  statusPages: { index: { title: 'Public page', public: true, chapters: { Web: ['web:alive'] } } },
  ...extra,
});

let main;
let other;
let home;
before(async () => {
  other = await startOkerrServer({ projects: [project('moved')] });
  main = await startOkerrServer({ projects: [project('proj'), project('moved', { node: other.url })] });
  home = mkdtempSync(join(tmpdir(), 'okerr-cli-home-'));
});
after(async () => {
  await main.close();
  await other.close();
  rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  main.reset();
  other.reset();
  rmSync(join(home, 'okerr'), { recursive: true, force: true });
  rmSync(join(home, '.okerr'), { recursive: true, force: true });
});

/** A clean environment: nothing from the outer one but PATH, so no OKERR_* leaks in. */
const cleanEnv = (env = {}) => ({ PATH: process.env.PATH, HOME: home, npm_config_update_notifier: 'false', ...env });

function exec(file, args, { env, cwd = APP, shell = false } = {}) {
  return new Promise((resolve) => {
    execFile(file, args, { env: cleanEnv(env), cwd, shell, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

const okerrupdate = (args, env) => exec(join(BIN, 'okerrupdate'), args, { env });
const okerrapi = (args, env) => exec(join(BIN, 'okerrapi'), args, { env });
/** okerrapi on project 'proj' of `main`, key and textid from the environment. */
const api = (args, env = {}) => okerrapi(['--url', main.url, '--direct', ...args], { OKERR_TEXTID: 'proj', OKERR_API_KEY: KEY, ...env });
const updates = (srv) => srv.received.filter((r) => r.kind === 'update');
const apiRequests = (srv) => srv.received.filter((r) => r.kind === 'api' || r.kind === 'jstatus');

function writeConfig(dir, lines) {
  mkdirSync(join(home, dir), { recursive: true });
  writeFileSync(join(home, dir, 'okerrupdate'), lines.join('\n') + '\n');
}

function noCanary(...texts) {
  for (const t of texts) assert.ok(!t.includes('CANARY'), `a secret was printed: ${t}`);
}

describe('okerrupdate', () => {
  test('npx okerrupdate, typed in a project that installed the package', async () => {
    const line = `npx okerrupdate --url ${main.url} -S ${SECRET} backup@proj OK`;
    const r = await exec('sh', ['-c', line]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'okerr updated (200 OK) backup@proj = OK\n');
    assert.equal(r.stderr, '');
    assert.equal(main.indicator('proj', 'backup').status, 'OK');
    assert.equal(main.received.filter((x) => x.kind === 'director').length, 1, 'through the director');
  });

  test('sends the same fields as the Python tool: method heartbeat, policy Default, desc empty', async () => {
    const r = await okerrupdate(['--url', main.url, '--direct', '-S', SECRET, '-d', 'nightly run', 'backup@proj', 'ERR']);
    assert.equal(r.code, 0, r.stderr);
    const [u] = updates(main);
    assert.deepEqual(u.fields, [
      ['textid', 'proj'], ['name', 'backup'], ['status', 'ERR'], ['details', 'nightly run'], ['secret', SECRET],
      ['method', 'heartbeat'], ['policy', 'Default'], ['tags', ''], ['keypath', ''], ['origkeypath', ''], ['desc', ''],
    ]);
  });

  test('numerical with -m, a negative value, -p, --desc, -i', async () => {
    const r = await okerrupdate(['--url', main.url, '--direct', '-i', 'proj', '-S', SECRET, '-m', 'numerical|minlim=0', '-p', 'Daily', '--desc', 'Temperature', 'temp', '-5']);
    assert.equal(r.code, 0, r.stderr);
    const ind = main.indicator('proj', 'temp');
    assert.equal(ind.status, 'ERR', '-5 is below minlim=0');
    assert.equal(ind.policy, 'Daily');
    assert.equal(ind.desc, 'Temperature');
  });

  test('a refusal: exit 1 and the server message on stderr, once', async () => {
    const r = await okerrupdate(['--url', main.url, '--direct', '-S', 'wrong', 'web:alive@proj', 'OK']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'okerr refused the update of web:alive@proj: HTTP 400: Bad secret\n');
  });

  test('a value the server would ignore is refused before sending (exit 1)', async () => {
    const r = await okerrupdate(['--url', main.url, '--direct', '-S', SECRET, 'backup@proj', 'GOOD']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /GOOD/);
    assert.equal(updates(main).length, 0);
  });

  test('an unknown project through the director: exit 1, the director says so', async () => {
    const r = await okerrupdate(['--url', main.url, '-S', SECRET, '--', 'backup@nope', 'OK']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /does not know project 'nope'/);
  });

  test('--json: one JSON object on stdout, for success and failure', async () => {
    let r = await okerrupdate(['--json', '--url', main.url, '--direct', '-S', SECRET, 'backup@proj', 'OK']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), { name: 'backup', textid: 'proj', status: 'OK', sent: true, reason: 'sent' });
    r = await okerrupdate(['--json', '--url', main.url, '--direct', '-S', 'wrong', 'backup@proj', 'OK']);
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout).error, { code: 'HTTP', message: 'okerr refused the update of backup@proj: HTTP 400: Bad secret', status: 400 });
    assert.match(r.stderr, /Bad secret/);
  });

  test('--dry-run checks and shows the fields, secret masked, and sends nothing', async () => {
    const r = await okerrupdate(['--dry-run', '--url', main.url, '-S', SECRET, '-m', 'numerical|maxlim=90', 'df-/var@proj', '93.5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^dry run, nothing sent: df-\/var@proj = 93.5\n {2}textid=proj\n {2}name=df-\/var\n {2}status=93.5\n {2}secret=\[secret\]\n {2}method=numerical\|maxlim=90\n/);
    assert.equal(main.received.length, 0);
    noCanary(r.stdout, r.stderr);
  });

  test('-v logs every step, never the secret', async () => {
    const r = await okerrupdate(['-v', '--url', main.url, '-S', SECRET, 'backup@proj', 'OK']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /got url http:\/\/127\.0\.0\.1:\d+ from director/);
    assert.match(r.stdout, /okerr updated \(200 OK\) backup@proj = OK/);
    noCanary(r.stdout, r.stderr);
  });

  test('--help, --version, and usage errors (exit 2)', async () => {
    let r = await okerrupdate(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: okerrupdate /);
    assert.match(r.stdout, /NAME@TEXTID/);
    r = await okerrupdate(['--version']);
    assert.match(r.stdout, /^okerrupdate \d+\.\d+\.\d+\n$/);
    r = await okerrupdate(['onlyname']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /okerrupdate: error: the following arguments are required: VALUE\n$/);
    r = await okerrupdate(['--bogus', 'a', 'OK']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unrecognized arguments: --bogus/);
    assert.equal(main.received.length, 0);
  });
});

describe('okerrupdate --exec', () => {
  const run = (args, env) => okerrupdate(['--url', main.url, '--direct', '-S', SECRET, ...args], env);
  const reports = (name) => updates(main).filter((u) => u.form.name === name).map((u) => ({ status: u.form.status, details: u.form.details }));

  test('a command that succeeds: its output passed through, OK "exit 0 in N.N s", exit 0, nothing else printed', async () => {
    const r = await run(['--exec', 'job:ok@proj', '--', 'sh', '-c', 'echo out; echo progress >&2']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'progress\n');
    const [rep] = reports('job:ok');
    assert.equal(rep.status, 'OK');
    assert.match(rep.details, /^exit 0 in \d+\.\d s$/);
  });

  test('a command that fails: ERR with its status and the last line of its stderr (masked), and its exit status', async () => {
    const r = await run(['--exec', 'job:fail@proj', '--', 'sh', '-c', `echo first >&2; printf 'error: bad key ${SECRET}\\n\\n' >&2; exit 3`]);
    assert.equal(r.code, 3);
    assert.equal(r.stderr, `first\nerror: bad key ${SECRET}\n\n`, 'the stderr of the command, as it wrote it');
    const [rep] = reports('job:fail');
    assert.equal(rep.status, 'ERR');
    assert.match(rep.details, /^exit 3 in \d+\.\d s: error: bad key \[secret\]$/);
  });

  test('a long last line is masked, then cut to 200 characters', async () => {
    const line = `${'x'.repeat(150)} ${SECRET} ${'y'.repeat(20000)}`;
    const r = await run(['--exec', 'job:long@proj', '--', 'node', '-e', `process.stderr.write(${JSON.stringify(line)}); process.exit(1)`]);
    assert.equal(r.code, 1);
    const [rep] = reports('job:long');
    assert.ok(rep.details.length <= 200, `${rep.details.length}`);
    noCanary(rep.details);
  });

  test('a command killed by a signal: ERR "killed by SIGTERM", exit 128+15', async () => {
    const r = await run(['--exec', 'job:killed@proj', '--', 'sh', '-c', 'echo going >&2; kill -TERM $$']);
    assert.equal(r.code, 143);
    const [rep] = reports('job:killed');
    assert.equal(rep.status, 'ERR');
    assert.match(rep.details, /^killed by SIGTERM after \d+\.\d s: going$/);
  });

  test('a command that is not found: ERR, exit 127, said on stderr', async () => {
    const r = await run(['--exec', 'job:missing@proj', '--', 'no-such-command-4711', '--flag']);
    assert.equal(r.code, 127);
    assert.equal(r.stderr, 'okerrupdate: no-such-command-4711: command not found\n');
    assert.deepEqual(reports('job:missing'), [{ status: 'ERR', details: "not started: 'no-such-command-4711': command not found" }]);
  });

  test('a command whose name holds the secret (-S): masked on stderr and in the details sent', async () => {
    const r = await run(['--exec', 'job:named@proj', '--', `./${SECRET}-cmd`]);
    assert.equal(r.code, 127);
    assert.equal(r.stderr, 'okerrupdate: ./[secret]-cmd: command not found\n');
    assert.deepEqual(reports('job:named'), [{ status: 'ERR', details: "not started: './[secret]-cmd': command not found" }]);
    noCanary(r.stdout, r.stderr);
  });

  test('a command that leaves a child holding its stderr is reported when it exits, with what stderr gave', async () => {
    for (const [script, code, details] of [
      ['echo started >&2; sleep 6 >/dev/null & exit 0', 0, /^exit 0 in 0\.\d s$/],
      ['sleep 6 >/dev/null & echo boom >&2; exit 3', 3, /^exit 3 in 0\.\d s: boom$/],
    ]) {
      main.reset();
      const t0 = Date.now();
      const r = await run(['--exec', 'job:bg@proj', '--', 'sh', '-c', script]);
      const took = Date.now() - t0;
      assert.equal(r.code, code, r.stderr);
      assert.ok(took < 4000, `okerrupdate waited ${took} ms for the child left in the background`);
      const [rep] = reports('job:bg');
      assert.match(rep.details, details);
    }
  });

  test('stdin reaches the command', async () => {
    const child = spawn(join(BIN, 'okerrupdate'), ['--url', main.url, '--direct', '-S', SECRET, '--exec', 'job:stdin@proj', '--', 'sh', '-c', 'read line; echo "got $line"'], { env: cleanEnv() });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stdin.end('hello\n');
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    assert.equal(stdout, 'got hello\n');
  });

  test('a failure to report is printed to stderr and never changes the exit status', async () => {
    let r = await okerrupdate(['--url', main.url, '--direct', '-S', 'wrong', '--exec', 'job:refused@proj', '--', 'sh', '-c', 'exit 4']);
    assert.equal(r.code, 4);
    assert.match(r.stderr, /do not create indicator 'job:refused' with policy 'Default' because doesn't match secret/);
    r = await okerrupdate(['--exec', 'job:noconf', '--', 'sh', '-c', 'echo ran']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'ran\n');
    if (!SYSTEM_CONFIG) assert.match(r.stderr, /^okerrupdate: the run was not reported: no textid/);
  });

  test('a missing command is exit 2 with the usage; the command must follow --', async () => {
    for (const args of [['--exec', 'job@proj'], ['--exec', 'job@proj', '--'], ['--exec', 'job@proj', 'true']]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^usage: okerrupdate /);
      assert.match(r.stderr, /okerrupdate \[options\] --exec NAME -- COMMAND \[ARGS\.\.\.\]/);
    }
    assert.equal(main.received.length, 0);
  });

  test('-v, --dry-run: everything okerrupdate says goes to stderr; stdout is the command\'s', async () => {
    const r = await run(['-v', '--dry-run', '--exec', 'job:dry@proj', '--', 'sh', '-c', 'echo data']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'data\n');
    assert.match(r.stderr, /dry run, nothing sent: job:dry@proj = OK\n/);
    assert.equal(updates(main).length, 0);
    noCanary(r.stdout, r.stderr);
  });

  test('--help shows --exec with a crontab line; okerrapi --help points to it', async () => {
    let r = await okerrupdate(['--help']);
    assert.match(r.stdout, /--exec NAME/);
    assert.match(r.stdout, /\* \* \* okerrupdate --exec backup@MyProject -- /);
    r = await okerrapi(['--help']);
    assert.match(r.stdout, /okerrupdate --exec NAME -- COMMAND/);
  });
});

describe('configuration', () => {
  test('the first okerrupdate file in ~/okerr/ then ~/.okerr/', async () => {
    writeConfig('.okerr', [`OKERR_TEXTID=nope`, `OKERR_SECRET=${SECRET}`, `OKERR_URL=${main.url}`, 'OKERR_DIRECT=1']);
    writeConfig('okerr', ['# the first one wins', `OKERR_TEXTID=proj`, `OKERR_SECRET=${SECRET}`, `OKERR_URL=${main.url}`, 'OKERR_DIRECT=1', 'PREFIX=host1']);
    const r = await okerrupdate([':load', 'OK']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'okerr updated (200 OK) host1:load@proj = OK\n');
  });

  test('the environment wins over the file, flags over the environment', async () => {
    writeConfig('.okerr', [`OKERR_TEXTID=nope`, `OKERR_SECRET=wrong`, `OKERR_URL=http://127.0.0.1:9/`, 'OKERR_DIRECT=1', 'OKERR_API_KEY=wrong']);
    let r = await okerrupdate(['a', 'OK'], { OKERR_TEXTID: 'proj', OKERR_SECRET: SECRET, OKERR_URL: main.url });
    assert.equal(r.code, 0, r.stderr);
    r = await okerrapi(['-k', KEY, '-i', 'proj', 'indicators'], { OKERR_API_KEY: 'wrong-too', OKERR_URL: main.url });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^web:alive\n/);
  });

  test('NAME@TEXTID wins over -i', async () => {
    const r = await okerrupdate(['--url', main.url, '--direct', '-S', SECRET, '-i', 'nope', 'a@proj', 'OK']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(main.indicator('proj', 'a'));
  });

  test('no textid anywhere: exit 1 saying where to put it', { skip: SYSTEM_CONFIG && `this machine has ${SYSTEM_CONFIG}` }, async () => {
    const r = await okerrupdate(['a', 'OK']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^no textid: give NAME@TEXTID or -i TEXTID, set OKERR_TEXTID/);
  });
});

describe('okerrapi', () => {
  test('indicators [prefix], as text and --json', async () => {
    let r = await api(['indicators']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'web:alive\ndb:alive\nwww:sslcert\ndf-/var\n');
    r = await api(['indicators', 'df-/']);
    assert.equal(r.stdout, 'df-/var\n');
    r = await api(['--json', 'indicators', 'w']);
    assert.deepEqual(JSON.parse(r.stdout), ['web:alive', 'www:sslcert']);
  });

  test('indicator and get with -n (NAME@TEXTID too)', async () => {
    let r = await okerrapi(['--url', main.url, '--direct', '-k', KEY, '-n', 'df-/var@proj', 'indicator']);
    assert.equal(r.code, 0, r.stderr);
    const ind = JSON.parse(r.stdout);
    assert.equal(ind.name, 'df-/var');
    assert.equal(ind.args.maxlim, '90');
    r = await api(['-n', 'www:sslcert', 'get', 'days']);
    assert.equal(r.stdout, '20\n');
    r = await api(['--json', '-n', 'db:alive', 'get', 'silent']);
    assert.equal(JSON.parse(r.stdout), 'True');
  });

  test('filter and tagfilter, terms starting with "-" included', async () => {
    let r = await api(['filter', 'OK', '-silent', 'host=okerr.com']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'www:sslcert\n');
    r = await api(['filter', 'sslcert', 'OK']);
    assert.equal(r.stdout, 'www:sslcert\n');
    r = await api(['--json', 'tagfilter', 'web']);
    assert.deepEqual(JSON.parse(r.stdout), ['web:alive']);
    r = await api(['tagfilter', '--', '-web', '-sslcert']);
    assert.equal(r.stdout, 'db:alive\ndf-/var\n');
  });

  test('set k=v, create, delete, updatelog', async () => {
    let r = await api(['-n', 'www:sslcert', 'set', 'days=30', 'retest=1', 'desc=a=b c']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Changed www:sslcert \{.*\}\n$/);
    assert.equal(main.indicator('proj', 'www:sslcert').args.days, '30');
    assert.equal(main.indicator('proj', 'www:sslcert').desc, 'a=b c');
    r = await api(['-n', 'new:one', 'create']);
    assert.match(r.stdout, /^Created new:one@proj/);
    r = await api(['--json', '-n', 'new:one', 'delete']);
    assert.equal(JSON.parse(r.stdout), 'Deleted indicator new:one from project proj');
    r = await api(['-n', 'df-/var', 'updatelog']);
    assert.deepEqual(JSON.parse(r.stdout), [{ t: 1700000000, y: '42' }]);
  });

  test('checkmethods (no key) and status [addr] (no credentials)', async () => {
    let r = await okerrapi(['--url', main.url, '--direct', '-i', 'proj', 'checkmethods']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).heartbeat.name, 'Heartbeat');
    r = await okerrapi(['--url', main.url, '-i', 'proj', 'status']);
    assert.equal(JSON.parse(r.stdout).title, 'Public page');
    r = await okerrapi(['--url', main.url, '-i', 'proj', 'status', 'nope']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not found \(HTTP 404/);
    // The project exists, only the page does not: the message says which (the real server's
    // HTML 404 for a page, an empty 404 for a project it does not know).
    assert.match(r.stderr, /a status page the project does not have/);
    assert.doesNotMatch(r.stderr, /a project it does not know/);
    r = await okerrapi(['--url', main.url, '--direct', '-i', 'nosuch-project', 'status']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /empty answer, which okerr gives for a project it does not know/);
  });

  test('a project on another node: set stays a POST across the redirect', async () => {
    const r = await okerrapi(['--url', main.url, '--direct', '-i', 'moved', '-k', KEY, '-n', 'www:sslcert', 'set', 'days=45']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(other.indicator('moved', 'www:sslcert').args.days, '45');
    assert.equal(apiRequests(main)[0].status, 302);
  });

  test('failures: no key, wrong key, unknown project, unknown indicator (exit 1)', async () => {
    let r = await okerrapi(['--url', main.url, '--direct', '-i', 'proj', 'indicators']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /needs the project's API key/);
    r = await api(['indicators'], { OKERR_API_KEY: 'wrong-CANARY' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refused the API key \(HTTP 403\)/);
    noCanary(r.stdout, r.stderr);
    r = await api(['indicators'], { OKERR_TEXTID: 'nope' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not found \(HTTP 404 with an HTML page, which okerr answers for a project it does not know/);
    r = await api(['--json', '-n', 'nope', 'indicator']);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).error.code, 'NOT_FOUND');
    assert.match(r.stderr, /read indicator 'nope' of project 'proj': not found/);
  });

  test('bad k=v is exit 1 and sends nothing; a missing -n or unknown command is exit 2', async () => {
    let r = await api(['-n', 'web:alive', 'set', 'days']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "Specify arguments as key=value, not 'days'\n");
    r = await api(['set', 'days=1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /command 'set' needs the indicator name: -n NAME/);
    r = await api(['list']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'list'/);
    assert.equal(main.received.length, 0);
  });

  test('--dry-run shows the request and sends nothing', async () => {
    const r = await api(['--dry-run', '-n', 'web:alive', 'set', 'silent=1']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `dry run, nothing sent: POST ${main.url}api/set/proj/web%3Aalive\n  silent=1\n`);
    assert.equal(main.received.length, 0);
  });

  test('--help lists every command', async () => {
    const r = await okerrapi(['--help']);
    assert.equal(r.code, 0);
    for (const c of ['indicators', 'indicator', 'get ARG', 'filter', 'tagfilter', 'set K=V', 'create', 'delete', 'updatelog', 'checkmethods', 'status']) {
      assert.ok(r.stdout.includes(`\n  ${c}`), c);
    }
  });
});

describe('side by side with the Python tools', () => {
  // The reference tools' own entry points, as their console scripts call them.
  const python = (tool, args, env) =>
    exec('python3', ['-c', `import sys; sys.argv[0] = '${tool}'; from okerrupdate.scripts.${tool} import main; sys.exit(main())`, ...args], { env });

  test('okerrupdate: the same command line puts the same fields on the wire and prints the same line', async () => {
    const args = ['--url', main.url, '--direct', '-m', 'numerical|maxlim=90', '-d', 'disk /var', '--desc', 'Disk', 'df-/var@proj', '42'];
    const env = { OKERR_SECRET: SECRET };
    const py = await python('okerrupdate', args, env);
    assert.equal(py.code, 0, py.stderr);
    const theirs = updates(main).map((u) => u.fields);
    main.clearReceived();
    const js = await okerrupdate(args, env);
    assert.equal(js.code, 0, js.stderr);
    assert.deepEqual(updates(main).map((u) => u.fields), theirs);
    assert.equal(js.stdout, py.stdout);
  });

  test('okerrupdate: both fail with exit 1 and the server message on stderr', async () => {
    const args = ['--url', main.url, '--direct', '-S', 'wrong', 'web:alive@proj', 'OK'];
    const py = await python('okerrupdate', args, { OKERR_SECRET: SECRET });
    const js = await okerrupdate(args, { OKERR_SECRET: SECRET });
    assert.deepEqual([py.code, js.code], [1, 1]);
    assert.match(py.stderr, /Bad secret/);
    assert.match(js.stderr, /Bad secret/);
  });

  test('okerrapi: the same names, and set sends the same form', async () => {
    const env = { OKERR_SECRET: SECRET, OKERR_API_KEY: KEY, OKERR_TEXTID: 'proj' };
    const base = ['--url', main.url, '--direct'];
    const lines = (s) => s.split('\n').filter(Boolean);
    for (const cmd of [['indicators'], ['indicators', 'w'], ['filter', 'OK', 'sslcert']]) {
      const py = await python('okerrapi', [...base, ...cmd], env);
      const js = await okerrapi([...base, ...cmd], env);
      assert.equal(py.code, 0, py.stderr);
      assert.deepEqual(lines(js.stdout), lines(py.stdout), cmd.join(' '));
    }
    main.clearReceived();
    await python('okerrapi', [...base, '-n', 'www:sslcert', 'set', 'days=21', 'retest=1'], env);
    await okerrapi([...base, '-n', 'www:sslcert', 'set', 'days=21', 'retest=1'], env);
    const [theirs, ours] = apiRequests(main);
    assert.equal(ours.url, theirs.url);
    assert.deepEqual(ours.fields, theirs.fields);
  });
});
