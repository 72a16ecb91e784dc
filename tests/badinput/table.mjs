// The bad-input table: every public function and option fed wrong types, absent values, empty
// and 1 MB strings, control characters, NaN/Infinity, objects, malformed method lines, bad tags,
// out-of-range timeouts, invalid URLs, unknown option names and hostile objects (throwing and
// revoked Proxies). Every case must fail with OkerrError INVALID_ARGUMENT before anything is sent.
import assert from 'node:assert/strict';
import { OkerrProject } from 'okerrupdate';
import { acceptedOf, isOkerrError } from '../faults/harness.mjs';

const MB = 'x'.repeat(1_000_000);
const MB_NAME = 'n'.repeat(1_000_000);
const throwingKeys = new Proxy({}, { ownKeys: () => { throw new Error('ownKeys trap'); } });
const throwingGetter = { get method() { throw new Error('getter'); } };
const throwingArray = new Proxy(['a'], { get: (t, k) => { if (k === 'length') throw new Error('length trap'); return t[k]; } });
const revoked = (() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })();
const revokedArray = (() => { const r = Proxy.revocable([], {}); r.revoke(); return r.proxy; })();

/**
 * `env`: { base (options for a working project), p (a project), hb, num, str (its heartbeat,
 * numerical and string indicators) }. Each `call` throws or returns a promise that rejects.
 */
