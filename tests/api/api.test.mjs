// The project API and status pages of the installed package, against local okerr servers:
// every method, the failures a user meets (no key, wrong key, unknown project or indicator,
// bad arguments), path encoding, retries, and a project that lives on another node.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { OkerrProject, OkerrError } from 'okerrupdate';
import { startOkerrServer } from '../server/okerr-server.mjs';

const KEY = 'API-KEY-CANARY';
const SECRET = 'SECRET-CANARY';

const project = (textid = 'proj', extra = {}) => ({
  textid,
  policies: { Default: { secret: SECRET } },
  apiKey: KEY,
  indicators: [
    { name: 'web:alive', status: 'OK', tags: ['web'] },
    { name: 'db:alive', status: 'ERR', tags: ['db'], silent: true },
    { name: 'df-/var lib', method: 'numerical|maxlim=90', status: 'OK', log: [{ t: 1700000000, y: '42' }, { t: 1700000300, y: ' 43.5 ' }] },
    { name: 'www:sslcert', method: 'sslcert|host=okerr.com|days=20', status: 'OK', tags: ['web'] },
  ],
  statusPages: {
    index: { title: 'Public page', public: true, chapters: { Web: ['web:alive', { name: 'db:alive', title: 'Database' }] } },
    ops: { title: 'Ops', public: true, chapters: {} },
    internal: { title: 'Internal', public: false, chapters: {} },
  },
  ...extra,
});

let main; // hosts 'proj', and 'moved' whose node is `other`
let other; // the node 'moved' lives on
before(async () => {
  other = await startOkerrServer({ projects: [project('moved')] });
  main = await startOkerrServer({ projects: [project('proj'), project('moved', { node: other.url })] });
});
after(async () => {
  await main.close();
  await other.close();
});
beforeEach(() => {
  main.reset();
  other.reset();
});

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const op = (extra = {}) =>
  new OkerrProject('proj', SECRET, { url: main.url, apiKey: KEY, backoffMs: 1, logger: quiet, ...extra });
const apiRequests = (srv) => srv.received.filter((r) => r.kind === 'api' || r.kind === 'jstatus');

async function rejects(promise, code, status) {
  const e = await promise.then(() => assert.fail('expected a rejection'), (err) => err);
  assert.ok(e instanceof OkerrError, `not an OkerrError: ${e}`);
  assert.equal(e.code, code, e.message);
  if (status !== undefined) assert.equal(e.status, status);
  assert.ok(!String(e.message).includes('CANARY') && !String(e.body ?? '').includes('CANARY'), e.message);
  return e;
}

