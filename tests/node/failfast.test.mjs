// Errors no retry can fix reject at once and say what fixes them; transient ones keep their
// retries. The resolver is stubbed in the child process (nxdomain.mjs): no DNS query leaves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

function attempt(options) {
  const script = `
    import { OkerrProject } from 'okerrupdate';
    const lines = [];
    const log = (m) => lines.push(m);
    const logger = { debug: log, info: log, warn: log, error: log };
    const op = new OkerrProject({ ...${JSON.stringify({ textid: 't', secret: 'failfast-secret', logLevel: 'warn', ...options })}, logger });
    const e = await op.indicator('x').update('OK').then(() => null, (e) => e);
    const retries = lines.filter((l) => /; retry \\d+ of \\d+ in/.test(l)).length;
    console.log(JSON.stringify({ code: e?.code, message: e?.message, retries }));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', './nxdomain.mjs', '--input-type=module', '-e', script], { cwd: here, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}

test('a url whose host does not exist (ENOTFOUND) fails at once, naming the url option', async () => {
  const director = await attempt({ url: 'https://okerr.gone.invalid/', retries: 5, backoffMs: 600000 });
  assert.equal(director.code, 'DIRECTOR');
  assert.match(director.message, /host name does not exist .*ENOTFOUND.*set the url option \(OKERR_URL\)/);
  assert.equal(director.retries, 0);
  const direct = await attempt({ url: 'https://okerr.gone.invalid/', direct: true, retries: 5, backoffMs: 600000 });
  assert.equal(direct.code, 'NETWORK');
  assert.match(direct.message, /set the url option/);
  assert.equal(direct.retries, 0);
});

test('a temporary resolver failure (EAI_AGAIN) is retried as before', async () => {
  const r = await attempt({ url: 'https://okerr.later.invalid/', direct: true, retries: 2, backoffMs: 5 });
  assert.equal(r.code, 'NETWORK');
  assert.match(r.message, /3 attempts/);
  assert.equal(r.retries, 2);
});
