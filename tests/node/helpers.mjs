// Shared by the Node suites: a local okerr server per test file and small conveniences.
import { startOkerrServer } from '../server/okerr-server.mjs';

export const TEXTID = 'proj';
export const SECRET = 'CANARY-project-secret';
export const API_KEY = 'CANARY-api-key';

/** A server with one project whose Default policy has the secret SECRET (Daily has none). */
export function startServer(extra = {}) {
  return startOkerrServer({ projects: [{ textid: TEXTID, policies: { Default: { secret: SECRET } }, apiKey: API_KEY, ...extra }] });
}

/** Options for a project talking to `server` quickly (short timeouts, no real backoff). */
export function fastOptions(server, more = {}) {
  return { textid: TEXTID, secret: SECRET, url: server.url, timeoutMs: 2000, backoffMs: 5, ...more };
}

/** A logger that keeps every line. */
export function memoryLogger() {
  const lines = [];
  const log = (level) => (message) => lines.push({ level, message });
  return { lines, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } };
}

/** The update requests the server received. */
export function updates(server) {
  return server.received.filter((r) => r.kind === 'update');
}
