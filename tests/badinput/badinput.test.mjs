// The bad-input table through the installed package: each case is refused with an OkerrError
// (INVALID_ARGUMENT) before anything reaches the server, and the same project keeps working,
// after each case and after the whole table has run many times over (a JS exception through
// wasm frames, or a wasm trap, would show up there).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { acceptedOf, context, isOkerrError, startServer } from '../faults/harness.mjs';
import { badInputCases } from './table.mjs';

export async function tableEnv(ctx) {
  const base = ctx.options({ direct: true, throttleSeconds: 0 });
  const p = ctx.project(base);
  return {
    base,
    p,
    hb: ctx.indicator(p, 'hb'),
    num: ctx.indicator(p, 'num', { method: 'numerical|maxlim=100' }),
    str: ctx.indicator(p, 'str', { method: 'string' }),
  };
}

/** Run one case; returns the error, having checked it and that nothing was sent. */
export async function refusedBeforeSending(ctx, env, c) {
  const before = ctx.srv.received.length;
  const r = await ctx.attempt(() => c.call(env));
  assert.ok(isOkerrError(r.error, 'INVALID_ARGUMENT'), `${c.name}: expected OkerrError INVALID_ARGUMENT, got ${r.error?.constructor?.name} ${r.error?.code} ${r.error?.message ?? r.value}`);
  assert.ok(r.error.message.length > 10 && r.error.message.length < 400, `${c.name}: message of ${r.error.message.length} chars`);
  assert.equal(ctx.srv.received.length, before, `${c.name}: something was sent`);
  return r.error;
}

let alive = 0;
/** The table's project still sends and the server stores it. */
export async function stillWorks(ctx, env) {
  const name = 'alive';
  const before = acceptedOf(ctx.srv, name);
  const r = await ctx.settle(env.p.indicator(name).update(++alive % 2 ? 'OK' : 'ERR'));
  assert.equal(r.error, undefined, `the project stopped working: ${r.error?.message}`);
  assert.equal(acceptedOf(ctx.srv, name), before + 1);
}

describe(`bad input (${badInputCases.length} cases)`, () => {
  let srv;
  let ctx;
  let env;
  before(async () => {
    srv = await startServer();
    ctx = context(srv);
    env = await tableEnv(ctx);
  });
  after(() => srv.close());

  it('has at least 40 cases', () => assert.ok(badInputCases.length >= 40));

  for (const c of badInputCases) {
    it(c.name, async () => {
      await refusedBeforeSending(ctx, env, c);
      await stillWorks(ctx, env);
    });
  }

  it('the whole table 100 times over: still refused the same way, the instance still alive', async () => {
    for (let round = 0; round < 100; round++) {
      for (const c of badInputCases) {
        const r = await ctx.attempt(() => c.call(env));
        if (!isOkerrError(r.error, 'INVALID_ARGUMENT')) assert.fail(`round ${round}, ${c.name}: ${r.error?.message}`);
      }
      ctx.seen.length = 0;
    }
    await stillWorks(ctx, env);
  });
});
