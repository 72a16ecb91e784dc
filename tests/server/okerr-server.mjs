// A local okerr server for tests, the demo and the browser dashboard.
//
//   import { startOkerrServer } from './tests/server/okerr-server.mjs';
//   const srv = await startOkerrServer({ projects: [{ textid: 'p1', policies: { Default: { secret: 's' } } }] });
//   ... fetch(srv.url + 'update', ...) ...
//   await srv.close();
//
// It answers as the real okerr server (okerr-dev's views.py and models.py) does; README.md next
// to this file lists the control API, the fault kinds and the differences that remain.
// This file is the HTTP core: it reads requests, applies faults, routes, answers and records.

import http from 'node:http';
import { director, jstatus, projectApi } from './api.mjs';
import { control } from './control.mjs';
import { demoProject } from './demo.mjs';
import { answerFault, checkFault, FaultQueue, mulberry32 } from './faults.mjs';
import { normalizeMounts, serveStatic } from './static.mjs';
import { projectState, Store } from './state.mjs';
import { handleUpdate } from './update.mjs';
import { clientIp, decodePath, parseForm, readBody } from './wire.mjs';

const DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  projects: [],
  demo: false,
  static: null,
  directorUrl: null, // default: this server's own base URL
  cors: false,
  failRate: 0,
  failFault: null, // ({ kind, path, method, rand }) => fault | null: what failRate injects
  seed: 1,
  keepReceived: true,
  maxReceived: 100000,
  trustedIps: [], // senders whose x_remoteip / x_smtp fields are honoured
  verbose: false,
  log: (line) => console.error(line),
};

const RESPONSE_KEEP = 2000; // characters of each answer kept in `received`

function newStats() {
  return {
    requests: 0,
    byKind: {},
    byOutcome: {},
    byStatus: {},
    updates: { accepted: 0, ignored: 0, rejected: 0, faulted: 0 },
    perIndicator: {},
    receivedDropped: 0,
  };
}

function kindOf(path) {
  if (path === '/update' || path === '/update/') return 'update';
  if (path.startsWith('/api/director/')) return 'director';
  if (path.startsWith('/api/')) return 'api';
  if (path.startsWith('/jstatus/')) return 'jstatus';
  return 'other';
}

/**
 * Starts a server. Options (all optional):
 *   host ('127.0.0.1'), port (0 = ephemeral), projects ([spec]), demo (bool),
 *   static ({ '/prefix/': dir } | ['DIR:PREFIX']), directorUrl, cors (bool),
 *   failRate (0..1, 503s on POST /update), seed (PRNG seed for failRate),
 *   failFault (a function that picks the fault failRate injects, for updates and director calls),
 *   keepReceived (bool), maxReceived (n), trustedIps ([ip]), verbose (bool), log (fn).
 * Resolves to { url, port, host, server, state, received, stats, faults, close(), reset(),
 *   clearReceived(), addFault(), clearFaults(), addProject(), project(), indicator(),
 *   snapshot(), configure() }.
 */
