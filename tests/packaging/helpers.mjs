// Shared by the packaging tests: fresh user projects with the packed package installed, the
// local okerr server, child processes with a time limit, and Chromium.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOkerrServer } from '../server/okerr-server.mjs';
import { CHROMIUM } from '../chromium.mjs';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

// Each test file's process works in a folder of its own: others may run the same tests on this
// tree at the same time. Folders of runs that ended long ago are removed.
const runs = join(root, 'tests/out/packaging');
mkdirSync(runs, { recursive: true });
for (const old of readdirSync(runs)) {
  const path = join(runs, old);
  try {
    if (Date.now() - statSync(path).mtimeMs > 3 * 3600_000) rmSync(path, { recursive: true, force: true });
  } catch {
    // Another run removed it first.
  }
}
export const out = mkdtempSync(join(runs, 'run-'));

/** The time limit of a setup or cleanup hook: a hung runtime fails the run instead of stalling it. */
export const SETUP_TIMEOUT = 240_000;

/** A tool installed by the workspace (root package.json devDependencies). */
export const bin = (name) => join(root, 'node_modules/.bin', name);

/**
 * A fresh project at NAME in this run's folder (tests/out/packaging/run-XXXXXX): the packed tarball installed the way a user
 * installs it (scripts/install-pkg.sh), then the files of tests/packaging/projects/NAME on top.
 * `type` sets package.json's "type" ("commonjs" for a CommonJS project).
 */
export async function freshProject(name, { type = 'module' } = {}) {
  const dir = join(out, name);
  await run('bash', [join(root, 'scripts/install-pkg.sh'), dir], { timeoutMs: 120_000 });
  cpSync(join(root, 'tests/packaging/projects', name), dir, { recursive: true });
  const pkgPath = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  pkg.type = type;
  writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
  return dir;
}

/**
 * Runs a command; resolves to { code, stdout, stderr } whatever the exit status, and rejects
 * only when it cannot start or outlives `timeoutMs`.
 */
export function run(cmd, args, { cwd = root, env = {}, timeoutMs = 60_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(
      cmd,
      args,
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error && (error.killed || typeof error.code !== 'number')) {
          reject(new Error(`${cmd} ${args.join(' ')}: ${error.message}\n${stdout}\n${stderr}`));
          return;
        }
        resolvePromise({ code: error ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** Like `run`, but a non-zero exit is an error that shows the command's output. */
export async function runOk(cmd, args, options) {
  const r = await run(cmd, args, options);
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
  return r;
}

/** The last line of a program's output, parsed as JSON (the library's own log lines come first). */
export function lastJson(text) {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

export const SECRET = 'packaging-secret-4711';

/** A local okerr server holding project `textid` (Default policy secret SECRET) with a public status page. */
export function okerrServer(textid, options = {}) {
  return startOkerrServer({
    projects: [
      {
        textid,
        policies: { Default: { secret: SECRET } },
        statusPages: { index: { title: `${textid} status`, public: true, chapters: { Main: options.chapter ?? [] } } },
      },
    ],
    ...options,
  });
}

/** The `/update` requests a server accepted, as { name, status, fields }. */
export function updates(server) {
  return server.received
    .filter((r) => r.kind === 'update')
    .map((r) => ({ name: r.form.name, status: r.form.status, outcome: r.outcome, form: r.form }));
}

/** The environment a user's process gets to talk to `server` (read by OkerrProject.fromEnv). */
export function okerrEnv(server, textid) {
  return { OKERR_TEXTID: textid, OKERR_SECRET: SECRET, OKERR_URL: server.url };
}

/** Chromium from Debian, driven by playwright-core, with a fresh profile and no background traffic. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(out, 'chromium-profile-'));
  return chromium.launchPersistentContext(profile, CHROMIUM);
}
