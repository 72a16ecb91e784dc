// Secret canaries: every fault scenario and every bad-input case again, at debug level, with
// canary secrets (project, indicator, method-line `secret=` argument) and a canary API key, plus
// scenarios built to leak: servers and directors that echo the secret, a fetch that fails with
// the request body in its message, every public method called with junk. Every log line, every
// console write, and the message, stack, body, toString, JSON and inspect output of every
// project, indicator, result and error must be free of all of them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OkerrIndicator, OkerrProject } from 'okerrupdate';
import { badInputCases, refusedBeforeSending, tableEnv } from '../badinput/table.mjs';
import { CANARY, CANARY_WORD, context, isOkerrError, startServer, textForms, TEXTID } from '../faults/harness.mjs';
import { faultScenarios, runScenario } from '../faults/scenarios.mjs';

const formEncoded = (s) => new URLSearchParams({ s }).toString().slice(2);
const CANARIES = Object.values(CANARY);

describe('secret canaries', () => {
  let srv;
  let ctx;
  const consoleLines = [];
  const saved = {};
  before(async () => {
    srv = await startServer();
    ctx = context(srv, { level: 'debug' });
    // Anything that reaches the console (a default logger, a stray print) is captured too.
    for (const m of ['log', 'debug', 'info', 'warn', 'error', 'trace']) {
      saved[m] = console[m];
      console[m] = (...args) => consoleLines.push(args.map((a) => textForms(a).join(' ')).join(' '));
    }
  });
  after(async () => {
    Object.assign(console, saved);
    await srv.close();
  });

  describe('every fault scenario at debug level', () => {
    for (const s of faultScenarios) {
      it(s.name, () => runScenario(s, ctx));
    }
  });

  describe('every bad-input case at debug level', () => {
    let env;
    before(async () => {
      env = await tableEnv(ctx);
    });
    for (const c of badInputCases) {
      it(c.name, () => refusedBeforeSending(ctx, env, c));
    }
  });

  describe('scenarios built to leak', () => {
    it('indicators with their own secret and a method-line secret, written with spaces too', async () => {
      for (const [name, options] of [
        ['own', { secret: CANARY.indicatorSecret, policy: 'Own' }],
        // A method-line secret is what the indicator sends; Daily has no secret, so it creates it.
        ['method', { method: `heartbeat|secret=${CANARY.methodSecret}|patience=1h`, policy: 'Daily' }],
        ['method-spaced', { method: `heartbeat| secret = ${CANARY.methodSecret} `, policy: 'Daily' }],
      ]) {
        // A project of its own each: only this indicator can teach it the secret to mask.
        const p = ctx.project({ direct: true });
        const ind = ctx.indicator(p, name, options);
        const r = await ctx.settle(ind.update('OK', `details of ${name}`));
        assert.equal(r.error, undefined, r.error?.message);
        p.verbose();
        p.setLogLevel('debug');
      }
    });

    it('method lines the client refuses, with a secret in them (found by fuzzing)', async () => {
      const p = ctx.project({ direct: true });
      for (const method of [
        `|heartbeat|secret=${CANARY.methodSecret}`,
        `| secret = ${CANARY.methodSecret}|patience=1h`,
        `heartbeat|secret=${CANARY.methodSecret}=x`,
        `heartbeat|secret=${CANARY.methodSecret}|bad`,
        `heartbeat|secret=${CANARY.methodSecret}\n`,
      ]) {
        const bad = await ctx.attempt(() => p.indicator('refused', { method }));
        assert.ok(isOkerrError(bad.error, 'INVALID_ARGUMENT'), method);
      }
    });

    for (const [label, body] of [
      ['raw', (c) => `You sent secret=${c} (echoed by a broken server)`],
      ['form-encoded', (c) => `body was textid=${TEXTID}&secret=${formEncoded(c)}&x=1`],
    ]) {
      it(`a server that echoes every secret ${label} in a 400, a retried 500 and a 404`, async () => {
        const p = ctx.project({ direct: true, retries: 1 });
        // The project learns the indicator canary from an indicator that has it as its secret.
        ctx.indicator(p, `learn-${label}`, { secret: CANARY.indicatorSecret });
        const all = CANARIES.map(body).join('\n');
        for (const [status, times] of [[400, 1], [500, 2], [404, 1]]) {
          srv.addFault({ path: '/update', kind: 'status', status, body: `${CANARIES.map(body).join(' ')}\n${all}`, times });
          const ind = ctx.indicator(p, `echo-${label}-${status}`, { method: `heartbeat|secret=${CANARY.methodSecret}` });
          const r = await ctx.settle(ind.update('OK'));
          assert.ok(isOkerrError(r.error), `${status}: ${r.error}`);
          assert.ok(r.error.body.includes('[secret]'), 'the echoed secrets are masked, not dropped');
        }
      });
    }

    it('a director that echoes the secret, and one that names a URL made of it', async () => {
      for (const answer of [`${CANARY.secret}\n`, `http://127.0.0.1:1/${formEncoded(CANARY.secret)}/`, `http://127.0.0.1:1/${CANARY.apiKey}`]) {
        const p = ctx.project({ retries: 0 });
        srv.addFault({ path: '/api/director/', kind: 'garbage', body: answer });
        const r = await ctx.settle(ctx.indicator(p, 'dir-echo').update('OK'));
        assert.ok(isOkerrError(r.error), String(r.error));
      }
    });

    it('a fetch that fails with the request body and headers in its message', async () => {
      const leaky = async (url, init) => {
        throw new Error(`cannot send ${init.body} with ${JSON.stringify(init.headers)} to ${url}`);
      };
      const p = ctx.project({ direct: true, retries: 1, fetch: leaky });
      const r = await ctx.settle(ctx.indicator(p, 'leaky').update('OK'));
      assert.ok(isOkerrError(r.error, 'NETWORK'), String(r.error));
      const api = await ctx.settle(p.listIndicators());
      assert.ok(isOkerrError(api.error), String(api.error));
    });

    it('the project API with the canary key: answers, 403s, 404s and an echoing server', async () => {
      const p = ctx.project({ direct: true, retries: 0 });
      const ind = ctx.indicator(p, 'api-target');
      await ind.update('OK');
      const calls = [
        () => p.listIndicators(),
        () => p.getIndicator('api-target'),
        () => p.getArg('api-target', 'secret'),
        () => p.setArgs('api-target', { desc: 'changed' }),
        () => p.updateLog('api-target'),
        () => p.filter('sum'),
        () => p.tagFilter('x'),
        () => p.createIndicator('api-made'),
        () => p.deleteIndicator('api-made'),
        () => p.checkMethods(),
        () => p.statusPage('index'),
        () => p.getIndicator('no-such-indicator'),
      ];
      for (const call of calls) await ctx.settle(call());
      const wrongKey = ctx.project({ direct: true, retries: 0, apiKey: `${CANARY.apiKey}-wrong` });
      for (const call of [() => wrongKey.listIndicators(), () => wrongKey.getIndicator('api-target')]) {
        const r = await ctx.settle(call());
        assert.ok(isOkerrError(r.error), String(r.value));
      }
      srv.addFault({ path: '/api/', kind: 'status', status: 403, body: `bad key ${CANARY.apiKey} / ${formEncoded(CANARY.apiKey)}`, times: 2 });
      for (const call of [() => p.listIndicators(), () => p.setArgs('api-target', { desc: 'x' })]) {
        const r = await ctx.settle(call());
        assert.ok(isOkerrError(r.error), String(r.value));
      }
    });

    it('projects from config text and from the environment', async () => {
      const text = `OKERR_TEXTID=${TEXTID}\nOKERR_SECRET='${CANARY.secret}'\nOKERR_API_KEY=${CANARY.apiKey}\nOKERR_URL=${srv.url}\nOKERR_DIRECT=1\n`;
      const fromText = OkerrProject.fromConfig(text, { logger: ctx.logger, logLevel: 'debug', timeoutMs: 250 });
      const fromEnv = OkerrProject.fromEnv(
        { OKERR_TEXTID: TEXTID, OKERR_SECRET: CANARY.secret, OKERR_API_KEY: CANARY.apiKey, OKERR_URL: srv.url, OKERR_DIRECT: '1' },
        { logger: ctx.logger, logLevel: 'debug' },
      );
      for (const p of [fromText, fromEnv]) {
        ctx.seen.push(p);
        const r = await ctx.settle(ctx.indicator(p, 'from-config').update(p === fromText ? 'OK' : 'ERR'));
        assert.equal(r.error, undefined, r.error?.message);
      }
      const bad = await ctx.attempt(() => OkerrProject.fromConfig(`${text}OKERR_URL=ftp://${CANARY.secret}/\n`));
      assert.ok(isOkerrError(bad.error, 'INVALID_ARGUMENT'));
    });

    it('dry run and throttled updates at debug level', async () => {
      const p = ctx.project({ direct: true, dryRun: true });
      await ctx.settle(ctx.indicator(p, 'dry').update('OK'));
      const q = ctx.project({ direct: true });
      const ind = ctx.indicator(q, 'throttled');
      await ctx.settle(ind.update('OK'));
      await ctx.settle(ind.update('OK'));
    });

    it('every public method called with junk arguments', async () => {
      const p = ctx.project({ direct: true, retries: 0 });
      const ind = ctx.indicator(p, 'junk');
      const junk = [undefined, null, '', 'x', 0, NaN, {}, [], CANARY_WORD.toLowerCase(), () => 1];
      for (const [target, proto] of [[p, OkerrProject.prototype], [ind, OkerrIndicator.prototype]]) {
        for (const name of Object.getOwnPropertyNames(proto)) {
          const d = Object.getOwnPropertyDescriptor(proto, name);
          // free and wasm-bindgen's __destroy_into_raw end the object's life on purpose.
          if (typeof d.value !== 'function' || name === 'constructor' || name === 'free' || name.startsWith('__')) continue;
          for (const a of junk) {
            for (const b of junk) await ctx.attempt(() => d.value.call(target, a, b));
          }
        }
      }
      const r = await ctx.settle(ctx.indicator(p, 'after-junk').update('OK'));
      assert.equal(r.error, undefined, r.error?.message);
    });
  });

  describe('the captured output', () => {
    it('the canaries were really used: the server received each of them', () => {
      const wire = srv.received.map((r) => `${r.body} ${JSON.stringify(r.headers)}`).join('\n');
      assert.ok(wire.includes(formEncoded(CANARY.secret)), 'project secret');
      assert.ok(wire.includes(formEncoded(CANARY.indicatorSecret)), 'indicator secret');
      assert.ok(wire.includes(CANARY.apiKey), 'API key');
    });

    it('the check would see a leak (control)', () => {
      const leak = textForms(new Error(`x ${formEncoded(CANARY.secret)}`)).join('\n');
      assert.ok(leak.includes(CANARY_WORD));
    });

    it('no log line, console write, message, stack, body, toString, JSON or inspect output holds a canary', () => {
      const texts = [
        ...ctx.lines.map((l) => l.message),
        ...consoleLines,
        ...ctx.seen.flatMap((x) => textForms(x)),
      ];
      assert.ok(ctx.lines.length > 100, `only ${ctx.lines.length} log lines were captured`);
      assert.ok(ctx.lines.some((l) => l.level === 'debug'), 'debug lines were captured');
      const leaks = texts.filter((t) => t.includes(CANARY_WORD));
      assert.deepEqual(leaks.slice(0, 5), [], `${leaks.length} of ${texts.length} texts hold a canary`);
      console.log = saved.log;
      console.log(`canaries: checked ${ctx.lines.length} log lines, ${consoleLines.length} console writes, ${ctx.seen.length} objects (${texts.length} texts)`);
    });
  });
});
