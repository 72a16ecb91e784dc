// Misuse of the classes: a method called on an object of the other class, or on a freed object,
// is an OkerrError before it reaches the wasm (wasm-bindgen alone would read the wrong memory,
// and could loop for ever), and the wasm instance keeps working for every later call.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { OkerrProject, OkerrIndicator, OkerrError } from 'okerrupdate';
import { startServer, fastOptions, updates } from './helpers.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.close());
beforeEach(() => server.reset());

// The methods each class declares as returning a Promise, read from the package's own types.
const pkgDir = dirname(createRequire(import.meta.url).resolve('okerrupdate/package.json'));
const types = readFileSync(join(pkgDir, 'okerrupdate_types.d.ts'), 'utf8');
function asyncMethods(cls) {
  const body = types.slice(types.indexOf(`export class ${cls.name} {`)).split('\n}')[0];
  const methods = [...body.matchAll(/^ {4}(\w+)\(.*\): Promise</gm)].map((m) => m[1]);
  // Methods the package adds in JavaScript (run) are declared in an interface of the same name.
  const merged = types.slice(types.indexOf(`export interface ${cls.name} {`)).split('\n}')[0];
  methods.push(...[...merged.matchAll(/^ +(\w+)(?:<[^>]*>)?\(.*\): Promise</gm)].map((m) => m[1]));
  return new Set(methods);
}

/** Every method and getter a user could call on `this`, with how to call it. */
function members(cls) {
  const out = [];
  for (const key of Reflect.ownKeys(cls.prototype)) {
    if (key === 'constructor' || key === '__destroy_into_raw') continue;
    const d = Object.getOwnPropertyDescriptor(cls.prototype, key);
    if (typeof d.value === 'function') out.push({ key, call: (self) => d.value.call(self, 'x', 'y') });
    else if (d.get) out.push({ key, call: (self) => d.get.call(self) });
  }
  return out;
}

/** Calls and settles: `{ sync }` for a throw, `{ rejected }` for a rejection, `{ value }` otherwise. */
async function outcome(call) {
  let r;
  try {
    r = call();
  } catch (e) {
    return { sync: e };
  }
  if (!(r instanceof Promise)) return { value: r };
  return r.then((value) => ({ value }), (e) => ({ rejected: e }));
}

/** Calls: `{ sync }` for a throw, `{ value }` otherwise. */
function outcomeSync(call) {
  try {
    return { value: call() };
  } catch (e) {
    return { sync: e };
  }
}

function assertRefused(o, code, expectAsync, label) {
  const e = expectAsync ? o.rejected : o.sync;
  assert.ok(e instanceof OkerrError, `${label}: expected ${expectAsync ? 'a rejection' : 'a throw'}, got ${inspect(o)}`);
  assert.equal(e.code, code, `${label}: ${e.message}`);
  return e;
}

