// Fault injection through the installed package: every scenario settles with the right
// OkerrError code (or is delivered exactly once) in bounded time, and the project keeps working.
import { after, before, describe, it } from 'node:test';
import { context, startServer } from './harness.mjs';
import { faultScenarios, runScenario } from './scenarios.mjs';

describe('fault injection', () => {
  let srv;
  let ctx;
  before(async () => {
    srv = await startServer();
    ctx = context(srv);
  });
  after(() => srv.close());

  for (const s of faultScenarios) {
    it(s.name, () => runScenario(s, ctx));
  }
});
