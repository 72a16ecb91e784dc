// The machine a run was made on, for the report.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem, release, platform } from 'node:os';

function version(cmd, args, pick = (s) => s.trim().split('\n')[0]) {
  try {
    return pick(execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString());
  } catch {
    return null;
  }
}

export function machine({ deno, python }) {
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: (totalmem() / 2 ** 30).toFixed(1),
    os: `${platform()} ${release()}`,
    node: process.version,
    deno: deno ? version(deno, ['--version'], (s) => s.split('\n')[0].replace(/^deno /, '').split(' ')[0]) : null,
    python: python ? version(python, ['--version']) : null,
    okerrupdatePy: python ? version(python, ['-c', 'import importlib.metadata as m; print(m.version("okerrupdate"))']) : null,
    rustc: version('rustc', ['--version']),
    loadStart: loadavg()[0],
  };
}

export const load1 = () => loadavg()[0];
