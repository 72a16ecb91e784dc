// The `demo` project (option `demo: true`, CLI `--demo`): a few indicators of each kind with
// varied statuses, a public status page `index` with two chapters and a private page `internal`.

import { nowSeconds } from './state.mjs';

/**
 * A smooth, deterministic series for numerical histories. `y` is what a client sent, as the
 * real update log keeps it: the raw string; `raw` replaces some values by other spellings
 * Python's float() also accepts (the log only ever holds those).
 */
function history(n, step, f, raw = {}) {
  const now = nowSeconds();
  return Array.from({ length: n }, (_, k) => ({ t: now - (n - k) * step, y: raw[k] ?? String(Math.round(f(k) * 100) / 100) }));
}

export function demoProject() {
  return {
    textid: 'demo',
    name: 'okerr demo project',
    apiKey: 'demo-api-key',
    policies: {
      Default: { period: 3600, patience: 1200, secret: 'demo-secret' },
      Daily: { period: 86400, patience: 7200 },
    },
    indicators: [
      { name: 'servers:web1:alive', status: 'OK', details: 'up 12 days', age: 120, changedAge: 1036800, tags: ['web', 'prod'], desc: 'web server heartbeat' },
      { name: 'servers:db1:alive', status: 'ERR', details: 'no heartbeat', age: 5400, changedAge: 1800, tags: ['db', 'prod'], desc: 'database heartbeat' },
      { name: 'backup:nightly', policy: 'Daily', status: 'OK', details: 'backup 2.1 GB done', age: 30000, tags: ['backup'] },
      {
        name: 'servers:web1:load',
        method: 'numerical|maxlim=4',
        status: 'OK',
        details: '0.42',
        args: { current: '0.42' },
        age: 60,
        tags: ['web'],
        log: history(24, 300, (k) => 0.4 + 0.3 * Math.sin(k / 3)),
      },
      {
        name: 'servers:db1:df-/var',
        method: 'numerical|maxlim=90',
        status: 'ERR',
        details: ' | 93.5 > 90.0 (maxlim)',
        args: { current: '93.5' },
        age: 300,
        changedAge: 7200,
        tags: ['db', 'disk'],
        log: history(24, 300, (k) => 85 + k * 0.37),
      },
      {
        name: 'queue:length',
        method: 'numerical|minlim=0|maxlim=1000',
        status: 'OK',
        details: '17.0',
        args: { current: '17.0' },
        age: 30,
        silent: true,
        log: history(12, 600, (k) => 10 + ((k * 7) % 13), { 3: ' 12 ', 5: '1e1', 8: 'nan' }),
      },
      { name: 'app:version', method: 'string|str=1.4.2', status: 'OK', details: '1.4.2', age: 900, tags: ['app'] },
      { name: 'config:hash', method: 'string|str=3f2a9c', status: 'ERR', details: 'a81b07', age: 600, changedAge: 600, tags: ['app'] },
      { name: 'www:sslcert', method: 'sslcert|host=okerr.com|days=20', status: 'OK', details: '85 days left', age: 1200, tags: ['web'] },
      { name: 'www:httpstatus', method: 'httpstatus|url=https://okerr.com/', status: 'OK', details: '200 OK', age: 1200, tags: ['web'] },
      { name: 'legacy:ftp', status: 'ERR', details: 'decommissioned', age: 864000, disabled: true },
      { name: 'mail:queue', method: 'numerical|maxlim=100', status: 'OK', details: '3.0', args: { current: '3.0' }, age: 200, error: 'mailq: permission denied' },
    ],
    statusPages: {
      index: {
        title: 'Demo services status',
        desc: 'Public status of the okerr demo project',
        public: true,
        chapters: {
          Servers: [
            { name: 'servers:web1:alive', title: 'Web server', desc: 'Serves www.example.com', details: true },
            { name: 'servers:db1:alive', title: 'Database server', details: true },
            { name: 'servers:db1:df-/var', title: 'Database disk', details: true },
          ],
          Services: [
            { name: 'www:sslcert', title: 'HTTPS certificate', details: true },
            { name: 'www:httpstatus', title: 'Web site', details: true },
            { name: 'backup:nightly', title: 'Nightly backup', details: false },
          ],
        },
        blog: [{ text: 'Database disk is being extended, expect a short maintenance tonight.' }],
      },
      internal: {
        title: 'Internal',
        public: false,
        chapters: { All: [{ name: 'app:version', details: true }, { name: 'config:hash', details: true }] },
      },
    },
  };
}