export async function startOkerrServer(options = {}) {
  const opts = { ...DEFAULTS, ...options };
  const store = new Store();
  const received = [];
  const stats = newStats();
  const faults = new FaultQueue();
  const mounts = normalizeMounts(opts.static);
  const hung = new Set();
  const sleepers = new Set();
  let rand = mulberry32(opts.seed);
  let seq = 0;
  let closed = false;
  let baseUrl = '';

  const seed = () => {
    store.clear();
    if (opts.demo) store.addProject(demoProject());
    for (const p of opts.projects ?? []) store.addProject(p);
  };
  seed();

  const sleep = (ms) =>
    new Promise((resolve) => {
      const entry = { resolve };
      entry.timer = setTimeout(() => {
        sleepers.delete(entry);
        resolve();
      }, ms);
      sleepers.add(entry);
    });

  const corsHeaders = (req) => ({
    'Access-Control-Allow-Origin': req.headers.origin || '*',
    'Access-Control-Expose-Headers': 'Client-IP, Location, Retry-After',
    Vary: 'Origin',
  });

  function send(req, res, r) {
    const headers = opts.cors ? { ...r.headers, ...corsHeaders(req) } : r.headers;
    const buf = typeof r.body === 'string' ? Buffer.from(r.body) : (r.body ?? Buffer.alloc(0));
    headers['Content-Length'] = String(r.length ?? buf.length);
    res.writeHead(r.status, headers);
    res.end(req.method === 'HEAD' ? undefined : buf);
  }

  function record(rec, info) {
    stats.requests++;
    stats.byKind[info.kind] = (stats.byKind[info.kind] ?? 0) + 1;
    stats.byOutcome[info.outcome] = (stats.byOutcome[info.outcome] ?? 0) + 1;
    if (info.status != null) stats.byStatus[info.status] = (stats.byStatus[info.status] ?? 0) + 1;
    if (info.kind === 'update' && info.textid !== undefined) {
      if (Object.hasOwn(stats.updates, info.outcome)) stats.updates[info.outcome]++;
      const key = `${info.name}@${info.textid}`;
      const c = (stats.perIndicator[key] ??= { accepted: 0, ignored: 0, rejected: 0, faulted: 0 });
      if (Object.hasOwn(c, info.outcome)) c[info.outcome]++;
    } else if (info.kind === 'update' && info.outcome === 'faulted') {
      stats.updates.faulted++;
    }
    if (opts.verbose) {
      opts.log(`${rec.method} ${rec.url} -> ${info.status ?? '-'} ${info.outcome}${info.reason ? ` (${info.reason})` : ''}`);
    }
    if (!opts.keepReceived) return;
    Object.assign(rec, info);
    if (typeof rec.response !== 'string') rec.response = rec.response ? rec.response.toString('utf8') : '';
    if (rec.response.length > RESPONSE_KEEP) rec.response = rec.response.slice(0, RESPONSE_KEEP);
    received.push(rec);
    if (received.length > opts.maxReceived * 1.1) {
      const drop = received.length - opts.maxReceived;
      received.splice(0, drop);
      stats.receivedDropped += drop;
    }
  }

  async function route(req, ctx) {
    const { method, path } = ctx;
    if (opts.cors && method === 'OPTIONS') {
      return {
        status: 204,
        headers: {
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || 'X-API-KEY, Content-Type',
          'Access-Control-Max-Age': '600',
        },
        body: '',
        outcome: 'served',
      };
    }
    switch (ctx.kind) {
      case 'update': {
        const r = handleUpdate(store, ctx.form, { ip: ctx.ip, trusted: opts.trustedIps.includes(ctx.ip) });
        return { ...r, headers: { 'Content-Type': 'text/html; charset=utf-8' } };
      }
      case 'director':
        return director(store, path.slice('/api/director/'.length), {
          ip: ctx.ip,
          authorization: req.headers.authorization,
          directorUrl: opts.directorUrl ?? baseUrl,
          override: ctx.directorOverride,
        });
      case 'api': {
        const r = projectApi(store, path.slice(1), {
          method,
          headers: req.headers,
          form: ctx.form,
          baseUrl,
          rawPathAndQuery: req.url,
        });
        if (r) return r;
        break;
      }
      case 'jstatus': {
        const m = /^\/jstatus\/([^/]+)(?:\/(.*))?$/s.exec(path);
        if (m) return jstatus(store, m[1], m[2], { baseUrl });
        break;
      }
      default:
        if (/^\/login\/?$/.test(path)) {
          return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: '<h1>Login (okerr test server)</h1>' };
        }
        if (mounts.length) {
          const r = await serveStatic(mounts, path, method);
          if (r) return { ...r, kind: 'static' };
        }
    }
    return { status: 404, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: '<h1>Not Found</h1>' };
  }

  async function onRequest(req, res) {
    const url = req.url;
    const qi = url.indexOf('?');
    const path = decodePath(qi < 0 ? url : url.slice(0, qi));
    const query = qi < 0 ? '' : url.slice(qi + 1);
    const method = req.method;

    let body;
    try {
      body = await readBody(req);
    } catch (e) {
      if (e.code === 'TOO_LARGE' && !res.headersSent) res.writeHead(413).end();
      return;
    }

    if (path === '/__test' || path.startsWith('/__test/')) {
      send(req, res, control(api, method, path, query, body));
      return;
    }

    const ip = clientIp(req.socket);
    const kind = kindOf(path);
    const { fields, form } = parseForm(method, req.headers['content-type'], body);
    const rec = opts.keepReceived
      ? {
          id: ++seq,
          time: Date.now(),
          method,
          url,
          path,
          query,
          kind,
          ip,
          headers: { ...req.headers },
          body: body.toString('utf8'),
          bodyLength: body.length,
          form: { ...form },
          fields,
        }
      : { method, url };
    const fromForm = kind === 'update' ? { textid: form.textid, name: form.name } : {};

    let fault = faults.take(path, method);
    const picks = typeof opts.failFault === 'function';
    const failable = (kind === 'update' && method === 'POST') || (picks && kind === 'director');
    if (!fault && opts.failRate > 0 && failable && rand() < opts.failRate) {
      if (!picks) fault = { kind: 'status', status: 503, body: 'Service Unavailable', failRate: true };
      else {
        const picked = opts.failFault({ kind, path, method, rand });
        fault = picked ? checkFault(picked) : null;
      }
    }
    let directorOverride;
    let faultNote = null;
    if (fault) {
      if (fault.kind === 'delay') {
        faultNote = `delay ${fault.ms}ms${fault.after ? ' after' : ''}`;
        if (!fault.after) await sleep(Number(fault.ms));
        if (closed) return;
      } else if (fault.kind === 'directorUrl') {
        if (kind === 'director') directorOverride = fault.url;
        faultNote = `directorUrl ${fault.url}`;
      } else if (fault.kind === 'reset' && fault.after) {
        faultNote = `reset at ${fault.at ?? 'partial'} after`;
      } else {
        const note = answerFault(fault, req, res, hung, opts.cors ? corsHeaders(req) : {});
        record(rec, {
          ...fromForm,
          kind,
          status: fault.kind === 'hang' || fault.kind === 'reset' ? null : Number(fault.status ?? (fault.kind === 'body' ? 500 : fault.kind === 'garbage' ? 200 : 503)),
          outcome: 'faulted',
          fault: fault.failRate ? 'failRate' : note,
          reason: null,
          response: '',
        });
        return;
      }
    }

    const r = await route(req, { method, path, kind, ip, form, directorOverride });
    if (fault?.kind === 'delay' && fault.after) await sleep(Number(fault.ms));
    if (closed) return;
    // A reset `after`: the request was handled (an update stored), then its answer is lost.
    if (fault?.kind === 'reset' && fault.after) answerFault(fault, req, res, hung);
    else send(req, res, r);
    record(rec, {
      ...fromForm,
      textid: r.textid ?? fromForm.textid,
      name: r.name ?? fromForm.name,
      kind: r.kind ?? kind,
      status: r.status,
      outcome: r.outcome ?? 'served',
      reason: r.reason ?? null,
      created: r.created ?? false,
      fault: faultNote,
      response: typeof r.body === 'string' ? r.body : '',
    });
  }

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((e) => {
      opts.log(`okerr test server: ${e.stack ?? e}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end('internal error in test server\n');
    });
  });
  server.keepAliveTimeout = 10000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  const hostInUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  baseUrl = `http://${hostInUrl}:${port}/`;

  const api = {
    url: baseUrl,
    port,
    host: opts.host,
    server,
    /** The live model (Store): `state.projects` is a Map textid -> project. */
    state: store,
    /** Every request received (unless keepReceived is false), oldest first. */
    received,
    stats,
    faults,

    async close() {
      if (closed) return;
      closed = true;
      for (const s of sleepers) {
        clearTimeout(s.timer);
        s.resolve();
      }
      sleepers.clear();
      for (const s of hung) s.destroy();
      hung.clear();
      const done = new Promise((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },

    /** Back to the seeded projects; forgets received requests, counters and queued faults. */
    reset() {
      seed();
      api.clearReceived();
      faults.clear();
      rand = mulberry32(opts.seed);
    },

    clearReceived() {
      received.length = 0;
      const fresh = newStats();
      for (const k of Object.keys(stats)) delete stats[k];
      Object.assign(stats, fresh);
    },

    /** Queues a fault or an array of faults (see faults.mjs); returns how many. */
    addFault(f) {
      return faults.add(f);
    },

    clearFaults() {
      faults.clear();
    },

    /** Adds (or replaces) a project; returns its state. */
    addProject(spec) {
      return projectState(store.addProject(spec));
    },

    /** The live project object, or undefined. */
    project(textid) {
      return store.getProject(textid);
    },

    /** The live indicator object, or undefined. */
    indicator(textid, name) {
      return store.getProject(textid)?.indicators.get(name);
    },

    /** Projects and indicators as plain JSON-able data. */
    snapshot(textid) {
      const list = [...store.projects.values()].filter((p) => textid === undefined || p.textid === textid);
      return { projects: list.map(projectState) };
    },

    /** Changes options at run time; returns the current values. */
    configure(patch = {}) {
      for (const k of ['failRate', 'cors', 'directorUrl', 'keepReceived', 'verbose', 'maxReceived', 'trustedIps']) {
        if (Object.hasOwn(patch, k)) opts[k] = patch[k];
      }
      if (Object.hasOwn(patch, 'seed')) {
        opts.seed = patch.seed;
        rand = mulberry32(opts.seed);
      }
      const { failRate, seed: s, cors, directorUrl, keepReceived, verbose, maxReceived, trustedIps } = opts;
      return { failRate, seed: s, cors, directorUrl: directorUrl ?? baseUrl, keepReceived, verbose, maxReceived, trustedIps };
    },
  };
  return api;
}
