// `make dashboard`: the local okerr server with the demo project, serving the browser dashboard
// (www/) and the built package (pkg/) from its own origin, so the page's API calls and updates
// are same-origin. Runs until Ctrl-C.
//
//   node scripts/dashboard.mjs [--port N]
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startOkerrServer } from '../tests/server/okerr-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Starts the server. `pkgDir` is the package the page loads (default the built pkg/; the test
 * passes the installed one).
 */
export function startDashboard({ port = 0, pkgDir = `${root}pkg`, ...more } = {}) {
  return startOkerrServer({ port, demo: true, static: { '/': `${root}www`, '/pkg/': pkgDir }, ...more });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8765;
  let srv;
  try {
    srv = await startDashboard({ port });
  } catch (e) {
    if (e.code !== 'EADDRINUSE') throw e;
    srv = await startDashboard({ port: 0 });
  }
  console.log(`okerr dashboard: ${srv.url}?textid=demo`);
  console.log('demo project: textid demo, secret demo-secret, API key demo-api-key (Ctrl-C stops)');
  const stop = () => srv.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
