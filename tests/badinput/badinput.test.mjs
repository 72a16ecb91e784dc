// The bad-input table through the installed package: each case is refused with an OkerrError
// (INVALID_ARGUMENT) before anything reaches the server, and the same project keeps working,
// after each case and after the whole table has run many times over (a JS exception through
// wasm frames, or a wasm trap, would show up there).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { context, isOkerrError, startServer } from '../faults/harness.mjs';
import { badInputCases, refusedBeforeSending, stillWorks, tableEnv } from './table.mjs';

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