export const badInputCases = [
  // new OkerrProject(textid, secret, options) and new OkerrProject(options)
  ['constructor: no arguments', () => new OkerrProject()],
  ['constructor: textid undefined', () => new OkerrProject(undefined, 's')],
  ['constructor: textid null', () => new OkerrProject(null)],
  ['constructor: textid empty', () => new OkerrProject('')],
  ['constructor: textid blank', () => new OkerrProject('  \t')],
  ['constructor: textid number', () => new OkerrProject(42)],
  ['constructor: textid NaN', () => new OkerrProject(NaN)],
  ['constructor: textid symbol', () => new OkerrProject(Symbol('t'))],
  ['constructor: textid with a control character', () => new OkerrProject('a\nb')],
  ['constructor: textid with a slash', () => new OkerrProject('a/b')],
  ['constructor: textid ..', () => new OkerrProject('..')],
  ['constructor: textid %2e', () => new OkerrProject('%2e')],
  ['constructor: apiKey above U+00FF', (e) => new OkerrProject({ ...e.base, apiKey: 'key\u20ac' })],
  ['constructor: textid of 1 MB', () => new OkerrProject(MB)],
  ['constructor: secret a number', (e) => new OkerrProject('t', 12345, e.base)],
  ['constructor: secret an object', (e) => new OkerrProject('t', { secret: 's' }, e.base)],
  ['constructor: secret with NUL', (e) => new OkerrProject({ ...e.base, secret: 'a\u0000b' })],
  ['constructor: secret of 1 MB', (e) => new OkerrProject({ ...e.base, secret: MB })],
  ['constructor: options a string', () => new OkerrProject('t', 's', 'direct')],
  ['constructor: options an array', () => new OkerrProject('t', 's', ['direct'])],
  ['constructor: both forms at once', (e) => new OkerrProject(e.base, 's')],
  ['constructor: unknown option name', (e) => new OkerrProject({ ...e.base, timeout: 5 })],
  ['constructor: unknown option name (case)', (e) => new OkerrProject({ ...e.base, TextID: 'x' })],
  ['option timeoutMs negative', (e) => new OkerrProject({ ...e.base, timeoutMs: -1 })],
  ['option timeoutMs zero', (e) => new OkerrProject({ ...e.base, timeoutMs: 0 })],
  ['option timeoutMs NaN', (e) => new OkerrProject({ ...e.base, timeoutMs: NaN })],
  ['option timeoutMs Infinity', (e) => new OkerrProject({ ...e.base, timeoutMs: Infinity })],
  ['option timeoutMs huge', (e) => new OkerrProject({ ...e.base, timeoutMs: 1e12 })],
  ['option timeoutMs a string', (e) => new OkerrProject({ ...e.base, timeoutMs: '5000' })],
  ['option timeoutMs an object', (e) => new OkerrProject({ ...e.base, timeoutMs: { ms: 5 } })],
  ['option retries fractional', (e) => new OkerrProject({ ...e.base, retries: 2.5 })],
  ['option retries negative', (e) => new OkerrProject({ ...e.base, retries: -1 })],
  ['option retries huge', (e) => new OkerrProject({ ...e.base, retries: 1e9 })],
  ['option backoffMs negative', (e) => new OkerrProject({ ...e.base, backoffMs: -5 })],
  ['option backoffMs -Infinity', (e) => new OkerrProject({ ...e.base, backoffMs: -Infinity })],
  ['option throttleSeconds Infinity', (e) => new OkerrProject({ ...e.base, throttleSeconds: Infinity })],
  ['option throttleSeconds a bigint', (e) => new OkerrProject({ ...e.base, throttleSeconds: 10n })],
  ['option url not a URL', (e) => new OkerrProject({ ...e.base, url: 'not a url' })],
  ['option url ftp', (e) => new OkerrProject({ ...e.base, url: 'ftp://okerr.example/' })],
  ['option url without host', (e) => new OkerrProject({ ...e.base, url: 'http://' })],
  ['option url with a query', (e) => new OkerrProject({ ...e.base, url: 'http://127.0.0.1:1/?a=1' })],
  ['option url javascript:', (e) => new OkerrProject({ ...e.base, url: 'javascript:alert(1)' })],
  ['option url with a bad port', (e) => new OkerrProject({ ...e.base, url: 'http://127.0.0.1:99999/' })],
  ['option url with a newline', (e) => new OkerrProject({ ...e.base, url: 'http://127.0.0.1/\nx' })],
  ['option url a number', (e) => new OkerrProject({ ...e.base, url: 8080 })],
  ['option url empty', (e) => new OkerrProject({ ...e.base, url: '' })],
  ['option direct a string', (e) => new OkerrProject({ ...e.base, direct: 'yes' })],
  ['option dryRun a number', (e) => new OkerrProject({ ...e.base, dryRun: 1 })],
  ['option logLevel unknown', (e) => new OkerrProject({ ...e.base, logLevel: 'loud' })],
  ['option mode unknown', (e) => new OkerrProject({ ...e.base, mode: 'fast' })],
  ['option logger an empty object', (e) => new OkerrProject({ ...e.base, logger: {} })],
  ['option logger a function', (e) => new OkerrProject({ ...e.base, logger: console.log })],
  ['option fetch a string', (e) => new OkerrProject({ ...e.base, fetch: 'fetch' })],
  ['option throttleStore a URL', (e) => new OkerrProject({ ...e.base, throttleStore: 'redis://localhost:6379' })],
  ['option throttleStore without release', (e) => new OkerrProject({ ...e.base, throttleStore: { claim: async () => true } })],
  ['option throttleStore with claim not a function', (e) => new OkerrProject({ ...e.base, throttleStore: { claim: true, release() {} } })],
  ['option x not an object', (e) => new OkerrProject({ ...e.base, x: 'smtp=1' })],
  ['option x with a bad field name', (e) => new OkerrProject({ ...e.base, x: { 'a-b': '1' } })],
  ['option x with an object value', (e) => new OkerrProject({ ...e.base, x: { a: {} } })],
  ['option x with NaN', (e) => new OkerrProject({ ...e.base, x: { a: NaN } })],
  ['option prefix with a control character', (e) => new OkerrProject({ ...e.base, prefix: 'h\u0007' })],
  ['option apiKey a number', (e) => new OkerrProject({ ...e.base, apiKey: 123 })],
  ['options a Proxy whose ownKeys throws', () => new OkerrProject(throwingKeys)],
  ['options a revoked Proxy', () => new OkerrProject('t', 's', revoked)],
  ['option x a Proxy whose ownKeys throws', (e) => new OkerrProject({ ...e.base, x: throwingKeys })],
  // OkerrProject.fromEnv / fromConfig
  ['fromEnv: undefined', () => OkerrProject.fromEnv(undefined)],
  ['fromEnv: a string', () => OkerrProject.fromEnv('OKERR_TEXTID=t')],
  ['fromEnv: no textid', () => OkerrProject.fromEnv({ HOME: '/root' })],
  ['fromEnv: OKERR_DIRECT not a flag', () => OkerrProject.fromEnv({ OKERR_TEXTID: 't', OKERR_DIRECT: 'maybe' })],
  ['fromEnv: OKERR_URL invalid', () => OkerrProject.fromEnv({ OKERR_TEXTID: 't', OKERR_URL: 'nope' })],
  ['fromEnv: a Proxy whose ownKeys throws', () => OkerrProject.fromEnv(throwingKeys)],
  ['fromEnv: bad overrides', () => OkerrProject.fromEnv({ OKERR_TEXTID: 't' }, { retries: 'many' })],
  ['fromConfig: a number', () => OkerrProject.fromConfig(42)],
  ['fromConfig: empty text', () => OkerrProject.fromConfig('')],
  ['fromConfig: 1 MB of junk', () => OkerrProject.fromConfig(MB)],
  ['fromConfig: bad URL', () => OkerrProject.fromConfig('OKERR_TEXTID=t\nOKERR_URL=ftp://x/\n')],
  ['fromConfig: secret with a control character', () => OkerrProject.fromConfig('textid = t\nsecret = a\u0001b\n')],
  // project.indicator(name, options)
  ['indicator: no name', (e) => e.p.indicator()],
  ['indicator: name null', (e) => e.p.indicator(null)],
  ['indicator: name empty', (e) => e.p.indicator('')],
  ['indicator: name blank', (e) => e.p.indicator(' \u3000 ')],
  ['indicator: name a number', (e) => e.p.indicator(42)],
  ['indicator: name an object', (e) => e.p.indicator({ name: 'a' })],
  ['indicator: name with a control character', (e) => e.p.indicator('a\u001bb')],
  ['indicator: name with DEL', (e) => e.p.indicator('a\u007fb')],
  ['indicator: name of 201 characters', (e) => e.p.indicator('n'.repeat(201))],
  ['indicator: name of 1 MB', (e) => e.p.indicator(MB_NAME)],
  ['indicator: name all digits', (e) => e.p.indicator('123')],
  ['indicator: name a signed number with spaces', (e) => e.p.indicator(' -7 ')],
  ['indicator: name in Arabic-Indic digits', (e) => e.p.indicator('١٢٣')],
  ['indicator: name in full-width digits', (e) => e.p.indicator('\u3000１２')],
  ['indicator: options a string', (e) => e.p.indicator('a', 'numerical')],
  ['indicator: unknown option', (e) => e.p.indicator('a', { colour: 'red' })],
  ['indicator: options a Proxy whose ownKeys throws', (e) => e.p.indicator('a', throwingKeys)],
  ['indicator: an option getter that throws', (e) => e.p.indicator('a', throwingGetter)],
  ['indicator: options a revoked Proxy', (e) => e.p.indicator('a', revoked)],
  ['method: a number', (e) => e.p.indicator('a', { method: 42 })],
  ['method: empty', (e) => e.p.indicator('a', { method: '' })],
  ['method: unknown codename', (e) => e.p.indicator('a', { method: 'bogus' })],
  ['method: codename with a leading space', (e) => e.p.indicator('a', { method: ' numerical' })],
  ['method: codename in capitals', (e) => e.p.indicator('a', { method: 'Numerical' })],
  ['method: a part without =', (e) => e.p.indicator('a', { method: 'numerical|maxlim' })],
  ['method: a part with two =', (e) => e.p.indicator('a', { method: 'numerical|a=b=c' })],
  ['method: no codename', (e) => e.p.indicator('a', { method: '|maxlim=3' })],
  ['method: a part of spaces (the server answers bad cm line)', (e) => e.p.indicator('a', { method: 'numerical| |maxlim=3' })],
  ['method: a space where a | belongs (an unknown codename)', (e) => e.p.indicator('a', { method: 'numerical maxlim=3' })],
  ['secret: option against the method line secret=', (e) => e.p.indicator('a', { method: 'heartbeat|secret=m', secret: 'other' })],
  ['method: a newline', (e) => e.p.indicator('a', { method: 'numerical|maxlim=3\n' })],
  ['method: 1 MB', (e) => e.p.indicator('a', { method: `numerical|x=${MB}` })],
  ['tags: starting with a dash (the server drops it)', (e) => e.p.indicator('a', { tags: ['-ab'] })],
  ['tags: numbers in the array', (e) => e.p.indicator('a', { tags: [1, 2] })],
  ['tags: one starting with a space inside an array (the server drops it)', (e) => e.p.indicator('a', { tags: ['ok', ' bad'] })],
  ['tags: unicode', (e) => e.p.indicator('a', { tags: ['é'] })],
  ['tags: a number', (e) => e.p.indicator('a', { tags: 5 })],
  ['tags: a Proxy array whose length throws', (e) => e.p.indicator('a', { tags: throwingArray })],
  ['tags: a revoked Proxy array', (e) => e.p.indicator('a', { tags: revokedArray })],
  ['desc: 1 MB', (e) => e.p.indicator('a', { desc: MB })],
  ['policy: a boolean', (e) => e.p.indicator('a', { policy: true })],
  ['secret (indicator): an object', (e) => e.p.indicator('a', { secret: {} })],
  ['keypath: a newline', (e) => e.p.indicator('a', { keypath: 'a\nb' })],
  ['error: a number', (e) => e.p.indicator('a', { error: 1 })],
  // indicator.update(status, details)
  ['update: no status', (e) => e.hb.update()],
  ['update: status null', (e) => e.hb.update(null)],
  ['update: status an object', (e) => e.hb.update({ status: 'OK' })],
  ['update: status an array', (e) => e.hb.update(['OK'])],
  ['update: status true', (e) => e.hb.update(true)],
  ['update: status a bigint', (e) => e.num.update(10n)],
  ['update: status a symbol', (e) => e.str.update(Symbol('OK'))],
  ['update: status a function', (e) => e.str.update(() => 'OK')],
  ['update: heartbeat status not OK/ERR', (e) => e.hb.update('GOOD')],
  ['update: heartbeat status with a space', (e) => e.hb.update('OK ')],
  ['update: numerical status NaN', (e) => e.num.update(NaN)],
  ['update: numerical status Infinity', (e) => e.num.update(Infinity)],
  ['update: numerical status -Infinity', (e) => e.num.update(-Infinity)],
  ['update: numerical status text', (e) => e.num.update('hot')],
  ['update: numerical status hex', (e) => e.num.update('0x10')],
  ['update: numerical status empty', (e) => e.num.update('')],
  ['update: string status of 1 MB', (e) => e.str.update(MB)],
  ['update: details an object', (e) => e.hb.update('OK', { text: 'd' })],
  ['update: details NaN', (e) => e.hb.update('OK', NaN)],
  ['update: details of 1 MB', (e) => e.hb.update('OK', MB)],
  // logging
  ['setLogLevel: unknown', (e) => e.p.setLogLevel('loud')],
  ['setLogLevel: a number', (e) => e.p.setLogLevel(3)],
  ['setLogLevel: undefined', (e) => e.p.setLogLevel()],
  ['setLogger: null', (e) => e.p.setLogger(null)],
  ['setLogger: missing methods', (e) => e.p.setLogger({ debug() {} })],
  // the project API
  ['getIndicator: no name', (e) => e.p.getIndicator()],
  ['getIndicator: name a number', (e) => e.p.getIndicator(42)],
  ['getArg: no argument name', (e) => e.p.getArg('a')],
  ['setArgs: fields a string', (e) => e.p.setArgs('a', 'desc=x')],
  ['setArgs: fields a Proxy whose ownKeys throws', (e) => e.p.setArgs('a', throwingKeys)],
  ['createIndicator: name an object', (e) => e.p.createIndicator({})],
  ['deleteIndicator: name undefined', (e) => e.p.deleteIndicator()],
  ['updateLog: name null', (e) => e.p.updateLog(null)],
  ['listIndicators: prefix a number', (e) => e.p.listIndicators(5)],
  ['filter: a term that is an object', (e) => e.p.filter({ a: 1 })],
  ['tagFilter: a term that is a number', (e) => e.p.tagFilter(1)],
  ['statusPage: addr an object', (e) => e.p.statusPage({})],
  ['deleteIndicator: a name climbing out of its path', (e) => e.p.deleteIndicator('user1:/../victim')],
  ['setArgs: a name climbing to api/update', (e) => e.p.setArgs('x/../../../update', { retest: 1 })],
  ['getArg: argument ..', (e) => e.p.getArg('a', '..')],
  ['listIndicators: prefix with %2e%2e', (e) => e.p.listIndicators('a/%2e%2e')],
  ['statusPage: addr climbing to the API', (e) => e.p.statusPage('../../api/indicators/T')],
  ['filter: a term .', (e) => e.p.filter('OK', '.')],
  ['indicator: a name with a line separator', (e) => e.p.indicator('a\u2028b')],
  ['indicator: a name with a bidi override', (e) => e.p.indicator('a\u202eb')],
].map(([name, call]) => ({ name, call }));

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
