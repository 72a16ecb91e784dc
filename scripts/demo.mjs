// `make demo`: install the packed package into a fresh project, start the bundled okerr server
// on 127.0.0.1, run examples/node-demo.mjs against it (through the director, like production),
// print what the server now holds, and stop the server.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync } from 'node:fs';
import { startOkerrServer } from '../tests/server/okerr-server.mjs';

const app = 'tests/out/demo-app';
execFileSync('bash', ['scripts/install-pkg.sh', app], { stdio: 'inherit' });
copyFileSync('examples/node-demo.mjs', `${app}/node-demo.mjs`);

const server = await startOkerrServer({ projects: [{ textid: 'demo', policies: { Default: { secret: 'demo-secret' } } }] });
console.log(`local okerr server: ${server.url}\n`);
let status = 1;
try {
  // The example runs in its own process (the server lives in this one's event loop).
  const run = spawn(process.execPath, ['node-demo.mjs'], {
    cwd: app,
    stdio: 'inherit',
    env: { ...process.env, OKERR_TEXTID: 'demo', OKERR_SECRET: 'demo-secret', OKERR_URL: server.url },
  });
  [status] = await once(run, 'exit');
  const state = await (await fetch(new URL('/__test/state', server.url))).json();
  const project = state.projects.find((p) => p.textid === 'demo');
  console.log('\nThe server now holds:');
  console.table(project.indicators.map((i) => ({ name: i.name, method: i.checkmethod, status: i.status, details: i.details })));
  const updates = server.received.filter((r) => r.kind === 'update');
  console.log(`${updates.length} update request(s) received, ${server.received.filter((r) => r.kind === 'director').length} director lookup(s).`);
} finally {
  await server.close();
}
process.exit(status);
