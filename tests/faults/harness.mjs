// Shared by the reliability suites (faults, badinput, canaries, soak): a local okerr server
// whose project holds canary secrets, projects that log everything into memory, a bounded
// wait for promises, and every string form of an object a user could print.
import net from 'node:net';
import util from 'node:util';
import { OkerrError, OkerrProject } from 'okerrupdate';
import { startOkerrServer } from '../server/okerr-server.mjs';

export const TEXTID = 'rel';

// Every canary starts with CANARY (letters stay as they are in form and URL encoding), so any
// spelling of any of them, raw or encoded, contains that word. The characters after it differ
// between raw and form-encoded spellings, so both kinds of masking are exercised.
export const CANARY = {
  secret: 'CANARY-project secret&x=1/é',
  apiKey: 'CANARY-api+key%20',
  indicatorSecret: 'CANARY-indicator secret',
  methodSecret: 'CANARY-method',
};
export const CANARY_WORD = 'CANARY';

/**
 * A server with one project whose secrets and API key are the canaries: the Default policy's
 * secret, and a policy `Own` whose secret is the indicator canary.
 */
export function startServer(extra = {}) {
  return startOkerrServer({
    projects: [
      {
        textid: TEXTID,
        policies: { Default: { secret: CANARY.secret }, Own: { secret: CANARY.indicatorSecret } },
        apiKey: CANARY.apiKey,
        ...extra,
      },
    ],
  });
}

/** A port nothing listens on (listened on, then closed). */
export async function closedPort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/**
 * A context for one suite: projects made through it log into `lines` at `level`, and every
 * project, indicator, value and error it sees is kept in `seen` for the canary checks.
 */
export function context(srv, { level = 'debug', defaults = {} } = {}) {
  const lines = [];
  const seen = [];
  const log = (lvl) => (message) => lines.push({ level: lvl, message });
  const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const ctx = {
    srv,
    lines,
    seen,
    logger,
    level,
    /** Options for a quick project on `srv`: short timeouts, short backoff, 3 retries. */
    options(more = {}) {
      return {
        textid: TEXTID,
        secret: CANARY.secret,
        apiKey: CANARY.apiKey,
        url: srv.url,
        timeoutMs: 250,
        backoffMs: 20,
        retries: 3,
        logger,
        logLevel: level,
        ...defaults,
        ...more,
      };
    },
    project(more = {}) {
      const p = new OkerrProject(ctx.options(more));
      seen.push(p);
      return p;
    },
    indicator(project, name, options) {
      const ind = project.indicator(name, options);
      seen.push(ind);
      return ind;
    },
    /** Wait for `promise` at most `ms`; resolves to { value } or { error }, with the time taken. */
    async settle(promise, ms = 10_000) {
      const t0 = performance.now();
      let timer;
      const bound = new Promise((resolve) => {
        timer = setTimeout(() => resolve({ hung: true }), ms);
      });
      const outcome = await Promise.race([
        Promise.resolve(promise).then(
          (value) => ({ value }),
          (error) => ({ error }),
        ),
        bound,
      ]);
      clearTimeout(timer);
      outcome.ms = performance.now() - t0;
      if (outcome.hung) throw new Error(`the promise did not settle within ${ms} ms`);
      seen.push(outcome.value ?? outcome.error);
      return outcome;
    },
    /** Run `fn`; what it throws (or the promise it returns rejects with) is the outcome. */
    async attempt(fn, ms) {
      try {
        return await ctx.settle(fn(), ms);
      } catch (error) {
        if (error instanceof Error && /did not settle/.test(error.message)) throw error;
        seen.push(error);
        return { error, ms: 0, sync: true };
      }
    },
  };
  return ctx;
}

/** True for an OkerrError with `code`. */
export function isOkerrError(e, code) {
  return e instanceof OkerrError && e instanceof Error && (code === undefined || e.code === code);
}

/** Every way a user could turn `x` into text: String, JSON, inspect, and an error's fields. */
export function textForms(x) {
  const out = [];
  const tryPush = (f) => {
    try {
      const v = f();
      if (v !== undefined) out.push(String(v));
    } catch (e) {
      out.push(`(threw ${e?.message})`);
    }
  };
  tryPush(() => String(x));
  tryPush(() => `${x}`);
  tryPush(() => JSON.stringify(x));
  tryPush(() => util.inspect(x, { depth: 6, showHidden: true, getters: true }));
  tryPush(() => util.format('%o %O %j', x, x, x));
  if (x && typeof x === 'object') {
    for (const key of ['message', 'stack', 'body', 'code', 'status', 'cause', 'name', 'url', 'textid']) {
      tryPush(() => (x[key] === undefined ? undefined : typeof x[key] === 'string' ? x[key] : util.inspect(x[key])));
    }
    tryPush(() => (typeof x.toJSON === 'function' ? JSON.stringify(x.toJSON()) : undefined));
    tryPush(() => Object.keys(x).join(','));
  }
  return out;
}

/** The update requests the server got for indicator `name`. */
export function updatesOf(srv, name) {
  return srv.received.filter((r) => r.kind === 'update' && r.name === name);
}

/** How many times the server stored an update of `name`. */
export function acceptedOf(srv, name) {
  return updatesOf(srv, name).filter((r) => r.outcome === 'accepted').length;
}
