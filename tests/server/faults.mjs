// Fault injection: a queue of faults consumed by matching requests, and how each kind answers.
//
// A fault: { path, times = 1, kind, method?, ... }. `path` matches a request whose path equals it
// or starts with it (`/update` also matches `/update/`; `/api/director/` matches every director
// call). Each request consumes at most one fault: the first matching one in the queue.
// `times: -1` never runs out.

import { STATUS_CODES } from 'node:http';

export const FAULT_KINDS = ['status', 'hang', 'reset', 'garbage', 'body', 'delay', 'directorUrl'];

/** A fault as queued: checked, with its defaults. Throws on a fault that cannot be applied. */
export function checkFault(f) {
  if (!f || typeof f !== 'object') throw new Error('a fault must be an object');
  if (!FAULT_KINDS.includes(f.kind)) throw new Error(`unknown fault kind ${JSON.stringify(f.kind)}; known: ${FAULT_KINDS.join(', ')}`);
  if (f.kind === 'directorUrl' && typeof f.url !== 'string') throw new Error('a directorUrl fault needs a url');
  if (f.kind === 'delay' && !(Number(f.ms) >= 0)) throw new Error('a delay fault needs ms');
  const times = f.times === undefined ? 1 : Number(f.times);
  if (!Number.isInteger(times) || times === 0 || times < -1) throw new Error('times must be a positive integer or -1');
  return { ...f, path: f.path ?? '/', times, left: times };
}

export class FaultQueue {
  constructor() {
    this.list = [];
  }

  /** Adds one fault or an array of them; returns how many were queued. */
  add(faults) {
    const arr = (Array.isArray(faults) ? faults : [faults]).map(checkFault);
    this.list.push(...arr);
    return arr.length;
  }

  clear() {
    this.list.length = 0;
  }

  get size() {
    return this.list.length;
  }

  /** Takes the first fault matching this request, or null. Cheap when the queue is empty. */
  take(path, method) {
    if (this.list.length === 0) return null;
    for (let i = 0; i < this.list.length; i++) {
      const f = this.list[i];
      if (!path.startsWith(f.path)) continue;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.left !== -1 && --f.left === 0) this.list.splice(i, 1);
      return f;
    }
    return null;
  }

  pending() {
    return this.list.map(({ left, ...f }) => ({ ...f, left }));
  }
}

/** Deterministic PRNG (mulberry32) for the `failRate` option. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function faultBody(f, fallback) {
  if (typeof f.bodyBase64 === 'string') return Buffer.from(f.bodyBase64, 'base64');
  if (Array.isArray(f.bytes)) return Buffer.from(f.bytes);
  if (typeof f.body === 'string') return Buffer.from(f.body);
  if (Number(f.size) > 0) return Buffer.alloc(Number(f.size), f.fill ?? '<p>error page</p>\n');
  return Buffer.from(fallback);
}

function sendRaw(res, status, headers, body) {
  res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
  res.end(body);
}

/**
 * Answers a request with a fault that replaces the normal answer.
 * Returns a short description for the `received` record.
 * `hung` is a Set of sockets the server destroys on close(); `extraHeaders` (CORS, when the
 * server runs with `cors: true`) are added to the answers that have headers.
 * (`delay` and `directorUrl` are not answered here: the server answers normally; a `reset`
 * with `after: true` is applied here once the server has handled the request.)
 */
export function answerFault(f, req, res, hung, extraHeaders = {}) {
  const socket = req.socket;
  switch (f.kind) {
    case 'status': {
      const status = Number(f.status ?? 503);
      const headers = { 'Content-Type': f.contentType ?? 'text/html; charset=utf-8', ...extraHeaders, ...(f.headers ?? {}) };
      if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter);
      sendRaw(res, status, headers, faultBody(f, `${status} ${STATUS_CODES[status] ?? ''}`.trim()));
      return `status ${status}`;
    }
    case 'body': {
      const status = Number(f.status ?? 500);
      const headers = { 'Content-Type': f.contentType ?? 'text/html', ...extraHeaders, ...(f.headers ?? {}) };
      if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter);
      sendRaw(res, status, headers, faultBody(f, ''));
      return `body ${status}`;
    }
    case 'garbage': {
      const headers = { 'Content-Type': f.contentType ?? 'text/plain', ...extraHeaders };
      sendRaw(res, Number(f.status ?? 200), headers, faultBody(f, 'Hello! I am not a URL\n'));
      return 'garbage';
    }
    case 'hang': {
      hung.add(socket);
      socket.once('close', () => hung.delete(socket));
      return 'hang';
    }
    case 'reset': {
      // Written straight to the socket: the ServerResponse is abandoned.
      const at = f.at ?? 'partial';
      const kill = () => (socket.resetAndDestroy ? socket.resetAndDestroy() : socket.destroy());
      if (at === 'connect') {
        kill();
      } else {
        const status = Number(f.status ?? 200);
        const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n`;
        const partial = at === 'headers' ? '' : (f.body ?? 'OK, and then');
        socket.write(head + partial, kill);
      }
      return `reset at ${at}`;
    }
    default:
      throw new Error(`answerFault: ${f.kind} is answered normally`);
  }
}
