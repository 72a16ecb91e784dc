// The package as a CommonJS user requires it: the same instance as import().
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { OkerrProject, OkerrError } = require('okerrupdate');

test('require and import share one instance', async () => {
  const esm = await import('okerrupdate');
  assert.equal(esm.OkerrProject, OkerrProject);
  assert.equal(esm.OkerrError, OkerrError);
});

test('an update from CommonJS reaches the server', async () => {
  const { startServer, fastOptions, updates } = await import('./helpers.mjs');
  const server = await startServer();
  try {
    const p = new OkerrProject(fastOptions(server, { direct: true }));
    const r = await p.indicator('cjs').update('OK', 'from require');
    assert.equal(r.sent, true);
    assert.equal(updates(server)[0].form.details, 'from require');
    const e = await p.indicator('cjs').update('NOPE').catch((err) => err);
    assert.ok(e instanceof OkerrError && e instanceof Error);
  } finally {
    await server.close();
  }
});
