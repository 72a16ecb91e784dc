// Chromium (Debian's, driven by playwright-core): a page built with Vite and a plain
// <script type="module"> page with no bundler, both served by the local okerr server itself
// (same origin: everything works as in Node), then the cross-origin cases: an OkerrError with
// code CORS, `mode: 'no-cors'` fire-and-forget, and a server that does send CORS headers.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bin, freshProject, launchChromium, okerrServer, runOk, updates, SECRET, SETUP_TIMEOUT } from './helpers.mjs';

const TEXTID = 'browser-pkg';
let home; // serves the pages, and is their okerr server (same origin)
let other; // another origin, without CORS headers, like the real server
let open; // another origin, started with cors: true
let viteDir;
let plainDir;
let browser;
let plainPage;

before(async () => {
  viteDir = await freshProject('browser-vite');
  plainDir = await freshProject('browser-plain');
  await runOk(bin('vite'), ['build'], { cwd: viteDir, timeoutMs: 120_000 });
  home = await okerrServer(TEXTID, {
    chapter: ['browser:vite', 'browser:plain'],
    static: { '/vite/': join(viteDir, 'dist'), '/plain/': plainDir },
  });
  other = await okerrServer(TEXTID);
  open = await okerrServer(TEXTID, { cors: true });
  browser = await launchChromium();
}, { timeout: SETUP_TIMEOUT });
after(async () => {
  await browser?.close();
  await Promise.all([home, other, open].map((s) => s?.close()));
}, { timeout: SETUP_TIMEOUT });

/** Opens `path` on the home server; resolves to the page's #result JSON and the URLs it fetched. */
async function load(path) {
  const page = await browser.newPage();
  const requested = [];
  const problems = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(new URL(path, home.url).href);
  await page.waitForFunction(() => document.querySelector('#result')?.textContent, null, { timeout: 20_000 });
  const result = JSON.parse(await page.textContent('#result'));
  assert.deepEqual(problems, []);
  return { page, result, requested };
}

test('browser-vite: the build inlines the wasm for the default entry, uses no top-level await, and copies the .wasm once for okerrupdate/init', () => {
  // vite.config.js builds for es2020, which has no top-level await: the build above would have failed.
  const assets = readdirSync(join(viteDir, 'dist/assets'));
  assert.equal(assets.filter((f) => f.endsWith('.wasm')).length, 1, `assets: ${assets}`);
  const html = readFileSync(join(viteDir, 'dist/index.html'), 'utf8');
  assert.doesNotMatch(html, /\.wasm/);
});

test('browser-vite: the page sends an update (same origin, through the director) and reads the status page', async () => {
  const { page, result, requested } = await load('vite/index.html');
  assert.deepEqual(result.result, { sent: true, reason: 'sent' });
  assert.equal(result.board['browser:vite'], 'OK');
  assert.equal(await page.textContent('#title'), `${TEXTID} status`);
  assert.ok(!requested.some((p) => p.endsWith('.wasm')), `no .wasm fetched: ${requested}`);
  assert.ok(requested.includes(`/api/director/${TEXTID}`) && requested.includes('/update'));
  const got = updates(home).find((u) => u.name === 'browser:vite');
  assert.equal(got?.outcome, 'accepted');
  assert.equal(got.form.details, 'page loaded');
  assert.equal(got.form.secret, SECRET);
  await page.close();
});

test('browser-vite: okerrupdate/init fetches the copied .wasm once, then works', async () => {
  const { page, result, requested } = await load('vite/init.html');
  assert.deepEqual(result, { result: { sent: true, reason: 'sent' }, badName: 'INVALID_ARGUMENT' });
  assert.equal(requested.filter((p) => p.endsWith('.wasm')).length, 1);
  assert.equal(updates(home).find((u) => u.name === 'browser:vite-init')?.outcome, 'accepted');
  await page.close();
});

test('browser-plain: a <script type="module"> page with an import map, no bundler, sends an update and reads the status page', async () => {
  const { page, result, requested } = await load('plain/index.html');
  assert.deepEqual(result.result, { sent: true, reason: 'sent' });
  assert.equal(result.board['browser:plain'], 'OK');
  assert.ok(requested.includes('/plain/node_modules/okerrupdate/inline.mjs'));
  assert.ok(!requested.some((p) => p.endsWith('.wasm')));
  assert.equal(updates(home).find((u) => u.name === 'browser:plain')?.outcome, 'accepted');
  plainPage = page;
});

/** One update from the plain page (origin: home) with `options`; resolves to { result } or { error }. */
function attempt(name, options) {
  return plainPage.evaluate(
    async ({ name, options }) => {
      const { OkerrError, OkerrProject } = window.okerrupdate;
      try {
        const okerr = new OkerrProject({ textid: 'browser-pkg', secret: 'packaging-secret-4711', retries: 0, ...options });
        return { result: await okerr.indicator(name).update('OK') };
      } catch (e) {
        return { error: { okerr: e instanceof OkerrError, code: e.code, message: e.message } };
      }
    },
    { name, options },
  );
}