describe('misuse of the classes', () => {
  test('the types name the Promise-returning methods (the tests below expect a rejection from exactly those)', () => {
    assert.deepEqual(asyncMethods(OkerrIndicator), new Set(['update', 'run']));
    assert.equal(asyncMethods(OkerrProject).size, 13);
    assert.ok(asyncMethods(OkerrProject).has('flush'));
  });

  test('a method of one class called on the other class, or on a plain object: INVALID_ARGUMENT', async () => {
    const project = new OkerrProject(fastOptions(server, { direct: true, apiKey: 'misuse-api-key' }));
    const indicator = project.indicator('misuse');
    const pairs = [
      [OkerrProject, indicator],
      [OkerrIndicator, project],
      [OkerrProject, {}],
      [OkerrIndicator, null],
    ];
    for (const [cls, other] of pairs) {
      const promised = asyncMethods(cls);
      for (const { key, call } of members(cls)) {
        const label = `${cls.name}.${String(key)} on ${inspect(other)}`;
        const e = assertRefused(await outcome(() => call(other)), 'INVALID_ARGUMENT', promised.has(key), label);
        assert.match(e.message, new RegExp(`not on an ${cls.name}$`));
      }
    }
    assert.equal(server.received.length, 0, 'nothing was sent');
    // The wasm instance and both objects still work.
    assert.deepEqual({ ...(await indicator.update('OK')) }, { sent: true, reason: 'sent' });
    assert.equal(updates(server).length, 1);
  });

  test('a freed object: FREED for every call; free() again does nothing; it still prints', async () => {
    for (const cls of [OkerrProject, OkerrIndicator]) {
      const project = new OkerrProject(fastOptions(server, { direct: true, apiKey: 'misuse-api-key' }));
      const obj = cls === OkerrProject ? project : project.indicator('freed');
      obj.free();
      const promised = asyncMethods(cls);
      for (const { key, call } of members(cls)) {
        if (key === 'free' || key === Symbol.dispose || key === Symbol.for('nodejs.dispose')) {
          assert.equal(call(obj), undefined, `${cls.name}.${String(key)} twice`);
        } else if (key === 'toString') {
          assert.equal(call(obj), `${cls.name} (freed)`);
        } else if (key === 'toJSON') {
          assert.deepEqual(call(obj), { freed: true });
        } else {
          const e = assertRefused(await outcome(() => call(obj)), 'FREED', promised.has(key), `${cls.name}.${String(key)}`);
          assert.match(e.message, /was freed/);
        }
      }
      assert.equal(String(obj), `${cls.name} (freed)`);
      assert.equal(JSON.stringify(obj), '{"freed":true}');
      assert.match(inspect(obj), new RegExp(cls.name));
    }
    assert.equal(server.received.length, 0, 'nothing was sent');
  });

  test('every object the package makes is usable: new, fromEnv, fromConfig, indicator(), obj.constructor, a subclass', async () => {
    const options = fastOptions(server, { direct: true });
    class MyProject extends OkerrProject {}
    const made = [
      new OkerrProject(options),
      OkerrProject.fromEnv({ OKERR_TEXTID: 'made', OKERR_URL: options.url, OKERR_DIRECT: '1' }, options),
      OkerrProject.fromConfig('OKERR_TEXTID=made\n', options),
      new MyProject(options),
    ];
    assert.equal(OkerrProject.prototype.constructor, OkerrProject, 'obj.constructor is the exported class');
    made.push(new made[0].constructor(options));
    made.forEach((project, k) => {
      assert.ok(project instanceof OkerrProject, `project ${k}`);
      const indicator = project.indicator(`made:${k}`);
      assert.ok(indicator instanceof OkerrIndicator, `indicator ${k}`);
      assert.equal(indicator.name, `made:${k}`);
    });
    assert.ok(made[3] instanceof MyProject);
    const results = await Promise.all(made.map((p, k) => p.indicator(`made:${k}`).update('OK')));
    for (const r of results) assert.deepEqual({ ...r }, { sent: true, reason: 'sent' });
    assert.equal(updates(server).length, made.length);
  });

  test('an object that only inherits a prototype (Object.create, a copy, a Proxy) is refused, not passed to the wasm', async () => {
    const project = new OkerrProject(fastOptions(server, { direct: true }));
    const indicator = project.indicator('real');
    const fakes = [
      [OkerrProject, Object.create(OkerrProject.prototype)],
      [OkerrIndicator, Object.create(OkerrIndicator.prototype)],
      [OkerrProject, Object.assign(Object.create(OkerrProject.prototype), project)],
      [OkerrIndicator, new Proxy(indicator, {})],
    ];
    for (const [cls, fake] of fakes) {
      const promised = asyncMethods(cls);
      for (const { key, call } of members(cls)) {
        const label = `${cls.name}.${String(key)} on a fake`;
        const e = assertRefused(await outcome(() => call(fake)), 'INVALID_ARGUMENT', promised.has(key), label);
        assert.match(e.message, /only inherits its prototype/, label);
      }
    }
    assert.equal(server.received.length, 0, 'nothing was sent');
    assert.deepEqual({ ...(await indicator.update('OK')) }, { sent: true, reason: 'sent' });
  });

  test('OkerrIndicator has no public constructor: project.indicator(name) makes one', () => {
    const e = assertRefused(outcomeSync(() => new OkerrIndicator()), 'INVALID_ARGUMENT', false, 'new OkerrIndicator()');
    assert.match(e.message, /project\.indicator\(name\)/);
  });

  test('an indicator outlives the project object it came from', async () => {
    const project = new OkerrProject(fastOptions(server, { direct: true }));
    const indicator = project.indicator('outlives');
    project.free();
    assert.deepEqual({ ...(await indicator.update('OK')) }, { sent: true, reason: 'sent' });
  });

  test('the guarded methods keep the names and lengths of the generated ones', () => {
    assert.equal(OkerrIndicator.prototype.update.name, 'update');
    assert.equal(OkerrIndicator.prototype.update.length, 2);
    assert.equal(OkerrProject.prototype.indicator.name, 'indicator');
    // wasm-bindgen's `[Symbol.dispose]` is `free` itself, and stays so.
    for (const cls of [OkerrProject, OkerrIndicator]) {
      const dispose = Object.getOwnPropertySymbols(cls.prototype).find((k) => /dispose/.test(k.description));
      if (dispose) assert.equal(cls.prototype[dispose], cls.prototype.free);
    }
  });
});