describe('reading', () => {
  test('listIndicators, with and without a prefix (which may hold "/")', async () => {
    const p = op();
    assert.deepEqual(await p.listIndicators(), ['web:alive', 'db:alive', 'df-/var lib', 'www:sslcert']);
    assert.deepEqual(await p.listIndicators('df-/'), ['df-/var lib']);
    assert.deepEqual(await p.listIndicators('nothing'), []);
    const [dir] = main.received.filter((r) => r.kind === 'director');
    assert.equal(dir.headers['x-api-key'], undefined, 'the director never sees the key');
    const urls = apiRequests(main).map((r) => r.url);
    assert.deepEqual(urls, ['/api/indicators/proj', '/api/indicators/proj/df-/', '/api/indicators/proj/nothing']);
    assert.ok(apiRequests(main).every((r) => r.headers['x-api-key'] === KEY));
  });

  test('getIndicator: the server JSON as an object; names are encoded but keep "/"', async () => {
    const ind = await op().getIndicator('df-/var lib');
    assert.equal(ind.name, 'df-/var lib');
    assert.equal(ind.checkmethod, 'numerical');
    assert.equal(ind.args.maxlim, '90');
    assert.equal(ind.policyname, 'Default');
    assert.equal(apiRequests(main)[0].url, '/api/indicator/proj/df-/var%20lib');
  });

  test('getIndicator uses the prefix and the name repair of updates', async () => {
    const p = op({ prefix: 'web' });
    await p.indicator(':up<1>').update('OK');
    assert.equal(main.indicator('proj', 'web:up_1_').status, 'OK');
    assert.equal((await p.getIndicator(':up<1>')).name, 'web:up_1_');
  });

  test('getArg: method arguments and the special ones', async () => {
    const p = op();
    assert.equal(await p.getArg('df-/var lib', 'maxlim'), '90');
    assert.equal(await p.getArg('www:sslcert', 'days'), '20');
    assert.equal(await p.getArg('db:alive', 'silent'), 'True');
    assert.equal(await p.getArg('web:alive', 'policy'), 'Default');
    assert.equal(await p.getArg('web:alive', 'cm'), 'heartbeat');
  });

  test('filter: flags, -flags, arg=value; tagFilter: tag, +tag, -tag', async () => {
    const p = op();
    assert.deepEqual(await p.filter('OK'), ['web:alive', 'df-/var lib', 'www:sslcert']);
    assert.deepEqual(await p.filter('OK', '-silent', 'host=okerr.com'), ['www:sslcert']);
    assert.deepEqual(await p.filter(['ERR']), ['db:alive'], 'an array counts as its items');
    assert.equal((await p.filter()).length, 4);
    assert.deepEqual(await p.tagFilter('web'), ['web:alive', 'www:sslcert']);
    assert.deepEqual(await p.tagFilter('+web', '-sslcert'), ['web:alive']);
    const urls = apiRequests(main).map((r) => r.url);
    assert.equal(urls[1], '/api/filter/proj/OK/-silent/host%3Dokerr.com');
    assert.equal(urls[3], '/api/filter/proj/');
    assert.equal(urls[5], '/api/tagfilter/proj/%2Bweb/-sslcert');
  });

  test('updateLog: the server\'s { t, y } entries, y the raw string; heartbeats have none', async () => {
    const p = op();
    await p.indicator('df-/var lib', { method: 'numerical|maxlim=90' }).update(44);
    const log = await p.updateLog('df-/var lib');
    // t is whole Unix seconds, as the real api_updatelog writes it.
    assert.deepEqual(log.slice(0, 2), [{ t: 1700000000, y: '42' }, { t: 1700000300, y: ' 43.5 ' }]);
    assert.equal(log[2].y, '44');
    assert.ok(Number.isInteger(log[2].t) && Math.abs(log[2].t * 1000 - Date.now()) < 60000, log[2].t);
    await p.indicator('web:alive').update('ERR');
    assert.deepEqual(await p.updateLog('web:alive'), []);
  });

  test('checkMethods needs no key', async () => {
    const methods = await op({ apiKey: undefined }).checkMethods();
    assert.equal(methods.numerical.name, 'Numerical');
    assert.equal(methods.sslcert.remote, true);
    assert.ok('maxlim' in methods.numerical.args);
    assert.equal(apiRequests(main)[0].headers['x-api-key'], undefined);
  });

  test('statusPage: index by default, by address, no credentials sent', async () => {
    const p = new OkerrProject('proj', undefined, { url: main.url, logger: quiet });
    const page = await p.statusPage();
    assert.equal(page.title, 'Public page');
    assert.deepEqual(page.chapters.Web.map((i) => i.title), ['web:alive', 'Database']);
    assert.equal(page.chapters.Web[0].status, 'OK');
    assert.equal((await p.statusPage('ops')).addr, 'ops');
    assert.deepEqual(apiRequests(main).map((r) => r.url), ['/jstatus/proj/index', '/jstatus/proj/ops']);
    assert.ok(apiRequests(main).every((r) => r.headers['x-api-key'] === undefined));
  });
});