test('cross-origin without CORS headers: the update fails as OkerrError CORS that says what to do', async () => {
  const direct = await attempt('cors:direct', { url: other.url, direct: true });
  assert.equal(direct.error?.code, 'CORS', JSON.stringify(direct));
  assert.equal(direct.error.okerr, true);
  assert.match(direct.error.message, /serve the page from the server's origin/);
  assert.match(direct.error.message, /no-cors/);
  assert.ok(!direct.error.message.includes(SECRET));
  // The POST itself is a simple request: it reached the server, only the answer was hidden.
  assert.equal(updates(other).find((u) => u.name === 'cors:direct')?.outcome, 'accepted');

  const viaDirector = await attempt('cors:director', { url: other.url });
  assert.equal(viaDirector.error?.code, 'CORS', JSON.stringify(viaDirector));
  assert.match(viaDirector.error.message, /director/);
  // For an update, and only for one, the director's advice goes on to no-cors delivery.
  assert.match(viaDirector.error.message, /set direct: true .*mode: 'no-cors'/);
  assert.equal(updates(other).find((u) => u.name === 'cors:director'), undefined);
});

test("cross-origin with mode: 'no-cors': delivered, result unconfirmed; without direct it is refused up front", async () => {
  const r = await attempt('cors:no-cors', { url: other.url, direct: true, mode: 'no-cors' });
  assert.deepEqual(r, { result: { sent: true, reason: 'unconfirmed' } });
  const got = updates(other).find((u) => u.name === 'cors:no-cors');
  assert.equal(got?.outcome, 'accepted');
  assert.equal(got.form.textid, TEXTID);
  assert.equal(got.form.secret, SECRET);
  assert.equal(other.indicator(TEXTID, 'cors:no-cors').status, 'OK');

  // A no-cors request that fails got no answer at all: no advice to switch to no-cors.
  const dead = await attempt('cors:no-cors-dead', { url: 'http://127.0.0.1:9/', direct: true, mode: 'no-cors' });
  assert.equal(dead.error?.code, 'CORS', JSON.stringify(dead));
  assert.match(dead.error.message, /^okerr update of .* failed: could not reach http:\/\/127\.0\.0\.1:9\/update .*with mode 'no-cors' the browser does not say why/);

  const noDirect = await attempt('cors:no-cors-director', { url: other.url, mode: 'no-cors' });
  assert.equal(noDirect.error?.code, 'INVALID_ARGUMENT');
  assert.match(noDirect.error.message, /direct/);
});

test('cross-origin to a server that sends CORS headers: works as in Node', async () => {
  const r = await attempt('cors:open', { url: open.url });
  assert.deepEqual(r, { result: { sent: true, reason: 'sent' } });
  assert.equal(updates(open).find((u) => u.name === 'cors:open')?.outcome, 'accepted');
});

test('cross-origin status page: readable with direct: true (/jstatus sends CORS headers), a CORS error through the director', async () => {
  const read = (options) =>
    plainPage.evaluate(async (options) => {
      const { OkerrProject } = window.okerrupdate;
      try {
        const { page, ...rest } = options;
        return { page: await new OkerrProject({ textid: 'browser-pkg', retries: 0, ...rest }).statusPage(page) };
      } catch (e) {
        return { error: { code: e.code, message: e.message } };
      }
    }, options);
  other.clearReceived();
  const direct = await read({ url: other.url, direct: true });
  assert.equal(direct.page?.title, `${TEXTID} status`, JSON.stringify(direct));
  // statusPage() sends a simple request: no preflight (the real /jstatus answers OPTIONS with
  // the page and ACAO * only, so a preflight would fail), no custom header.
  const asked = other.received.filter((r) => r.kind === 'jstatus');
  assert.deepEqual(asked.map((r) => r.method), ['GET'], JSON.stringify(asked.map((r) => [r.method, r.headers])));
  assert.deepEqual(Object.keys(asked[0].headers).filter((h) => /^x-|^content-type$|^authorization$/.test(h)), []);
  const viaDirector = await read({ url: other.url });
  assert.equal(viaDirector.error?.code, 'CORS', JSON.stringify(viaDirector));
  // The advice fits the call: no-cors can read no page, so it is never offered for one.
  assert.match(viaDirector.error.message, /director sends no CORS headers: .*set direct: true/);
  assert.doesNotMatch(viaDirector.error.message, /no-cors/);
  const missing = await read({ url: other.url, direct: true, page: 'nosuch' });
  assert.equal(missing.error?.code, 'CORS', JSON.stringify(missing));
  assert.match(missing.error.message, /only with a public status page that exists/);
  assert.doesNotMatch(missing.error.message, /no-cors/);
});

test("cross-origin API call: CORS, and the advice says no-cors cannot help", async () => {
  const r = await plainPage.evaluate(async (url) => {
    const { OkerrProject } = window.okerrupdate;
    try {
      return { names: await new OkerrProject({ textid: 'browser-pkg', apiKey: 'some-api-key', url, direct: true, retries: 0 }).listIndicators() };
    } catch (e) {
      return { error: { code: e.code, message: e.message } };
    }
  }, other.url);
  assert.equal(r.error?.code, 'CORS', JSON.stringify(r));
  assert.match(r.error.message, /API sends no CORS headers, and mode 'no-cors' cannot read an answer/);
  assert.doesNotMatch(r.error.message, /mode: 'no-cors' and direct/);
});

test("the local /jstatus answers OPTIONS as the real one: a request that needs a preflight fails in Chromium", async () => {
  const url = new URL(`jstatus/${TEXTID}/index`, other.url).href;
  const outcome = (headers) =>
    plainPage.evaluate(
      async ({ url, headers }) => {
        try {
          const r = await fetch(url, { headers });
          return { status: r.status, title: (await r.json()).title };
        } catch (e) {
          return { failed: e.name };
        }
      },
      { url, headers },
    );
  other.clearReceived();
  assert.deepEqual(await outcome({}), { status: 200, title: `${TEXTID} status` }, 'a simple GET is readable');
  assert.deepEqual(await outcome({ 'X-Okerr-Test': '1' }), { failed: 'TypeError' }, 'a custom header needs a preflight, which fails');
  const options = other.received.find((r) => r.method === 'OPTIONS');
  assert.equal(options?.status, 200, 'the preflight got the page, without Access-Control-Allow-Headers');
});

test('tsc --strict: the Vite pages (default entry and okerrupdate/init) type-check with the DOM library', async () => {
  await runOk(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: viteDir });
});
