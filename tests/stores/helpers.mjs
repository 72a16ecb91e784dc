// Shared by the store suites: free ports, child processes that wait for one "go", and the
// runtimes' tools from the workspace.
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const here = fileURLToPath(new URL('.', import.meta.url));

/** A tool installed by the workspace (root package.json devDependencies). */
export const bin = (name) => join(root, 'node_modules/.bin', name);

/** A TCP port free on 127.0.0.1 just now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts `cmd args` as one process of a fleet: resolves once it printed "ready". Its `go()`
 * writes a line to its stdin; `done` resolves to the last line it printed, parsed as JSON,
 * and rejects when it exits otherwise than 0 or outlives `timeoutMs`.
 */
export function fleetProcess(cmd, args, { cwd = here, env = {}, timeoutMs = 60_000 } = {}) {
  return new Promise((ready, fail) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const done = new Promise((ok, bad) => {
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        const lines = stdout.trim().split('\n');
        if (code !== 0) bad(new Error(`${cmd} ${args.join(' ')} ended ${code ?? signal}\n${stdout}\n${stderr}`));
        else ok(JSON.parse(lines.at(-1)));
      });
    });
    done.catch(fail);
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      if (/^ready$/m.test(stdout)) ready({ go: () => child.stdin.write('go\n'), done, stderr: () => stderr });
    });
  });
}

/** The update requests `server` received for `name`, by status. */
export function posts(server, name) {
  return server.received.filter((r) => r.kind === 'update' && r.form.name === name).map((r) => r.form.status);
}

/** Runs a command to its end; rejects with its output when it fails or outlives `timeoutMs`. */
export function runOk(cmd, args, { cwd = here, env = {}, timeoutMs = 120_000 } = {}) {
  return new Promise((ok, fail) => {
    execFile(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${cmd} ${args.join(' ')}: ${error.message}\n${stdout}\n${stderr}`));
      else ok({ stdout, stderr });
    });
  });
}

/**
 * A fresh project under tests/out/stores/: the packed package installed as a user installs it
 * (scripts/install-pkg.sh), then the files of tests/stores/projects/NAME on top.
 */
export async function freshProject(name) {
  const runs = join(root, 'tests/out/stores');
  mkdirSync(runs, { recursive: true });
  const dir = join(mkdtempSync(join(runs, 'run-')), name);
  await runOk('bash', [join(root, 'scripts/install-pkg.sh'), dir]);
  cpSync(join(here, 'projects', name), dir, { recursive: true });
  return dir;
}