describe('changing', () => {
  test('setArgs: numbers, booleans and text; the server answer lists the change', async () => {
    const p = op();
    const answer = await p.setArgs('www:sslcert', { days: 30, retest: true, silent: false, desc: 'cert & chain', skipped: undefined });
    assert.match(answer, /^Changed www:sslcert \{/);
    const ind = main.indicator('proj', 'www:sslcert');
    assert.equal(ind.args.days, '30');
    assert.equal(ind.desc, 'cert & chain');
    assert.equal(ind.silent, false);
    const [req] = apiRequests(main);
    assert.equal(req.method, 'POST');
    assert.deepEqual(req.fields, [['days', '30'], ['retest', '1'], ['silent', '0'], ['desc', 'cert & chain']]);
  });

  test('createIndicator and deleteIndicator', async () => {
    const p = op();
    assert.match(await p.createIndicator('new/one'), /^Created new\/one@proj/);
    assert.ok(main.indicator('proj', 'new/one'));
    assert.deepEqual(await p.listIndicators('new/'), ['new/one']);
    assert.equal(await p.deleteIndicator('new/one'), 'Deleted indicator new/one from project proj');
    assert.equal(main.indicator('proj', 'new/one'), undefined);
  });
});

describe('failures', () => {
  test('without apiKey every key-needing call rejects at once with NO_API_KEY, sending nothing', async () => {
    const p = op({ apiKey: undefined });
    const calls = [
      () => p.listIndicators(),
      () => p.getIndicator('web:alive'),
      () => p.getArg('web:alive', 'policy'),
      () => p.filter('OK'),
      () => p.tagFilter('web'),
      () => p.setArgs('web:alive', { retest: 1 }),
      () => p.createIndicator('x'),
      () => p.deleteIndicator('x'),
      () => p.updateLog('x'),
    ];
    for (const call of calls) {
      const e = await rejects(call(), 'NO_API_KEY');
      assert.match(e.message, /apiKey/);
    }
    assert.equal(main.received.length, 0);
  });

  test('a wrong key is FORBIDDEN (403), never retried, and the key is not in the error', async () => {
    const p = op({ apiKey: 'wrong-CANARY' });
    const e = await rejects(p.listIndicators(), 'FORBIDDEN', 403);
    assert.match(e.message, /refused the API key/);
    assert.equal(apiRequests(main).length, 1);
  });

  test('an unknown project: NOT_FOUND when direct, DIRECTOR through the director', async () => {
    const direct = new OkerrProject('nope', undefined, { url: main.url, direct: true, apiKey: KEY, logger: quiet });
    const e = await rejects(direct.listIndicators(), 'NOT_FOUND', 404);
    assert.match(e.message, /a project it does not know/);
    assert.match(e.body, /<h1>Not Found<\/h1>/, "Django's 404 page, as the real server");
    // An update to an unknown project (direct): NOT_FOUND too, with the server's text.
    const u = await rejects(new OkerrProject('nope', 'nope-secret', { url: main.url, direct: true, logger: quiet }).indicator('a').update('OK'), 'NOT_FOUND', 404);
    assert.match(u.message, /No such project\. \(textid: 'nope'\)/);
    const viaDirector = new OkerrProject('nope', undefined, { url: main.url, apiKey: KEY, logger: quiet, retries: 0 });
    await rejects(viaDirector.getIndicator('x'), 'DIRECTOR', 404);
  });

  test('unknown indicators and arguments are NOT_FOUND with the server text', async () => {
    const p = op();
    for (const call of [() => p.getIndicator('nope'), () => p.getArg('nope', 'x'), () => p.updateLog('nope'), () => p.deleteIndicator('nope'), () => p.setArgs('nope', { retest: 1 })]) {
      const e = await rejects(call(), 'NOT_FOUND', 404);
      assert.match(e.message, /'nope'/);
    }
    const e = await rejects(p.getArg('web:alive', 'nosucharg'), 'NOT_FOUND', 404);
    assert.match(e.message, /has no arg 'nosucharg'/);
  });

  test('server refusals keep their text: an existing name, an unknown policy', async () => {
    const p = op();
    const e = await rejects(p.createIndicator('web:alive'), 'HTTP', 400);
    assert.match(e.message, /already has indicator web:alive/);
    assert.match(e.body, /already has indicator/);
    await rejects(p.setArgs('web:alive', { policy: 'NoSuchPolicy' }), 'NOT_FOUND', 404);
  });

  test('bad arguments are refused before anything is sent', async () => {
    const p = op();
    const bad = [
      () => p.getIndicator(),
      () => p.getIndicator(42),
      () => p.getIndicator('12'),
      () => p.getIndicator(''),
      () => p.getArg('web:alive', 'a/b'),
      () => p.getArg('web:alive'),
      () => p.filter('OK', 'path=/var'),
      () => p.filter('OK', 7),
      () => p.tagFilter(''),
      () => p.setArgs('web:alive', {}),
      () => p.setArgs('web:alive', { days: NaN }),
      () => p.setArgs('web:alive', { days: { n: 1 } }),
      () => p.setArgs('web:alive', 'days=1'),
      () => p.createIndicator('a\nb'),
      () => p.statusPage(''),
      () => p.listIndicators(5),
    ];
    for (const call of bad) await rejects(call(), 'INVALID_ARGUMENT');
    assert.equal(main.received.length, 0);
  });

  test('a status page that is private is FORBIDDEN, a missing one NOT_FOUND', async () => {
    const p = op();
    const e = await rejects(p.statusPage('internal'), 'FORBIDDEN');
    assert.match(e.message, /not public/);
    await rejects(p.statusPage('nosuchpage'), 'NOT_FOUND', 404);
  });

  test('5xx answers are retried like updates', async () => {
    main.addFault({ path: '/api/indicators/', kind: 'status', status: 503, times: 2 });
    assert.equal((await op().listIndicators()).length, 4);
    assert.equal(main.received.filter((r) => r.path.startsWith('/api/indicators/')).length, 3);
  });

  test('an answer that is not the expected JSON is an error, not garbage', async () => {
    main.addFault({ path: '/api/indicator/', kind: 'body', status: 200, body: 'not json' });
    await rejects(op().getIndicator('web:alive'), 'HTTP', 200);
    main.addFault({ path: '/api/updatelog/', kind: 'body', status: 200, body: '[{"t": 1, ' });
    await rejects(op().updateLog('web:alive'), 'HTTP');
  });
});

describe('large answers and what the real server accepts', () => {
  // 10,000 names of about 22 bytes: a 220 KB answer, which the 64 KB read cap cut to 3,030
  // names, the last half a name.
  const many = Array.from({ length: 10000 }, (_, k) => `servers:host${String(k).padStart(5, '0')}.ex`);
  let big;
  before(async () => {
    big = await startOkerrServer({
      projects: [{
        textid: 'big',
        apiKey: KEY,
        indicators: many.map((name, k) => ({ name, status: k % 2 ? 'OK' : 'ERR', tags: ['fleet'], method: 'numerical', log: k === 0 ? Array.from({ length: 3000 }, (_, j) => ({ t: 1700000000 + j, y: String(j) })) : [] })),
        statusPages: { index: { title: 'All', public: true, chapters: { Fleet: many.slice(0, 400) } } },
      }],
    });
  });
  after(() => big.close());
  const bigProject = () => new OkerrProject('big', undefined, { url: big.url, direct: true, apiKey: KEY, logger: quiet });

  test('a 10,000-name list, filter and tag filter come whole (220 KB), in order', async () => {
    const p = bigProject();
    const all = await p.listIndicators();
    assert.ok(many.join('\n').length > 200 * 1024);
    assert.equal(all.length, 10000);
    assert.deepEqual(all, many);
    assert.deepEqual(await p.listIndicators('servers:'), many);
    assert.equal((await p.filter('OK')).length, 5000);
    assert.deepEqual(await p.tagFilter('fleet'), many);
  });

  test('an update log and a status page over 64 KB come whole', async () => {
    const p = bigProject();
    const log = await p.updateLog(many[0]);
    assert.equal(log.length, 3000);
    assert.deepEqual(log.at(-1), { t: 1700002999, y: '2999' });
    const page = await p.statusPage();
    assert.equal(page.chapters.Fleet.length, 400);
    assert.equal(page.chapters.Fleet.at(-1).title, many[399]);
  });

  test('a method line with empty parts is taken, as the real server takes it', async () => {
    const p = op();
    const ind = p.indicator('empty:parts', { method: 'numerical||maxlim=5|' });
    assert.equal((await ind.update(7)).sent, true);
    assert.equal(await p.getArg('empty:parts', 'maxlim'), '5');
    assert.equal((await p.getIndicator('empty:parts')).status, 'ERR', '7 is over maxlim 5');
  });
});

describe('a project on another node', () => {
  const moved = (extra = {}) =>
    new OkerrProject('moved', SECRET, { url: main.url, direct: true, apiKey: KEY, logger: quiet, ...extra });

  test('reads follow the redirect with the key', async () => {
    assert.deepEqual(await moved().listIndicators('web'), ['web:alive']);
    assert.equal(apiRequests(main)[0].status, 302);
    const [req] = apiRequests(other);
    assert.equal(req.url, '/api/indicators/moved/web');
    assert.equal(req.headers['x-api-key'], KEY);
  });

  test('setArgs, createIndicator and deleteIndicator stay POSTs with their body across the redirect', async () => {
    // fetch would follow a 302 by itself and turn the POST into a GET without the body.
    const p = moved();
    await p.setArgs('www:sslcert', { days: 45 });
    assert.equal(other.indicator('moved', 'www:sslcert').args.days, '45');
    await p.createIndicator('made:there');
    assert.ok(other.indicator('moved', 'made:there'));
    await p.deleteIndicator('made:there');
    assert.equal(other.indicator('moved', 'made:there'), undefined);
    const posts = apiRequests(other);
    assert.deepEqual(posts.map((r) => r.method), ['POST', 'POST', 'POST']);
    assert.deepEqual(posts[0].fields, [['days', '45']]);
    assert.equal(main.indicator('moved', 'www:sslcert').args.days, '20', 'nothing changed on the first node');
  });

  test('through the director, calls go to the node at once', async () => {
    const p = moved({ direct: false });
    assert.equal((await p.getIndicator('web:alive')).name, 'web:alive');
    assert.equal(apiRequests(main).length, 0);
    assert.equal(apiRequests(other).length, 1);
  });

  test('status pages follow the redirect (which carries CORS headers)', async () => {
    const page = await moved({ apiKey: undefined }).statusPage();
    assert.equal(page.textid, 'moved');
    assert.equal(apiRequests(main)[0].status, 302);
  });

  test('a redirect loop ends with an error', async () => {
    main.addFault({ path: '/api/indicators/', kind: 'status', status: 302, headers: { Location: '/api/indicators/proj' }, times: -1 });
    const e = await rejects(op({ direct: true }).listIndicators(), 'HTTP', 302);
    assert.match(e.message, /more than 5 redirects/);
    main.clearFaults();
  });
});

test('TypeScript declarations for every method', () => {
  const require = createRequire(import.meta.url);
  const dir = require.resolve('okerrupdate/package.json').replace(/package\.json$/, '');
  const types = readFileSync(`${dir}okerrupdate_types.d.ts`, 'utf8');
  for (const signature of [
    'listIndicators(prefix?: string): Promise<string[]>',
    'getIndicator(name: string): Promise<IndicatorInfo>',
    'getArg(name: string, arg: string): Promise<string>',
    'filter(...terms: string[]): Promise<string[]>',
    'tagFilter(...tags: string[]): Promise<string[]>',
    'setArgs(name: string, fields: IndicatorFields): Promise<string>',
    'createIndicator(name: string): Promise<string>',
    'deleteIndicator(name: string): Promise<string>',
    'updateLog(name: string): Promise<UpdateLogEntry[]>',
    'checkMethods(): Promise<CheckMethods>',
    'statusPage(addr?: string): Promise<StatusPage>',
  ]) {
    assert.ok(types.includes(signature), `missing: ${signature}`);
  }
  const index = readFileSync(`${dir}index.d.ts`, 'utf8');
  assert.match(index, /IndicatorInfo, IndicatorFields, UpdateLogEntry, CheckMethods, StatusPage/);
});
