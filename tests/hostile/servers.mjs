// Hostile and broken servers for tests/hostile: plain node:http (and https with the test
// certificate that run.sh makes), each doing one thing an okerr server never should.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';

/**
 * A server on 127.0.0.1 whose every request is recorded (method, url, headers, body) and then
 * answered by `handler(req, res, recorded)`. `https: true` serves the certificate named by
 * HOSTILE_CERT / HOSTILE_KEY (made by run.sh, trusted through NODE_EXTRA_CA_CERTS).
 */
export async function startRaw(handler, { https: secure = false } = {}) {
  const requests = [];
  const onRequest = async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const recorded = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() };
    requests.push(recorded);
    try {
      await handler(req, res, recorded);
    } catch {
      res.destroy();
    }
  };
  const server = secure
    ? https.createServer({ cert: readFileSync(process.env.HOSTILE_CERT), key: readFileSync(process.env.HOSTILE_KEY) }, onRequest)
    : http.createServer(onRequest);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `${secure ? 'https' : 'http'}://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: `${origin}/`,
    requests,
    server,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Answer `status` with `body` as text. */
export function answer(res, status, body = '', headers = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

/** Every spelling a server, proxy or error page may echo a secret in. */
export function spellings(secret) {
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const lowerHex = (s) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
  const json = JSON.stringify(secret).slice(1, -1);
  const pythonJson = json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return {
    raw: secret,
    form,
    formLower: lowerHex(form),
    uriComponent: encodeURIComponent(secret),
    html,
    json,
    pythonJson,
  };
}

/**
 * Every piece of `secret` long enough to mean something (6 characters) that appears in `text`,
 * in any of its spellings: a cut that left most of a secret behind shows up here.
 */
export function leaks(text, secret, width = 6) {
  const found = [];
  for (const spelled of Object.values(spellings(secret))) {
    for (let i = 0; i + width <= spelled.length; i++) {
      const piece = spelled.slice(i, i + width);
      if (text.includes(piece)) found.push(piece);
    }
  }
  return found;
}

/** A logger that keeps every line. */
export function memoryLogger() {
  const lines = [];
  const logger = {};
  for (const m of ['debug', 'info', 'warn', 'error']) logger[m] = (line) => lines.push(`${m}: ${line}`);
  return { logger, lines };
}
